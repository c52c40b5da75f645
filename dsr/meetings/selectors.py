"""Reads of meetings, their agenda and minutes, always through the user's scope: a meeting is seen only by
coordinators and panel members of its register, and only that register's people are ever on it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from dsr.access import Scope
from dsr.actions.models import Action
from dsr.actions.selectors import overdue_action_count
from dsr.meetings import agenda
from dsr.meetings.models import AgendaItem, Attendee, Escalation, Meeting
from dsr.people import search
from dsr.people.models import Person
from dsr.ratings.models import RiskRating
from dsr.referrals.models import Referral
from dsr.registers.models import Register
from dsr.reviews import policy
from dsr.reviews.models import Review
from dsr.reviews.selectors import (
    RequirementFacts,
    facts_from_annotations,
    requirement_facts,
    with_requirement_facts,
)

OPEN_REFERRAL_STATES = [
    Referral.State.RECEIVED,
    Referral.State.CONSULTATION_OFFERED,
    Referral.State.AWAITING_MEETING,
]


def meetings_for(scope: Scope) -> QuerySet[Meeting]:
    """Meetings of the registers the user works in as a coordinator or panel member, newest first."""
    return Meeting.objects.filter(register__in=scope.registers_for("see_meetings")).select_related(
        "register", "cancelled_by"
    )


def meeting_for(scope: Scope, meeting_id) -> Meeting:
    """One meeting the user may see, or 404."""
    try:
        return meetings_for(scope).get(pk=meeting_id)
    except (Meeting.DoesNotExist, ValueError) as error:
        raise Http404("No such meeting") from error


def last_held_on(register: Register, kind: str) -> datetime.date | None:
    """The date of the register's latest meeting of this kind (a cancelled one does not count)."""
    latest = (
        Meeting.objects.filter(register=register, kind=kind)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-held_on")
        .first()
    )
    return latest.held_on if latest else None


class AgendaFacts(RequirementFacts):
    """What `with_agenda_facts` annotates each person with: the policy facts, how many of their actions are
    overdue, and the reason of their open escalation to the oversight panel (None: not escalated)."""

    overdue_actions: int
    open_escalation_reason: str | None


if TYPE_CHECKING:  # WithAnnotations takes the annotations' TypedDict only for the type checker
    from typing import TypeAlias

    from django_stubs_ext import WithAnnotations

    PersonToDiscuss: TypeAlias = WithAnnotations[Person, AgendaFacts]


def open_escalation_reason() -> Subquery:
    """The reason of a person's open escalation to the oversight panel, if any: a subquery, to annotate people
    with."""
    open_escalation = Escalation.objects.filter(person=OuterRef("pk"), closed_on__isnull=True).order_by(
        "-escalated_on"
    )
    return Subquery(open_escalation.values("reason")[:1])


def with_agenda_facts(people: QuerySet[Person], on: datetime.date) -> QuerySet[PersonToDiscuss]:
    """Annotate each person with everything the agenda rules need (AgendaFacts), as correlated subqueries."""
    return with_requirement_facts(people, on).annotate(
        overdue_actions=overdue_action_count(on), open_escalation_reason=open_escalation_reason()
    )


def people_to_discuss(
    scope: Scope, register: Register, on: datetime.date
) -> list[tuple[Person, agenda.Standing]]:
    """The register's active people in name order, each with what brings them to a meeting, in the same few
    queries whatever the size of the register: the policy facts a query for each kind of record they come
    from, overdue actions and open escalations as subqueries. Each person holds only what their agenda item
    needs (a register can have thousands of people)."""
    people = scope.people().filter(register=register, status=Person.Status.ACTIVE)
    facts = requirement_facts(people, on)
    found: list[tuple[Person, agenda.Standing]] = []
    for person in (
        people.only("id", "register_id", "date_of_birth", "current_rating", "next_review_due")
        .annotate(overdue_actions=overdue_action_count(on), open_escalation_reason=open_escalation_reason())
        .order_by("family_name", "given_name", "pk")
    ):
        if person.pk not in facts:
            continue  # joined the register a moment ago: bringing the agenda up to date adds them
        standing = agenda.Standing(
            rating=person.current_rating,
            requirements=policy.requirements(facts[person.pk], register, on),
            review_due=person.next_review_due,
            overdue_actions=person.overdue_actions,
            escalation_reason=person.open_escalation_reason or "",
        )
        found.append((person, standing))
    return found


def open_referrals(scope: Scope, register: Register) -> QuerySet[Referral]:
    """Referrals to the register still awaiting a decision, oldest first (coordinators only)."""
    if not scope.may("triage_referrals", register=register):
        return Referral.objects.none()
    return Referral.objects.filter(register=register, state__in=OPEN_REFERRAL_STATES).order_by("received_at")


def candidates(scope: Scope, meeting: Meeting) -> QuerySet[Person]:
    """People of the meeting's register who could be added to its agenda (not on it already)."""
    on_agenda = meeting.items.filter(person__isnull=False).values("person")
    return (
        scope.people()
        .filter(register=meeting.register, status=Person.Status.ACTIVE)
        .exclude(pk__in=on_agenda)
        .order_by("family_name", "given_name")
    )


def candidates_matching(scope: Scope, meeting: Meeting, typed: str) -> QuerySet[Person]:
    """The people who could be added to the meeting's agenda whose NHS number or names match what was typed
    (as the register's own search matches them)."""
    return search.matching(candidates(scope, meeting), typed)


def openable(scope: Scope, person_ids: list) -> set:
    """Which of these people's records the user may open (a filed record opens for coordinators only)."""
    return set(scope.people().filter(pk__in=person_ids).values_list("pk", flat=True))


def agenda_of(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The meeting's agenda in order, with each item's person or referral: to page through, as a register's
    agenda can run to thousands of items."""
    return meeting.items.select_related("person__register", "referral").order_by("position")


def items(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's whole agenda in order, with each item's person or referral, in one query (for its
    minutes)."""
    return list(agenda_of(meeting))


@dataclass
class Heading:
    """One heading of an agenda: how many items are under it, and the position of the first."""

    category: str
    label: str
    count: int
    first: int


def headings(meeting: Meeting) -> list[Heading]:
    """The agenda's headings in the order the meeting takes them, with their number of items, in one
    query."""
    rows = (
        meeting.items.order_by()
        .values("category")
        .annotate(count=Count("pk"), first=Min("position"))
        .order_by("first")
    )
    labels = dict(AgendaItem.Category.choices)
    return [
        Heading(
            category=row["category"], label=labels[row["category"]], count=row["count"], first=row["first"]
        )
        for row in rows
    ]


def has_notes(meeting: Meeting) -> bool:
    """Whether anything has been said about any item: the meeting has been held."""
    return meeting.items.filter(Q(discussed=True) | ~Q(discussion="") | ~Q(decisions="")).exists()


def first_to_discuss(meeting: Meeting) -> AgendaItem | None:
    """The first item not yet discussed, or the first item when all have been (None: the agenda is empty)."""
    ordered = meeting.items.order_by("position")
    return ordered.filter(discussed=False).first() or ordered.first()


def undiscussed(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The items not yet discussed, in agenda order."""
    return agenda_of(meeting).filter(discussed=False)


def progress(meeting: Meeting) -> tuple[int, int]:
    """How many items the agenda has, and how many of them have not been discussed yet, in one query."""
    counts = meeting.items.aggregate(items=Count("pk"), undiscussed=Count("pk", filter=Q(discussed=False)))
    return counts["items"], counts["undiscussed"]


def items_around(meeting: Meeting, item: AgendaItem, *, size: int, before: int) -> list[AgendaItem]:
    """Up to `size` items of the agenda around an item, in order: `before` of them before it (more near the
    end of the agenda), the rest after it. Two queries whatever the agenda's length."""
    ordered = meeting.items.select_related("person", "referral")
    earlier = list(ordered.filter(position__lt=item.position).order_by("-position")[:size])[::-1]
    later = list(ordered.filter(position__gte=item.position).order_by("position")[:size])
    stretch = earlier + later
    start = max(0, min(len(earlier) - before, len(stretch) - size))
    return stretch[start : start + size]


def item_of(meeting: Meeting, item_id) -> AgendaItem:
    try:
        return meeting.items.select_related("person__register", "referral", "meeting__register").get(
            pk=item_id
        )
    except (AgendaItem.DoesNotExist, ValueError) as error:
        raise Http404("No such agenda item") from error


def attendees(meeting: Meeting) -> list[Attendee]:
    return list(meeting.attendees.all())


def decided_at(meeting: Meeting, person_id=None) -> dict[str, dict]:
    """What the meeting decided, by person id (only `person_id`'s, when given): ratings, actions, reviews
    arranged, escalations opened and closed. One query per kind of decision, whatever the number of people."""
    found: dict[str, dict] = {}
    about = {} if person_id is None else {"person_id": person_id}

    def bucket(person_id) -> dict:
        return found.setdefault(
            str(person_id), {"ratings": [], "actions": [], "reviews": [], "escalated": [], "closed": []}
        )

    for rating in (
        RiskRating.objects.filter(meeting=meeting, **about).select_related("rated_by").order_by("rated_at")
    ):
        bucket(rating.person_id)["ratings"].append(rating)
    for action in (
        Action.objects.filter(meeting=meeting, **about).select_related("organisation").order_by("created_at")
    ):
        bucket(action.person_id)["actions"].append(action)
    for review in Review.objects.filter(meeting=meeting, **about).order_by("review_on"):
        bucket(review.person_id)["reviews"].append(review)
    for escalation in Escalation.objects.filter(meeting=meeting, **about).order_by("escalated_on"):
        bucket(escalation.person_id)["escalated"].append(escalation)
    for escalation in Escalation.objects.filter(closed_at_meeting=meeting, **about).order_by("closed_on"):
        bucket(escalation.person_id)["closed"].append(escalation)
    return found


def person_on_item(scope: Scope, item: AgendaItem, on: datetime.date) -> Person | None:
    """The item's person with what the running page shows about them now (rating, what the rating requires,
    open actions and escalation), or None for a referral. A fixed number of queries."""
    if item.person_id is None:
        return None
    queryset = with_agenda_facts(scope.people().select_related("register"), on).prefetch_related(
        Prefetch("actions", queryset=Action.objects.filter(status=Action.Status.OPEN).order_by("due_on")),
        Prefetch("escalations", queryset=Escalation.objects.filter(closed_on__isnull=True)),
    )
    person = scope.person(item.person_id, queryset=queryset)
    found = policy.requirements(facts_from_annotations(person), person.register, on)
    person.requirements_summary = policy.summary(person.current_rating, found)
    person.open_actions = list(person.actions.all())
    person.open_escalation = next(iter(person.escalations.all()), None)
    return person


def minutes_of_person(person: Person) -> list[AgendaItem]:
    """A person's own sections of meeting minutes, those about their referral included, newest meeting first
    (for their chronology). A cancelled meeting never discussed them."""
    # Two indexed lookups (their items, their referral's items) in one query: "person = X OR the referral's
    # person = X" across the outer join to referrals would read every agenda item in the country.
    about_them = (
        AgendaItem.objects.filter(person=person)
        .order_by()
        .values("pk")
        .union(AgendaItem.objects.filter(referral__person=person).order_by().values("pk"))
    )
    return list(
        AgendaItem.objects.filter(pk__in=about_them)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting")
        .order_by("-meeting__held_on", "position")
    )
