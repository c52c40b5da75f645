"""Recording and answering subject access and rectification requests. Each function is one audited
business operation."""

import calendar
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dsr.dates import age_on, format_date, today
from dsr.governance import audit
from dsr.governance.models import AuditEvent
from dsr.people.models import Person
from dsr.rights import pack
from dsr.rights.models import RectificationRequest, Relationship, SubjectAccessRequest

# Under 16, someone else exercises the child's rights for them (DESIGN.md, "Information request").
ADULT_REQUESTER_AGE = 16
FOR_A_CHILD = {Relationship.PARENT, Relationship.LEGAL_AUTHORITY}


def one_month_after(received_on: datetime.date) -> datetime.date:
    """The deadline for an answer: the same day of the next month, or that month's last day when it
    has no such day (received 31 January, due 28 or 29 February), as the ICO counts a calendar month."""
    year, month = (
        (received_on.year + 1, 1) if received_on.month == 12 else (received_on.year, received_on.month + 1)
    )
    return datetime.date(year, month, min(received_on.day, calendar.monthrange(year, month)[1]))


def validate_request(*, person: Person, relationship: str, received_on: datetime.date) -> None:
    """Who may ask, and when: a request about a child under 16 comes from a parent or guardian, or
    from someone with legal authority to act for them."""
    if received_on > today():
        raise ValidationError({"received_on": "The date received must not be in the future"})
    if received_on < person.date_of_birth:
        raise ValidationError({"received_on": "The date received must be after the person was born"})
    age = age_on(person.date_of_birth, received_on)
    if age < ADULT_REQUESTER_AGE and relationship not in FOR_A_CHILD:
        raise ValidationError(
            {
                "requester_relationship": f"{person.given_name} was {age} when the request was received: "
                "for a child under 16 the request must come from a parent or guardian, or someone with "
                "legal authority to act for them"
            }
        )


def _created(by, record) -> None:
    audit.record_change(by=by, record=record, action=AuditEvent.Action.CREATE)


def _check_answered_on(day: datetime.date, *, field: str, received_on: datetime.date) -> None:
    if day > today():
        raise ValidationError({field: "The date must not be in the future"})
    if day < received_on:
        received = format_date(received_on)
        raise ValidationError(
            {field: f"The date must be on or after the day the request was received ({received})"}
        )


@transaction.atomic
def record_subject_access_request(*, person: Person, values: dict[str, Any], by) -> SubjectAccessRequest:
    """Record a request for a copy of the person's record; the answer is due one calendar month later."""
    validate_request(
        person=person, relationship=values["requester_relationship"], received_on=values["received_on"]
    )
    if values.get("identity_checked") and not values.get("identity_check", "").strip():
        raise ValidationError({"identity_check": "Enter how the requester's identity was checked"})
    request = SubjectAccessRequest.objects.create(
        person=person,
        requester_name=values["requester_name"].strip(),
        requester_relationship=values["requester_relationship"],
        received_on=values["received_on"],
        due_on=one_month_after(values["received_on"]),
        identity_checked=bool(values.get("identity_checked")),
        identity_check=values.get("identity_check", "").strip(),
        notes=values.get("notes", "").strip(),
        recorded_by=by,
    )
    _created(by, request)
    return request


@transaction.atomic
def produce_subject_access_pack(*, request: SubjectAccessRequest, by) -> bytes:
    """Build the person's subject access pack (a zip), audit it as an export and note it on the request."""
    person = request.person
    contents = pack.assemble(person)
    content = pack.zipped(contents)
    audit.record_export(
        by=by,
        register_ids=[person.register_id],
        what="subject_access_pack",
        detail={"request": str(request.pk), "documents": len(contents.documents)},
        person=person,
    )
    audit.save_changes(
        by=by, record=request, values={"pack_produced_at": timezone.now(), "pack_produced_by": by}
    )
    return content


def pack_filename(request: SubjectAccessRequest, *, on: datetime.date | None = None) -> str:
    """subject-access-<first 8 characters of the request id>-<date>.zip"""
    return f"subject-access-{request.short_id}-{(on or today()).isoformat()}.zip"


@transaction.atomic
def close_subject_access_request(
    *, request: SubjectAccessRequest, status: str, sent_on: datetime.date, refusal_reason: str = "", by
) -> SubjectAccessRequest:
    """Close a subject access request: the pack was sent, or the request refused with a reason."""
    if not request.is_open:
        raise ValidationError("This request is already closed")
    if status not in (SubjectAccessRequest.Status.COMPLETED, SubjectAccessRequest.Status.REFUSED):
        raise ValidationError({"status": "Choose whether the request was completed or refused"})
    if status == SubjectAccessRequest.Status.COMPLETED and request.pack_produced_at is None:
        raise ValidationError(
            {"status": "Produce the subject access pack before marking the request completed"}
        )
    refusal_reason = refusal_reason.strip()
    if status == SubjectAccessRequest.Status.REFUSED and not refusal_reason:
        raise ValidationError({"refusal_reason": "Enter why the request was refused"})
    _check_answered_on(sent_on, field="sent_on", received_on=request.received_on)
    return audit.save_changes(
        by=by,
        record=request,
        values={
            "status": status,
            "sent_on": sent_on,
            "refusal_reason": refusal_reason if status == SubjectAccessRequest.Status.REFUSED else "",
        },
    )


@transaction.atomic
def record_rectification_request(*, person: Person, values: dict[str, Any], by) -> RectificationRequest:
    """Record a request to correct the person's record; the answer is due one calendar month later."""
    validate_request(
        person=person, relationship=values["requester_relationship"], received_on=values["received_on"]
    )
    if not values["what_is_wrong"].strip():
        raise ValidationError({"what_is_wrong": "Enter what the requester says is wrong"})
    request = RectificationRequest.objects.create(
        person=person,
        requester_name=values["requester_name"].strip(),
        requester_relationship=values["requester_relationship"],
        received_on=values["received_on"],
        due_on=one_month_after(values["received_on"]),
        what_is_wrong=values["what_is_wrong"].strip(),
        recorded_by=by,
    )
    _created(by, request)
    return request


@transaction.atomic
def decide_rectification_request(
    *,
    request: RectificationRequest,
    outcome: str,
    told_on: datetime.date,
    change_made: str = "",
    refusal_reason: str = "",
    by,
) -> RectificationRequest:
    """Record the outcome: what was corrected (the correction itself is a normal audited edit of the
    record), or why the request was refused, and when the requester was told."""
    if not request.is_open:
        raise ValidationError("The outcome of this request is already recorded")
    change_made, refusal_reason = change_made.strip(), refusal_reason.strip()
    if outcome == RectificationRequest.Outcome.CORRECTED:
        if not change_made:
            raise ValidationError({"change_made": "Enter what was corrected"})
        refusal_reason = ""
    elif outcome == RectificationRequest.Outcome.REFUSED:
        if not refusal_reason:
            raise ValidationError({"refusal_reason": "Enter why the request was refused"})
        change_made = ""
    else:
        raise ValidationError({"outcome": "Choose whether the record was corrected or the request refused"})
    _check_answered_on(told_on, field="told_on", received_on=request.received_on)
    return audit.save_changes(
        by=by,
        record=request,
        values={
            "outcome": outcome,
            "change_made": change_made,
            "refusal_reason": refusal_reason,
            "told_on": told_on,
            "decided_by": by,
        },
    )
