"""What the national policy asks for each rating, and when: pure functions of dates and the register's policy.

Source of every rule: NHS England, "Dynamic support register and Care (Education) and Treatment Review
policy and guide" (2023). The numbers (days, weeks, months, ages) are the register's own policy fields
(dsr/registers/models.py), whose defaults are the policy's.

Which kind of review, by the person's age on the review's own date (never today's): a Care, Education and
Treatment Review (CETR) for children and young people up to 18, a Care and Treatment Review (CTR) for adults,
and a Local Area Emergency Protocol (LAEP) for children and young people under 18. Sources: NHS England,
"Care, Education and Treatment Reviews: Code and Toolkit" (2017) and "Dynamic support register and Care
(Education) and Treatment Review policy and guide" (2023).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dsr.dates import age_on, format_date, months_after

ADULT_AGE = 18  # CETR and LAEP for children and young people aged 17 and under, CTR for adults
INVITATION_DAYS = 14  # invitations at least 2 weeks before the review
PAPERS_DAYS = 1  # papers shared at least 24 hours before the review
PAPERS_WARNING_DAYS = 3  # say papers are missing this many days before they are due

CETR, CTR, LAEP, OVERSIGHT_VISIT = "cetr", "ctr", "laep", "oversight_visit"
COMMUNITY = "community"

DONE, DUE, OVERDUE, NEEDED = "done", "due", "overdue", "needed"


def is_child_on(date_of_birth: datetime.date, on: datetime.date) -> bool:
    return age_on(date_of_birth, on) < ADULT_AGE


def adult_from(date_of_birth: datetime.date) -> datetime.date:
    """The 18th birthday (1 March for someone born on 29 February, as `age_on` counts)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + ADULT_AGE)
    except ValueError:
        return datetime.date(date_of_birth.year + ADULT_AGE, 3, 1)


def review_type(*, date_of_birth: datetime.date, review_on: datetime.date) -> str:
    """CETR for 17 and under on the review date, CTR from the 18th birthday."""
    return CETR if is_child_on(date_of_birth, review_on) else CTR


def allowed_kinds(*, date_of_birth: datetime.date, review_on: datetime.date) -> set[str]:
    """The kinds of review possible for someone of this age on the review date."""
    if is_child_on(date_of_birth, review_on):
        return {CETR, LAEP, OVERSIGHT_VISIT}
    return {CTR, OVERSIGHT_VISIT}


def kind_hint(*, name: str, date_of_birth: datetime.date) -> str:
    """The rule for one person, whatever the review's date: their 18th birthday divides CETR from CTR."""
    return (
        f"{name}'s 18th birthday is {format_date(adult_from(date_of_birth))}. A review before that day is a "
        "CETR, and from that day a CTR. A LAEP is for a review before that day, for a child in crisis whose "
        "admission has been recommended."
    )


def kind_refusal(*, kind: str, name: str, date_of_birth: datetime.date, review_on: datetime.date) -> str:
    """Why this kind of review is wrong for the person's age on the review date, naming their 18th birthday;
    empty when it is right (an oversight visit is for any age)."""
    if kind not in (CETR, CTR, LAEP) or kind in allowed_kinds(
        date_of_birth=date_of_birth, review_on=review_on
    ):
        return ""
    age = age_on(date_of_birth, review_on)
    on = f"{name} is {age} on the date of the review, {format_date(review_on)}"
    birthday = f"their 18th birthday is {format_date(adult_from(date_of_birth))}"
    if kind == CETR:
        return f"{on}, and {birthday}: choose a CTR. A CETR is for a review before the 18th birthday"
    if kind == CTR:
        return f"{on}, and {birthday}: choose a CETR. A CTR is for a review from the 18th birthday"
    return f"{on}, and {birthday}: a LAEP is only for under-18s, choose a CTR"


def preparation_problems(
    *,
    kind: str,
    status: str,
    review_on: datetime.date,
    invitations_sent_on: datetime.date | None,
    papers_shared_on: datetime.date | None,
    on: datetime.date,
) -> list[str]:
    """What is late or missing in a C(E)TR's preparation: invitations at least 2 weeks before, papers at
    least 24 hours before. A LAEP is called in a crisis and a visit has no panel, so neither applies."""
    if kind not in (CETR, CTR) or status == "cancelled":
        return []
    problems = []
    invite_by = review_on - datetime.timedelta(days=INVITATION_DAYS)
    if invitations_sent_on is None:
        if on >= invite_by:
            problems.append(f"Invitations have not been sent: they were due by {format_date(invite_by)}")
    elif invitations_sent_on > invite_by:
        problems.append(
            f"Invitations were sent late, on {format_date(invitations_sent_on)}: "
            f"less than 2 weeks before the review (due by {format_date(invite_by)})"
        )
    papers_by = review_on - datetime.timedelta(days=PAPERS_DAYS)
    if papers_shared_on is None:
        if on > papers_by:
            problems.append(f"Papers were not shared: they were due by {format_date(papers_by)}")
        elif on >= papers_by - datetime.timedelta(days=PAPERS_WARNING_DAYS):
            problems.append(f"Papers have not been shared yet: share them by {format_date(papers_by)}")
    elif papers_shared_on > papers_by:
        problems.append(
            f"Papers were shared late, on {format_date(papers_shared_on)}: "
            "less than 24 hours before the review"
        )
    return problems


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about one person, from their record (or the list's annotations).

    Review dates are of reviews that took place: C(E)TRs and LAEPs unless said otherwise."""

    rating: str
    rated_since: datetime.date | None  # the first day of the current rating
    date_of_birth: datetime.date
    has_keyworker: bool = False
    care_team_size: int = 0
    admitted_on: datetime.date | None = None  # the current admission
    secure_service: bool = False
    out_of_area: bool = False  # the current admission is outside the register's area
    last_review_on: datetime.date | None = None
    last_community_review_on: datetime.date | None = None
    last_review_before_admission_on: datetime.date | None = None
    last_review_since_admission_on: datetime.date | None = None
    last_visit_since_admission_on: datetime.date | None = None
    last_meeting_on: datetime.date | None = None  # the last meeting that discussed them


@dataclass(frozen=True)
class Requirement:
    """One thing the rating requires, and where it stands on a given day."""

    what: str  # "C(E)TR", "Keyworker", …
    state: str  # done, due, overdue or needed (required, no date set)
    due_on: datetime.date | None = None
    done_on: datetime.date | None = None
    days_overdue: int = 0
    done_text: str = ""
    needed_text: str = ""

    @property
    def text(self) -> str:
        if self.state == DONE:
            return self.done_text or f"{self.what} on {format_date(self.done_on)}"
        if self.state == OVERDUE:
            plural = "" if self.days_overdue == 1 else "s"
            return f"{self.what} overdue by {self.days_overdue} day{plural}"
        if self.state == DUE:
            return f"{self.what} due by {format_date(self.due_on)}"
        return self.needed_text or f"{self.what} needed"

    @property
    def sentence(self) -> str:
        """The text as a sentence of its own (capitalised first letter, the rest as it is)."""
        return self.text[:1].upper() + self.text[1:]


def _dated(what: str, due_on: datetime.date, done_on: datetime.date | None, on: datetime.date) -> Requirement:
    if done_on is not None:
        return Requirement(what=what, state=DONE, done_on=done_on, due_on=due_on)
    if on > due_on:
        return Requirement(what=what, state=OVERDUE, due_on=due_on, days_overdue=(on - due_on).days)
    return Requirement(what=what, state=DUE, due_on=due_on)


def _since(day: datetime.date | None, start: datetime.date | None) -> datetime.date | None:
    """`day` if it is on or after `start` (any day when there is no start)."""
    if day is None:
        return None
    return day if start is None or day >= start else None


def _keyworker(facts: Facts, register, on: datetime.date) -> list[Requirement]:
    if age_on(facts.date_of_birth, on) > register.keyworker_max_age:
        return []
    if facts.has_keyworker:
        return [Requirement(what="Keyworker", state=DONE, done_text="keyworker allocated")]
    return [Requirement(what="Keyworker", state=NEEDED, needed_text="keyworker referral needed")]


# The ratings whose requirements fall due on a date (a C(E)TR for red; post-admission and inpatient C(E)TRs
# and oversight visits for blue): for the others a requirement is needed or done, never due. A list of what
# is due (today's work) need look only at these, and at reviews of the rating itself.
DATED_RATINGS = frozenset({"red", "blue"})


def requirements(facts: Facts, register, on: datetime.date) -> list[Requirement]:
    """What the current rating requires, what is done and what is due or overdue on `on`."""
    if facts.rating == "red":
        # Red: a community C(E)TR must take place (within the register's target) and a keyworker referral.
        since = facts.rated_since or on
        due = since + datetime.timedelta(days=register.red_review_target_days)
        done = _since(facts.last_community_review_on, facts.rated_since)
        return [_dated("C(E)TR", due, done, on), *_keyworker(facts, register, on)]
    if facts.rating == "amber":
        # Amber: a multi-agency meeting and/or a C(E)TR, and a keyworker referral.
        done = max(
            (
                d
                for d in (
                    _since(facts.last_review_on, facts.rated_since),
                    _since(facts.last_meeting_on, facts.rated_since),
                )
                if d
            ),
            default=None,
        )
        meeting = (
            Requirement(what="MDT meeting or C(E)TR", state=DONE, done_on=done)
            if done
            else Requirement(what="MDT meeting or C(E)TR", state=NEEDED)
        )
        return [meeting, *_keyworker(facts, register, on)]
    if facts.rating == "green":
        # Green: know which partners a C(E)TR would need.
        if facts.care_team_size:
            return [Requirement(what="Partners", state=DONE, done_text="partners identified")]
        return [Requirement(what="Partners", state=NEEDED, needed_text="partners to identify")]
    if facts.rating == "blue":
        return _inpatient(facts, register, on)
    return []


def _inpatient(facts: Facts, register, on: datetime.date) -> list[Requirement]:
    """Blue: a post-admission C(E)TR, then inpatient C(E)TRs, and commissioner oversight visits for someone
    in hospital outside the register's area."""
    admitted = facts.admitted_on
    if admitted is None:
        return [Requirement(what="Admission", state=NEEDED, needed_text="no current admission recorded")]
    found = []
    child_at_admission = is_child_on(facts.date_of_birth, admitted)
    window = (
        register.post_admission_review_days_child
        if child_at_admission
        else register.post_admission_review_days_adult
    )
    before = facts.last_review_before_admission_on
    counted_before = (
        before
        if before is not None and (admitted - before).days <= register.pre_admission_review_counts_days
        else None
    )
    latest = facts.last_review_since_admission_on or counted_before
    if latest is None:
        found.append(_dated("post-admission C(E)TR", admitted + datetime.timedelta(days=window), None, on))
    else:
        if facts.last_review_since_admission_on is None:
            found.append(
                Requirement(
                    what="post-admission C(E)TR",
                    state=DONE,
                    done_text=f"C(E)TR on {format_date(counted_before)}, just before admission, counts",
                )
            )
        if not is_child_on(facts.date_of_birth, on):
            months = (
                register.inpatient_review_months_secure
                if facts.secure_service
                else register.inpatient_review_months_adult
            )
        else:
            months = register.inpatient_review_months_child
        found.append(_dated("inpatient C(E)TR", months_after(latest, months), None, on))
    if facts.out_of_area:  # commissioner oversight visits are for out-of-area inpatients
        weeks = (
            register.oversight_visit_weeks_child
            if is_child_on(facts.date_of_birth, on)
            else register.oversight_visit_weeks_adult
        )
        base = facts.last_visit_since_admission_on or admitted
        found.append(_dated("oversight visit", base + datetime.timedelta(weeks=weeks), None, on))
    return found


# The first due date of someone with nothing dated to do: later than any day a list asks about.
NOTHING_DUE = datetime.date.max


def first_due(found: list[Requirement], review_due: datetime.date | None) -> datetime.date:
    """The first day anything falls due for someone: a requirement of their rating not yet done (due or
    overdue), or the review of the rating itself; NOTHING_DUE when neither has a date. Today's work lists
    someone within a week of this day (dsr.workspace.today)."""
    dates = [r.due_on for r in found if r.state in (DUE, OVERDUE) and r.due_on is not None]
    if review_due is not None:
        dates.append(review_due)
    return min(dates, default=NOTHING_DUE)


def summary(rating: str, found: list[Requirement]) -> str:
    """The short form, e.g. "Red: C(E)TR overdue by 9 days; keyworker allocated"."""
    if not rating or not found:
        return ""
    return f"{rating.capitalize()}: " + "; ".join(r.text for r in found)


def worst_state(found: list[Requirement]) -> str:
    """overdue, needed, due or done: how the list marks the row."""
    for state in (OVERDUE, NEEDED, DUE):
        if any(r.state == state for r in found):
            return state
    return DONE
