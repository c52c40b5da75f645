"""Every change to a meeting: creating it with its agenda built from the register, arranging the agenda,
attendance, and what is discussed and decided. Decisions are the register's normal records (ratings,
actions, reviews, escalations) linked to the meeting. Audited in the same transaction.

Longer than 400 lines because a meeting's whole life is one set of rules, checked here and nowhere else: what
may change before it starts, that it is run only from its start time, finished only when confirmed, and
cancelled only before it has been held.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dsr import audit
from dsr.access import Scope
from dsr.actions import services as action_services
from dsr.actions.models import Action
from dsr.audit import bulk
from dsr.audit.models import AuditEvent
from dsr.dates import format_date, today
from dsr.meetings import agenda, selectors
from dsr.meetings.models import AgendaItem, Attendee, Escalation, Meeting
from dsr.people.models import Person
from dsr.ratings import services as rating_services
from dsr.ratings.models import RiskRating
from dsr.registers.models import Register
from dsr.registers.policy import roles_that_may
from dsr.reviews import policy
from dsr.reviews import services as review_services
from dsr.reviews.models import Review


def _refuse_when_finished(meeting: Meeting) -> None:
    """Agenda, attendance and details may change until the meeting has finished or been cancelled."""
    if meeting.is_finished:
        raise ValidationError("The meeting has finished: its minutes can no longer be changed")
    if meeting.is_cancelled:
        raise ValidationError("The meeting was cancelled: it can no longer be changed")


def refuse_unless_running(meeting: Meeting, now: datetime.datetime | None = None) -> None:
    """A meeting is run (items discussed, decisions recorded, finished) only from its start time, and only
    until it has finished; a cancelled meeting is never run."""
    _refuse_when_finished(meeting)
    if not meeting.has_begun(now):
        raise ValidationError(f"The meeting can be run from {starts_in_words(meeting)}, not before")


def starts_in_words(meeting: Meeting) -> str:
    """E.g. "14:30 on 3 March 2027", or "3 March 2027" for a meeting without a start time."""
    day = format_date(meeting.held_on)
    return f"{meeting.starts_at:%H:%M} on {day}" if meeting.starts_at else day


def _check_date(held_on: datetime.date | None, *, was: datetime.date | None = None) -> None:
    """A meeting's date is needed, and a new one must be today or later (a date left as it was may have
    passed)."""
    if not isinstance(held_on, datetime.date):
        raise ValidationError({"held_on": "Enter the date of the meeting"})
    if held_on != was and held_on < today():
        raise ValidationError({"held_on": "The date of the meeting must be today or in the future"})


def _check_details(*, starts_at: datetime.time | None, location: str, chair: str) -> None:
    """Every detail of a meeting is checked together, so each problem is named against its field."""
    problems: dict[str, str] = {}
    if not isinstance(starts_at, datetime.time):
        problems["starts_at"] = "Enter the start time of the meeting, like 14:30"
    if len(location.strip()) > 200:
        problems["location"] = "Where, or how to join, must be 200 characters or fewer"
    if len(chair.strip()) > 200:
        problems["chair"] = "The chair's name must be 200 characters or fewer"
    if problems:
        raise ValidationError(problems)


def _check_register(scope: Scope, register: Register | None) -> None:
    if register is None or not scope.may("run_meeting", register=register):
        raise ValidationError({"register": "Choose a register whose meetings you run"})


def _check_kind(kind: str) -> None:
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": "Choose the kind of meeting"})


@transaction.atomic
def create_meeting(
    *,
    scope: Scope,
    register: Register,
    kind: str,
    held_on: datetime.date,
    starts_at: datetime.time,
    by,
    location: str = "",
    chair: str = "",
) -> Meeting:
    """Create a meeting with its agenda built from the register as it stands, and invite the register's
    coordinators, panel members and keyworkers. Every detail is checked first: nothing is created when one
    is wrong."""
    problems: dict[str, list[str]] = {}
    checks = [
        lambda: _check_register(scope, register),
        lambda: _check_kind(kind),
        lambda: _check_date(held_on),
        lambda: _check_details(starts_at=starts_at, location=location, chair=chair),
    ]
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems.setdefault(name, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    meeting = Meeting.objects.create(
        register=register,
        kind=kind,
        held_on=held_on,
        starts_at=starts_at,
        location=location.strip(),
        chair=chair.strip(),
        created_by=by,
    )
    audit.record_change(by=by, record=meeting, action=AuditEvent.Action.CREATE)
    build_agenda(scope=scope, meeting=meeting, by=by)
    invited = register.memberships.filter(role__in=roles_that_may("invited_to_meetings")).select_related(
        "user", "organisation"
    )
    Attendee.objects.bulk_create(
        Attendee(
            meeting=meeting,
            user=membership.user,
            name=membership.user.get_full_name() or membership.user.username,
            organisation=str(membership.organisation or membership.get_role_display()),
        )
        for membership in invited
    )
    return meeting


@transaction.atomic
def change_details(
    *,
    meeting: Meeting,
    held_on: datetime.date,
    starts_at: datetime.time,
    by,
    location: str = "",
    chair: str = "",
) -> Meeting:
    """Move a meeting, or change where it is or who chairs it, until it has finished. A new date must be
    today or later; the agenda stays as it is (bring it up to date for the new date)."""
    _refuse_when_finished(meeting)
    _check_date(held_on, was=meeting.held_on)
    _check_details(starts_at=starts_at, location=location, chair=chair)
    audit.save_changes(
        by=by,
        record=meeting,
        values={
            "held_on": held_on,
            "starts_at": starts_at,
            "location": location.strip(),
            "chair": chair.strip(),
        },
    )
    return meeting


def _due_items(scope: Scope, meeting: Meeting) -> list[AgendaItem]:
    """Every referral awaiting a decision and every person the meeting's kind discusses, unsaved, under
    their heading in agenda order. What is due or overdue is as the register stands today (as every other
    page says it); a forum's age group is by the meeting's date."""
    on = today()
    found: list[tuple[int, AgendaItem]] = []
    if agenda.Category.NEW_REFERRAL in agenda.KIND_CATEGORIES[meeting.kind]:
        for referral in selectors.open_referrals(scope, meeting.register):
            if not agenda.in_age_group(meeting.kind, referral.date_of_birth, meeting.held_on):
                continue
            reason = agenda.referral_reason(
                referral.get_state_display(), timezone.localdate(referral.received_at), on
            )
            item = AgendaItem(category=agenda.Category.NEW_REFERRAL, referral=referral, reasons=reason)
            found.append((0, item))
    for person, standing in selectors.people_to_discuss(scope, meeting.register, on):
        if not agenda.in_age_group(meeting.kind, person.date_of_birth, meeting.held_on):
            continue
        category = agenda.place(meeting.kind, standing, on)
        if category is None:
            continue
        item = AgendaItem(category=category, person=person, reasons=agenda.reasons(standing, on))
        found.append((agenda.ORDER.index(category), item))
    found.sort(key=lambda pair: pair[0])  # stable: names stay in order within a heading
    return [item for _, item in found]


def _append(meeting: Meeting, items: list[AgendaItem], by) -> list[AgendaItem]:
    """Number the items on from the end of the agenda and save them, each with its audit event. Written
    together, in a fixed number of queries: a register's agenda can run to thousands of items."""
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    for position, item in enumerate(items, start=last + 1):
        item.meeting = meeting
        item.position = position
    bulk.save_all(AgendaItem, items)
    audit.record_changes(by=by, records=items, action=AuditEvent.Action.CREATE)
    return items


def build_agenda(*, scope: Scope, meeting: Meeting, by) -> list[AgendaItem]:
    """Put on the new meeting's agenda everyone and every referral its kind discusses."""
    with bulk.uncollected():
        return _append(meeting, _due_items(scope, meeting), by)


@transaction.atomic
def bring_agenda_up_to_date(*, scope: Scope, meeting: Meeting, by) -> list[AgendaItem]:
    """Add, at the end of the agenda, whoever has come to need discussing since it was built (newly red, a
    review gone overdue, a new referral). Nobody already on it is added again or moved, and nothing is
    taken off: the coordinator decides that."""
    _refuse_when_finished(meeting)
    on_agenda = set(meeting.items.values_list("person_id", "referral_id"))
    people = {person for person, _ in on_agenda if person}
    referrals = {referral for _, referral in on_agenda if referral}
    with bulk.uncollected():
        new = [
            item
            for item in _due_items(scope, meeting)
            if item.person_id not in people and item.referral_id not in referrals
        ]
        return _append(meeting, new, by)


@transaction.atomic
def add_item(*, meeting: Meeting, person: Person, by) -> AgendaItem:
    """Add a person of the meeting's register to the end of its agenda."""
    _refuse_when_finished(meeting)
    if person.register_id != meeting.register_id:
        raise ValidationError({"person": "Choose someone on this meeting's register"})
    if meeting.items.filter(person=person).exists():
        raise ValidationError({"person": f"{person.full_name} is already on the agenda"})
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        category=agenda.Category.ADDED,
        person=person,
        reasons=f"Added to the agenda by {by.get_full_name() or by.username}",
    )
    audit.record_change(by=by, record=item, action=AuditEvent.Action.CREATE)
    return item


@transaction.atomic
def remove_item(*, item: AgendaItem, by) -> None:
    """Take an item off the agenda, unless the meeting has already said something about it."""
    meeting = item.meeting
    _refuse_when_finished(meeting)
    if item.discussion or item.decisions or item.discussed:
        raise ValidationError("This item has notes from the meeting, so it stays on the agenda")
    before = audit.snapshot(item)
    audit.record_change(by=by, record=item, action=AuditEvent.Action.DELETE, before=before)
    item.delete()
    _renumber(meeting)


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(meeting.items.order_by("position"), start=1):
        if item.position != position:
            AgendaItem.objects.filter(pk=item.pk).update(position=position)


@transaction.atomic
def move_item(*, item: AgendaItem, direction: str, by) -> None:
    """Move an item one place up or down the agenda."""
    meeting = item.meeting
    _refuse_when_finished(meeting)
    ordered = list(meeting.items.select_for_update().order_by("position"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1 if direction == "down" else None
    if target is None:
        raise ValidationError("Choose up or down")
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered, start=1):
        if other.position != position:
            audit.save_changes(by=by, record=other, values={"position": position})


@transaction.atomic
def record_attendance(
    *, meeting: Meeting, present: set[str], by, name: str = "", organisation: str = ""
) -> None:
    """Mark who came, and add anyone else who attended (a guest from another agency, say)."""
    if meeting.is_cancelled:
        raise ValidationError("The meeting was cancelled: nobody attended it")
    for attendee in meeting.attendees.all():
        came = str(attendee.pk) in present
        if attendee.present != came:
            audit.save_changes(by=by, record=attendee, values={"present": came})
    if organisation.strip() and not name.strip():
        raise ValidationError({"name": "Enter the name of the person who attended"})
    if name.strip():
        guest = Attendee.objects.create(
            meeting=meeting, name=name.strip(), organisation=organisation.strip(), present=True
        )
        audit.record_change(by=by, record=guest, action=AuditEvent.Action.CREATE)


@transaction.atomic
def save_notes(
    *, item: AgendaItem, discussion: str, decisions: str, by, discussed: bool | None = None
) -> AgendaItem:
    """Keep what the meeting said and decided about an item (autosaved as it is typed), from the meeting's
    start time."""
    refuse_unless_running(item.meeting)
    values: dict[str, Any] = {"discussion": discussion.strip(), "decisions": decisions.strip()}
    if discussed is not None:
        values["discussed"] = discussed
    values = {name: value for name, value in values.items() if getattr(item, name) != value}
    if values:
        values["updated_by_id"] = by.pk
        audit.save_changes(by=by, record=item, values=values)
    return item


def _person_of(item: AgendaItem) -> Person:
    if item.person is None:
        raise ValidationError("A referral is decided on its own page: accept or decline it there")
    refuse_unless_running(item.meeting)
    if item.person.status != Person.Status.ACTIVE:
        raise ValidationError(f"{item.person.full_name} has left the register: their record can't change")
    return item.person


@transaction.atomic
def rate(
    *, item: AgendaItem, by, rating: str, rationale: str, factors, next_review_due: datetime.date
) -> RiskRating:
    """A new rating decided by the meeting: a normal rating entry, attributed, linked to the meeting."""
    return rating_services.record_rating(
        person=_person_of(item),
        rating=rating,
        rationale=rationale,
        factors=factors,
        next_review_due=next_review_due,
        by=by,
        meeting=item.meeting,
    )


@transaction.atomic
def add_action(*, item: AgendaItem, by, **follow_up: Any) -> Action:
    """An action agreed by the meeting: a normal action, in its owner's list."""
    return action_services.add_action(person=_person_of(item), by=by, meeting=item.meeting, **follow_up)


@transaction.atomic
def arrange_review(*, item: AgendaItem, review_on: datetime.date, by) -> Review:
    """A C(E)TR the meeting asks for: planned on the person's record, its type from their age that day and
    its setting from whether they are in hospital."""
    person = _person_of(item)
    if review_on is None:
        raise ValidationError({"review_on": "Enter the date of the review"})
    admission = person.admissions.filter(discharged_on__isnull=True).order_by("-admitted_on").first()
    details = review_services.ReviewDetails(
        kind=policy.review_type(date_of_birth=person.date_of_birth, review_on=review_on),
        setting=Review.Setting.INPATIENT if admission else Review.Setting.COMMUNITY,
        admission=admission,
        review_on=review_on,
        status=Review.Status.PLANNED,
    )
    return review_services.record_review(person=person, details=details, by=by, meeting=item.meeting)


@transaction.atomic
def escalate(*, person: Person, reason: str, by, meeting: Meeting | None = None) -> Escalation:
    """Bring a person to the C(E)TR oversight panel: an explicit decision with its reason."""
    if meeting is not None:
        refuse_unless_running(meeting)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the oversight panel needs to see them"})
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(f"{person.full_name} has left the register")
    if person.escalations.filter(closed_on__isnull=True).exists():
        raise ValidationError(f"{person.full_name} is already escalated to the oversight panel")
    escalation = Escalation.objects.create(
        person=person, reason=reason.strip(), meeting=meeting, escalated_by=by, escalated_on=today()
    )
    audit.record_change(by=by, record=escalation, action=AuditEvent.Action.CREATE)
    return escalation


@transaction.atomic
def close_escalation(
    *, escalation: Escalation, outcome: str, by, meeting: Meeting | None = None
) -> Escalation:
    """Record what the oversight panel decided, which ends the escalation."""
    if meeting is not None:
        refuse_unless_running(meeting)
    if not escalation.is_open:
        raise ValidationError("The escalation is already closed")
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter what the panel decided"})
    return audit.save_changes(
        by=by,
        record=escalation,
        values={
            "closed_on": today(),
            "outcome": outcome.strip(),
            "closed_by": by,
            "closed_at_meeting": meeting,
        },
    )


def _locked(meeting: Meeting) -> Meeting:
    """The meeting as it stands now, held until the transaction ends: two people finishing or cancelling it
    at once do it once."""
    meeting.refresh_from_db(from_queryset=Meeting.objects.select_for_update())
    return meeting


@transaction.atomic
def finish(*, meeting: Meeting, by, confirmed: bool) -> Meeting:
    """Close the meeting: its minutes are final. Only from its start time, and only once the coordinator has
    confirmed it (having been shown the items not yet discussed)."""
    meeting = _locked(meeting)
    refuse_unless_running(meeting)
    if not confirmed:
        raise ValidationError("Confirm that the meeting has finished")
    return audit.save_changes(
        by=by, record=meeting, values={"status": Meeting.Status.FINISHED, "finished_at": timezone.now()}
    )


@transaction.atomic
def cancel(*, meeting: Meeting, reason: str, by) -> Meeting:
    """Cancel a meeting not yet held (made by mistake, say): it is kept, marked cancelled with why, by whom
    and when, and is never run. Once an item has been discussed the meeting has been held: finish it
    instead."""
    meeting = _locked(meeting)
    _refuse_when_finished(meeting)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the meeting is cancelled"})
    if len(reason.strip()) > 1000:
        raise ValidationError({"reason": "Why the meeting is cancelled must be 1000 characters or fewer"})
    if selectors.has_notes(meeting):
        raise ValidationError(
            "Items of this meeting have been discussed, so it has been held: finish it instead"
        )
    return audit.save_changes(
        by=by,
        record=meeting,
        values={
            "status": Meeting.Status.CANCELLED,
            "cancelled_at": timezone.now(),
            "cancelled_by": by,
            "cancellation_reason": reason.strip(),
        },
    )
