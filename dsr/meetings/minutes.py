"""A meeting's minutes: who came, and for each item what was said and decided, on screen and as a PDF."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from dsr.access import Scope
from dsr.meetings import selectors
from dsr.meetings.models import AgendaItem, Attendee, Meeting
from dsr.pdf import render_pdf
from dsr.people.models import Person


@dataclass
class Section:
    item: AgendaItem
    decided: dict = field(default_factory=dict)
    withheld: bool = False  # the person's record is filed, and this reader may not open it

    @property
    def title(self) -> str:
        if self.withheld:
            return "A filed record"
        if self.item.person is not None:
            return self.item.person.full_name
        return f"Referral {self.item.referral.reference}: {self.item.referral.full_name}"

    @property
    def why(self) -> str:
        """Why the item was on the agenda, said once: its reasons already name the heading ("Red: C(E)TR
        overdue"), so the heading is shown only when there are no reasons."""
        return self.item.reasons or self.item.get_category_display()

    @property
    def has_decisions(self) -> bool:
        """Something for the Decisions heading: the decisions typed, or a rating, review or escalation (the
        actions have their own heading)."""
        d = self.decided
        return bool(
            self.item.decisions
            or d.get("ratings")
            or d.get("reviews")
            or d.get("escalated")
            or d.get("closed")
        )


@dataclass
class Minutes:
    meeting: Meeting
    present: list[Attendee]
    apologies: list[Attendee]
    sections: list[Section]
    produced_at: datetime.datetime

    @property
    def people(self) -> list[Person]:
        return [s.item.person for s in self.sections if s.item.person is not None and not s.withheld]


def gather(scope: Scope, meeting: Meeting) -> Minutes:
    """Everything the minutes show, in a fixed number of queries whatever the number of items. An item about
    a record that has since been filed is withheld from anyone who may no longer open that record."""
    attendees = selectors.attendees(meeting)
    decided = selectors.decided_at(meeting)
    items = selectors.items(meeting)
    may_open = selectors.openable(scope, [item.person_id for item in items if item.person_id])
    sections = [
        Section(
            item=item,
            decided=decided.get(str(item.person_id), {}),
            withheld=item.person_id is not None and item.person_id not in may_open,
        )
        for item in items
    ]
    return Minutes(
        meeting=meeting,
        present=[a for a in attendees if a.present],
        apologies=[a for a in attendees if not a.present],
        sections=sections,
        produced_at=timezone.now(),
    )


def as_pdf(minutes: Minutes) -> bytes:
    """The minutes as an A4 PDF."""
    return render_pdf("meetings/minutes_pdf.jinja", {"minutes": minutes, "meeting": minutes.meeting})
