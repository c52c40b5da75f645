"""Which people a meeting discusses, under which heading and why: pure functions of what the register knows
about each person on the meeting's date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dsr.dates import age_on, format_date, months_after
from dsr.meetings.models import AgendaItem, Meeting
from dsr.plurals import counted
from dsr.reviews import policy

Category = AgendaItem.Category

# The headings of an agenda, in the order the meeting takes them. A person appears once, under the first
# heading that applies; the item's reasons say everything else that brought them.
ORDER: list[str] = [
    Category.NEW_REFERRAL,
    Category.ESCALATED,
    Category.RED,
    Category.AMBER,
    Category.BLUE,
    Category.OVERDUE_REVIEW,
    Category.OVERDUE_ACTION,
    Category.ADDED,
]

# What each kind of meeting looks at. The register meeting and the forums go through the whole register
# (a forum, its own age group); the C(E)TR oversight panel follows reviews: people escalated to it,
# inpatients, and people whose reviews or actions are overdue.
KIND_CATEGORIES: dict[str, set[str]] = {
    Meeting.Kind.REGISTER: set(ORDER),
    Meeting.Kind.FORUM_CHILDREN: set(ORDER),
    Meeting.Kind.FORUM_ADULTS: set(ORDER),
    Meeting.Kind.OVERSIGHT_PANEL: {
        Category.ESCALATED,
        Category.BLUE,
        Category.OVERDUE_REVIEW,
        Category.OVERDUE_ACTION,
        Category.ADDED,
    },
}


def in_age_group(kind: str, date_of_birth: datetime.date, on: datetime.date) -> bool:
    """A children's forum discusses people aged 17 and under on the meeting date, an adults' forum 18 and
    over; other meetings everyone."""
    if kind == Meeting.Kind.FORUM_CHILDREN:
        return age_on(date_of_birth, on) < policy.ADULT_AGE
    if kind == Meeting.Kind.FORUM_ADULTS:
        return age_on(date_of_birth, on) >= policy.ADULT_AGE
    return True


@dataclass
class Standing:
    """What brings one person to a meeting on a given day."""

    rating: str
    requirements: list[policy.Requirement] = field(default_factory=list)
    review_due: datetime.date | None = None  # the rating's next review
    overdue_actions: int = 0
    escalation_reason: str = ""  # an open escalation to the oversight panel


def categories(standing: Standing, on: datetime.date) -> list[str]:
    """Every heading that applies to the person, in agenda order."""
    found = []
    if standing.escalation_reason:
        found.append(Category.ESCALATED)
    if standing.rating in (Category.RED, Category.AMBER, Category.BLUE):
        found.append(standing.rating)
    review_overdue = standing.review_due is not None and standing.review_due < on
    if review_overdue or any(r.state == policy.OVERDUE for r in standing.requirements):
        found.append(Category.OVERDUE_REVIEW)
    if standing.overdue_actions:
        found.append(Category.OVERDUE_ACTION)
    return found


def reasons(standing: Standing, on: datetime.date) -> str:
    """Why the person is on the agenda, in one line."""
    parts = []
    if standing.escalation_reason:
        parts.append(f"Escalated: {standing.escalation_reason}")
    summary = policy.summary(standing.rating, standing.requirements)
    if summary:
        parts.append(summary)
    elif standing.rating:
        parts.append(standing.rating.capitalize())
    if standing.review_due is not None and standing.review_due < on:
        days = (on - standing.review_due).days
        parts.append(f"rating review overdue by {counted(days, 'day')}")
    if standing.overdue_actions:
        n = standing.overdue_actions
        parts.append(f"{n} action{'' if n == 1 else 's'} overdue")
    return "; ".join(parts)[:500]


def place(kind: str, standing: Standing, on: datetime.date) -> str | None:
    """The heading the person goes under at a meeting of this kind, or None when it does not discuss them."""
    wanted = KIND_CATEGORIES[kind]
    return next((c for c in categories(standing, on) if c in wanted), None)


def referral_reason(state_label: str, received_on: datetime.date, on: datetime.date) -> str:
    """E.g. "Received 13 November 2026 (10 days ago)" or "Awaiting meeting; received …"."""
    days = (on - received_on).days
    received = f"received {format_date(received_on)} ({counted(days, 'day')} ago)"
    if state_label.lower() == "received":
        return received[:1].upper() + received[1:]
    return f"{state_label}; {received}"


def next_date(kind: str, last: datetime.date | None, register, on: datetime.date) -> datetime.date:
    """When the next meeting of this kind falls: a month after the last register meeting or forum, the
    register's interval after the last oversight panel, or today when there has been none."""
    if last is None or last < on - datetime.timedelta(days=92):
        return on
    if kind == Meeting.Kind.OVERSIGHT_PANEL:
        proposed = last + datetime.timedelta(weeks=register.oversight_panel_weeks)
    else:
        proposed = months_after(last, 1)
    return max(proposed, on)
