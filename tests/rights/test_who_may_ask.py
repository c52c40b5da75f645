"""Who may ask for a person's record (ICO, "Right of access: requests made on behalf of others" and
"children"; Mental Capacity Act 2005 for attorneys and deputies): worked examples."""

import datetime

import pytest

from dsr.rights.requesters import who_may_ask

D = datetime.date
RECEIVED = D(2026, 6, 15)
TWELVE = D(2014, 1, 10)
FORTY_SIX = D(1980, 1, 10)

JUDGED = {
    "competence_judged_by": "Dr Sam Okafor, consultant psychiatrist",
    "competence_reason": "Explained it back",
}
COMPETENT = {"competence": "competent", **JUDGED}
NOT_COMPETENT = {"competence": "not_competent", **JUDGED}
CONSENT = {"authority": "consent", "authority_detail": "Signed letter dated 1 June 2026"}
ATTORNEY = {"authority": "lpa", "authority_detail": "OPG reference 7000-1234-5678"}
DEPUTY = {"authority": "deputy", "authority_detail": "Court of Protection case 1234567"}


def problem(*, born: datetime.date, relationship: str, received_on: datetime.date = RECEIVED, **answers):
    """The answer on the form to look at and its message, or None when they may ask."""
    found = who_may_ask(
        name="Alex", date_of_birth=born, received_on=received_on, relationship=relationship, **answers
    )
    return None if found is None else (found.field, found.message)


@pytest.mark.parametrize(
    ("received_on", "allowed"),
    [
        (D(2026, 6, 14), False),  # the day before the 16th birthday: 15
        (D(2026, 6, 15), True),  # the birthday itself: 16
    ],
)
def test_someone_may_ask_for_themselves_from_their_16th_birthday(received_on, allowed):
    found = problem(born=D(2010, 6, 15), received_on=received_on, relationship="person")
    assert (found is None) == allowed
    if not allowed:
        assert found == (
            "competence",
            "Alex was 15 when the request was received: say whether they were judged competent to understand "
            "their rights",
        )


@pytest.mark.parametrize(
    ("received_on", "allowed"),
    [
        (D(2028, 2, 28), False),  # born on 29 February 2012: still 15 the day before
        (D(2028, 2, 29), True),  # 2028 is a leap year: 16 on the 29th
    ],
)
def test_a_29_february_birthday_counts_on_the_29th_in_a_leap_year(received_on, allowed):
    found = problem(born=D(2012, 2, 29), received_on=received_on, relationship="person")
    assert (found is None) == allowed
    if not allowed:
        assert found[1].startswith("Alex was 15 when the request was received")


def test_an_adult_born_on_29_february_turns_18_on_1_march_when_there_is_no_29th():
    """A lasting power of attorney is made at 18 or over (Mental Capacity Act 2005, s9(2)(c))."""
    born = D(2008, 2, 29)
    on_28th = problem(born=born, received_on=D(2026, 2, 28), relationship="legal_authority", **ATTORNEY)
    assert on_28th == (
        "authority",
        "Alex was 17 when the request was received: only someone aged 18 or over can make a lasting power of "
        "attorney. Choose their consent, or a Court of Protection deputy",
    )
    assert problem(born=born, received_on=D(2026, 3, 1), relationship="legal_authority", **ATTORNEY) is None


@pytest.mark.parametrize(
    ("relationship", "answers", "expected"),
    [
        # A child under 16 asks for themselves only when judged competent (Gillick), recording who and why.
        ("person", COMPETENT, None),
        (
            "person",
            NOT_COMPETENT,
            (
                "requester_relationship",
                "Alex was 12 when the request was received and was not judged competent: a child under 16 "
                "may ask for their own record only when competent to understand their rights. Otherwise a "
                "parent or guardian asks for them",
            ),
        ),
        (
            "person",
            {"competence": "competent", "competence_reason": "Explained it back"},
            ("competence_judged_by", "Enter who judged whether Alex was competent"),
        ),
        (
            "person",
            {"competence": "competent", "competence_judged_by": "Dr Okafor"},
            ("competence_reason", "Enter why Alex was judged competent"),
        ),
        # A parent asks for a child who is not competent, or with a competent child's consent.
        ("parent", NOT_COMPETENT, None),
        ("parent", {**NOT_COMPETENT, **CONSENT}, None),
        ("parent", {**COMPETENT, **CONSENT}, None),
        (
            "parent",
            COMPETENT,
            (
                "authority",
                "Alex was judged competent, so someone else may ask for their record only with Alex's "
                "consent",
            ),
        ),
        (
            "parent",
            {**COMPETENT, "authority": "consent"},
            (
                "authority_detail",
                "Enter how Alex gave their consent, for example a signed letter and its date",
            ),
        ),
        (
            "parent",
            {},
            (
                "competence",
                "Alex was 12 when the request was received: say whether they were judged competent to "
                "understand their rights",
            ),
        ),
        # No lasting power of attorney or welfare deputy for a child under 16.
        (
            "legal_authority",
            {**NOT_COMPETENT, **DEPUTY},
            (
                "requester_relationship",
                "Alex was 12 when the request was received: a lasting power of attorney or a deputy acts "
                "only for someone aged 16 or over. For a child, a parent or guardian asks",
            ),
        ),
        # A solicitor acts on a competent child's written consent, which a child not competent cannot give.
        ("representative", {**COMPETENT, **CONSENT}, None),
        (
            "representative",
            NOT_COMPETENT,
            (
                "requester_relationship",
                "Alex was 12 when the request was received and was not judged competent, so cannot give a "
                "solicitor or advocate authority: a parent or guardian asks for them",
            ),
        ),
    ],
)
def test_who_may_ask_for_a_child_of_12(relationship, answers, expected):
    assert problem(born=TWELVE, relationship=relationship, **answers) == expected


ADULT_WITHOUT_AUTHORITY = (
    "authority",
    "Alex was 46 when the request was received: someone asking for an adult needs their consent, or legal "
    "authority to act for them (a lasting power of attorney for health and welfare, or a Court of Protection "
    "deputy)",
)


@pytest.mark.parametrize(
    ("relationship", "answers", "expected"),
    [
        ("person", {}, None),
        ("person", NOT_COMPETENT, None),  # a competence judgement is for children only
        ("parent", {}, ADULT_WITHOUT_AUTHORITY),
        ("parent", NOT_COMPETENT, ADULT_WITHOUT_AUTHORITY),
        ("parent", CONSENT, None),
        ("parent", ATTORNEY, None),
        ("parent", DEPUTY, None),
        (
            "parent",
            {"authority": "lpa"},
            (
                "authority_detail",
                "Enter what you saw of the lasting power of attorney, for example its Office of the Public "
                "Guardian reference",
            ),
        ),
        ("legal_authority", ATTORNEY, None),
        ("legal_authority", DEPUTY, None),
        (
            "legal_authority",
            CONSENT,
            (
                "authority",
                "Choose the legal authority they showed: a lasting power of attorney for health and welfare, "
                "or a Court of Protection deputy",
            ),
        ),
        ("representative", CONSENT, None),
        ("representative", {}, ADULT_WITHOUT_AUTHORITY),
    ],
)
def test_who_may_ask_for_an_adult_of_46(relationship, answers, expected):
    assert problem(born=FORTY_SIX, relationship=relationship, **answers) == expected


def test_a_deputy_may_act_for_someone_of_16_or_17_but_an_attorney_may_not():
    born = D(2009, 1, 10)  # 17 on the day received
    assert problem(born=born, relationship="legal_authority", **DEPUTY) is None
    assert problem(born=born, relationship="legal_authority", **ATTORNEY)[1].startswith(
        "Alex was 17 when the request was received: only someone aged 18 or over"
    )


@pytest.mark.parametrize(
    ("received_on", "answers", "expected"),
    [
        # The day before the 12th birthday: a parent asks without a judgement on record.
        (D(2026, 1, 9), {}, None),
        # From the 12th birthday the judgement is recorded, as for every older child.
        (
            D(2026, 1, 10),
            {},
            (
                "competence",
                "Alex was 12 when the request was received: say whether they were judged competent to "
                "understand their rights",
            ),
        ),
        # A younger child someone has judged competent: the judgement is recorded and their consent needed.
        (
            D(2026, 1, 9),
            {"competence": "competent"},
            (
                "authority",
                "Alex was judged competent, so someone else may ask for their record only with Alex's "
                "consent",
            ),
        ),
    ],
)
def test_a_parent_asks_for_a_child_under_12_without_a_competence_judgement(received_on, answers, expected):
    assert problem(born=TWELVE, relationship="parent", received_on=received_on, **answers) == expected
