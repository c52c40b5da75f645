"""Who may ask for a person's record, or for it to be corrected, and on what authority."""

import datetime
from typing import NamedTuple

from dsr.dates import age_on
from dsr.rights.models import Authority, Competence, Relationship

# DESIGN.md ("Information request") and the register's idea of a child: under 16. It is also the age
# from which the Mental Capacity Act 2005 applies (section 2(5)).
ADULT_REQUESTER_AGE = 16
# A lasting power of attorney is made only by someone aged 18 or over (Mental Capacity Act 2005,
# section 9(2)(c)).
LASTING_POWER_OF_ATTORNEY_AGE = 18
# Under 12, a child is taken not to be competent unless someone has judged otherwise, so a parent may ask
# without a judgement on record. ICO, "Right of access: what about requests for information about
# children?": in Scotland a child of 12 or over is presumed competent, and the ICO says this "indicates
# an approach that will be reasonable in many cases" in England and Wales too.
COMPETENCE_JUDGED_FROM = 12
LEGAL_AUTHORITIES = {Authority.LASTING_POWER_OF_ATTORNEY, Authority.DEPUTY}


class Problem(NamedTuple):
    """Why a request may not be accepted from this requester, and which answer on the form to look at."""

    field: str
    message: str


def who_may_ask(
    *,
    name: str,
    date_of_birth: datetime.date,
    received_on: datetime.date,
    relationship: str,
    competence: str = "",
    competence_judged_by: str = "",
    competence_reason: str = "",
    authority: str = "",
    authority_detail: str = "",
) -> Problem | None:
    """The problem with accepting a request about `name` from this requester, or None when they may ask.

    Age is counted on the day the request was received (someone born on 29 February turns 16 on
    1 March in a year that has no 29 February).

    - The person themselves: from 16, always; under 16, only when judged competent to understand their
      rights (Gillick competence), recording who judged and why (ICO, "Right of access: what about
      requests for information about children?").
    - A parent or guardian, for a child under 16: when the child is not competent, or with the
      competent child's consent (ICO, as above). From 12 the judgement is recorded; under 12 a child
      nobody has judged competent is taken not to be, and the parent asks.
    - Anyone asking for someone aged 16 or over (a parent included): with that person's consent, or
      with legal authority to act for them: a lasting power of attorney for health and welfare (made
      at 18 or over) or a Court of Protection deputy (Mental Capacity Act 2005, sections 9 to 20; ICO,
      "Right of access: can a request be made on behalf of someone?").
    - A solicitor or advocate: with the written consent of the person, or of a competent child."""
    age = age_on(date_of_birth, received_on)
    was = f"{name} was {age} when the request was received"
    if age < COMPETENCE_JUDGED_FROM and relationship == Relationship.PARENT and not competence:
        problem = None  # a young child, not judged competent: their parent asks for them
    elif age < ADULT_REQUESTER_AGE:
        problem = _for_a_child(
            name=name,
            was=was,
            relationship=relationship,
            competence=competence,
            authority=authority,
        )
        if problem is None and not competence_judged_by.strip():
            problem = Problem("competence_judged_by", f"Enter who judged whether {name} was competent")
        if problem is None and not competence_reason.strip():
            problem = Problem("competence_reason", f"Enter why {name} was judged {_judged(competence)}")
    else:
        problem = _for_an_adult(was=was, age=age, relationship=relationship, authority=authority)
    if (
        problem is None
        and relies_on_authority(age, relationship, competence)
        and not authority_detail.strip()
    ):
        problem = Problem("authority_detail", _SHOW[authority].format(name=name))
    return problem


_SHOW: dict[str, str] = {
    Authority.CONSENT: "Enter how {name} gave their consent, for example a signed letter and its date",
    Authority.LASTING_POWER_OF_ATTORNEY: "Enter what you saw of the lasting power of attorney, for example "
    "its Office of the Public Guardian reference",
    Authority.DEPUTY: "Enter what you saw of the deputyship order, for example the Court of Protection "
    "case number",
}


def _judged(competence: str) -> str:
    return "competent" if competence == Competence.COMPETENT else "not competent"


def _for_a_child(
    *, name: str, was: str, relationship: str, competence: str, authority: str
) -> Problem | None:
    if relationship == Relationship.LEGAL_AUTHORITY:
        return Problem(
            "requester_relationship",
            f"{was}: a lasting power of attorney or a deputy acts only for someone aged 16 or over. "
            "For a child, a parent or guardian asks",
        )
    if not competence:
        return Problem(
            "competence",
            f"{was}: say whether they were judged competent to understand their rights",
        )
    competent = competence == Competence.COMPETENT
    if relationship == Relationship.PERSON and not competent:
        return Problem(
            "requester_relationship",
            f"{was} and was not judged competent: a child under 16 may ask for their own record only "
            "when competent to understand their rights. Otherwise a parent or guardian asks for them",
        )
    if relationship == Relationship.REPRESENTATIVE and not competent:
        return Problem(
            "requester_relationship",
            f"{was} and was not judged competent, so cannot give a solicitor or advocate authority: "
            "a parent or guardian asks for them",
        )
    if competent and relationship != Relationship.PERSON and authority != Authority.CONSENT:
        return Problem(
            "authority",
            f"{name} was judged competent, so someone else may ask for their record only with "
            f"{name}'s consent",
        )
    return None


def _for_an_adult(*, was: str, age: int, relationship: str, authority: str) -> Problem | None:
    if relationship == Relationship.PERSON:
        return None
    if relationship == Relationship.LEGAL_AUTHORITY and authority not in LEGAL_AUTHORITIES:
        return Problem(
            "authority",
            "Choose the legal authority they showed: a lasting power of attorney for health and welfare, "
            "or a Court of Protection deputy",
        )
    if not authority:
        return Problem(
            "authority",
            f"{was}: someone asking for an adult needs their consent, or legal authority to act for them "
            "(a lasting power of attorney for health and welfare, or a Court of Protection deputy)",
        )
    if authority == Authority.LASTING_POWER_OF_ATTORNEY and age < LASTING_POWER_OF_ATTORNEY_AGE:
        return Problem(
            "authority",
            f"{was}: only someone aged 18 or over can make a lasting power of attorney. Choose their "
            "consent, or a Court of Protection deputy",
        )
    return None


def relies_on_authority(age: int, relationship: str, competence: str) -> bool:
    """Whether the requester relies on consent or legal authority (and so must show it)."""
    if relationship == Relationship.PERSON:
        return False
    if age >= ADULT_REQUESTER_AGE:
        return True
    return competence == Competence.COMPETENT
