"""Recording and answering subject access and rectification requests. Each function is one audited
business operation."""

import dataclasses
import datetime
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dsr import audit
from dsr.audit.models import AuditEvent
from dsr.dates import age_on, format_date, today
from dsr.people.models import Person
from dsr.rights import pack, redactions
from dsr.rights.deadlines import MOST_EXTRA_MONTHS, answer_due
from dsr.rights.models import (
    ClockStart,
    ExtensionGround,
    InformationRequest,
    RectificationRequest,
    SubjectAccessRequest,
)
from dsr.rights.requesters import ADULT_REQUESTER_AGE, relies_on_authority, who_may_ask

_Request = TypeVar("_Request", SubjectAccessRequest, RectificationRequest)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Requester:
    """Who is asking about a person's record, when the request arrived, and what allows them to ask:
    whether a child was judged competent (by whom, why), and the consent or authority they rely on."""

    requester_name: str
    requester_relationship: str
    received_on: datetime.date
    competence: str = ""
    competence_judged_by: str = ""
    competence_reason: str = ""
    authority: str = ""
    authority_detail: str = ""


def validate_request(*, person: Person, requester: Requester) -> Requester:
    """Who may ask, and when (dsr.rights.requesters.who_may_ask); the requester's answers as they are
    kept: a competence judgement only for a child, consent or authority only where the requester relies
    on it."""
    received_on = requester.received_on
    if received_on > today():
        raise ValidationError({"received_on": "The date received must not be in the future"})
    if received_on < person.date_of_birth:
        raise ValidationError({"received_on": "The date received must be after the person was born"})
    requester = dataclasses.replace(
        requester,
        requester_name=requester.requester_name.strip(),
        competence=requester.competence.strip(),
        competence_judged_by=requester.competence_judged_by.strip(),
        competence_reason=requester.competence_reason.strip(),
        authority=requester.authority.strip(),
        authority_detail=requester.authority_detail.strip(),
    )
    relationship = requester.requester_relationship
    problem = who_may_ask(
        name=person.given_name,
        date_of_birth=person.date_of_birth,
        received_on=received_on,
        relationship=relationship,
        competence=requester.competence,
        competence_judged_by=requester.competence_judged_by,
        competence_reason=requester.competence_reason,
        authority=requester.authority,
        authority_detail=requester.authority_detail,
    )
    if problem is not None:
        raise ValidationError({problem.field: problem.message})
    age = age_on(person.date_of_birth, received_on)
    if age >= ADULT_REQUESTER_AGE:
        requester = dataclasses.replace(
            requester, competence="", competence_judged_by="", competence_reason=""
        )
    if not relies_on_authority(age, relationship, requester.competence):
        requester = dataclasses.replace(requester, authority="", authority_detail="")
    return requester


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


def _new_request(*, person: Person, requester: Requester) -> Requester:
    """The requester as the request keeps them, once they may ask (validate_request).

    Takes the person's row lock, as erasure does, so a request recorded while the record is being erased
    either stops the erasure or finds the record gone."""
    if not list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True)):
        raise ValidationError("This record has been erased, so a request about it cannot be recorded")
    return validate_request(person=person, requester=requester)


def _opened(request: _Request, *, person: Person, requester: Requester, by) -> _Request:
    """Save a new request with what every request starts with: the requester, and the one-month clock
    started the day it arrived."""
    request.person = person
    request.requester_name = requester.requester_name
    request.requester_relationship = requester.requester_relationship
    request.competence = requester.competence
    request.competence_judged_by = requester.competence_judged_by
    request.competence_reason = requester.competence_reason
    request.authority = requester.authority
    request.authority_detail = requester.authority_detail
    request.received_on = requester.received_on
    request.clock_started_on = requester.received_on
    request.due_on = answer_due(requester.received_on)
    request.recorded_by = by
    request.save(force_insert=True)  # as objects.create saves
    _created(by, request)
    return request


@transaction.atomic
def record_subject_access_request(
    *,
    person: Person,
    requester: Requester,
    identity_checked: bool = False,
    identity_check: str = "",
    notes: str = "",
    by,
) -> SubjectAccessRequest:
    """Record a request for a copy of the person's record; the answer is due one calendar month later."""
    requester = _new_request(person=person, requester=requester)
    if identity_checked and not identity_check.strip():
        raise ValidationError({"identity_check": "Enter how the requester's identity was checked"})
    return _opened(
        SubjectAccessRequest(
            identity_checked=identity_checked, identity_check=identity_check.strip(), notes=notes.strip()
        ),
        person=person,
        requester=requester,
        by=by,
    )


def _check_open(request: InformationRequest) -> None:
    if not request.is_open:
        raise ValidationError("This request is already closed")


def _told_in_time(*, told_on: datetime.date, clock_started_on: datetime.date) -> bool:
    """Whether the requester was told of an extension within the first month (UK GDPR Article 12(3))."""
    return told_on <= answer_due(clock_started_on)


@transaction.atomic
def start_clock(
    *, request: InformationRequest, started_by: str, started_on: datetime.date, detail: str, by
) -> InformationRequest:
    """Restart the one-month clock on the day the requester's identity was confirmed, or they said what
    they are asking for (ICO, "Right of access: time limits for responding"), and move the deadline."""
    _check_open(request)
    if started_by not in (ClockStart.IDENTITY, ClockStart.CLARIFIED):
        raise ValidationError(
            {"clock_start": "Choose whether their identity was confirmed or they clarified their request"}
        )
    detail = detail.strip()
    if not detail:
        raise ValidationError({"clock_start_detail": "Enter what was checked or asked"})
    _check_answered_on(started_on, field="clock_started_on", received_on=request.received_on)
    told_on = request.extension_told_on
    if told_on is not None and not _told_in_time(told_on=told_on, clock_started_on=started_on):
        raise ValidationError(
            {
                "clock_started_on": f"The requester was told of the extension on {format_date(told_on)}, "
                "more than a month after this date: check the date"
            }
        )
    values = {
        "clock_started_on": started_on,
        "clock_start": started_by,
        "clock_start_detail": detail,
        "due_on": answer_due(started_on, extra_months=request.extended_by_months),
    }
    if isinstance(request, SubjectAccessRequest) and started_by == ClockStart.IDENTITY:
        values.update(identity_checked=True, identity_check=detail)
    return audit.save_changes(by=by, record=request, values=values)


@transaction.atomic
def extend_deadline(
    *, request: InformationRequest, months: int, ground: str, reason: str, told_on: datetime.date, by
) -> InformationRequest:
    """Extend the deadline by one or two further months for a complex request or one of many, having
    told the requester why within the first month (UK GDPR Article 12(3))."""
    _check_open(request)
    if not 1 <= months <= MOST_EXTRA_MONTHS:
        raise ValidationError({"extended_by_months": "Choose an extension of 1 or 2 months"})
    if ground not in ExtensionGround.values:
        raise ValidationError(
            {"extension_ground": "Choose whether the request is complex or one of a number of requests"}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"extension_reason": "Enter why more time is needed"})
    _check_answered_on(told_on, field="extension_told_on", received_on=request.received_on)
    if not _told_in_time(told_on=told_on, clock_started_on=request.clock_started_on):
        raise ValidationError(
            {
                "extension_told_on": "The requester must be told of an extension within the first month, "
                f"by {format_date(request.first_due_on)}: the deadline can no longer be extended"
            }
        )
    return audit.save_changes(
        by=by,
        record=request,
        values={
            "extended_by_months": months,
            "extension_ground": ground,
            "extension_reason": reason,
            "extension_told_on": told_on,
            "due_on": answer_due(request.clock_started_on, extra_months=months),
        },
    )


@transaction.atomic
def produce_subject_access_pack(*, request: SubjectAccessRequest, by) -> bytes:
    """Build the person's subject access pack (a zip), audit it as an export and note it on the request."""
    person = request.person
    contents = pack.assemble(person, withheld=redactions.withheld(request))
    content = pack.zipped(contents)
    audit.record_export(
        by=by,
        register_ids=[person.register_id],
        what="subject_access_pack",
        detail={
            "request": str(request.pk),
            "documents": len(contents.documents),
            "withheld": contents.withheld,
        },
        person=person,
    )
    audit.save_changes(
        by=by, record=request, values={"pack_produced_at": timezone.now(), "pack_produced_by": by}
    )
    return content


def pack_filename(request: SubjectAccessRequest, *, on: datetime.date | None = None) -> str:
    """subject-access-<first 8 characters of the request id>-<date>.zip"""
    return f"subject-access-{request.short_id}-{(on or today()).isoformat()}.zip"


def _refusal(grounds, *, ground: str, reason: str) -> tuple[str, str]:
    """A refusal's ground and reason, both needed."""
    if ground not in grounds.values:
        raise ValidationError({"refusal_ground": "Choose the ground for refusing the request"})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"refusal_reason": "Enter why the request was refused"})
    return ground, reason


@transaction.atomic
def close_subject_access_request(
    *,
    request: SubjectAccessRequest,
    status: str,
    sent_on: datetime.date,
    refusal_ground: str = "",
    refusal_reason: str = "",
    by,
) -> SubjectAccessRequest:
    """Close a subject access request: the pack was sent, or the request refused on a ground (such as
    manifestly unfounded or excessive, UK GDPR Article 12(5)) with a reason."""
    _check_open(request)
    if status == SubjectAccessRequest.Status.COMPLETED:
        if request.pack_produced_at is None:
            raise ValidationError(
                {"status": "Produce the subject access pack before marking the request completed"}
            )
        refusal_ground = refusal_reason = ""
    elif status == SubjectAccessRequest.Status.REFUSED:
        refusal_ground, refusal_reason = _refusal(
            SubjectAccessRequest.RefusalGround, ground=refusal_ground, reason=refusal_reason
        )
    else:
        raise ValidationError({"status": "Choose whether the request was completed or refused"})
    _check_answered_on(sent_on, field="sent_on", received_on=request.received_on)
    return audit.save_changes(
        by=by,
        record=request,
        values={
            "status": status,
            "sent_on": sent_on,
            "refusal_ground": refusal_ground,
            "refusal_reason": refusal_reason,
        },
    )


@transaction.atomic
def record_rectification_request(
    *, person: Person, requester: Requester, what_is_wrong: str, by
) -> RectificationRequest:
    """Record a request to correct the person's record; the answer is due one calendar month later."""
    requester = _new_request(person=person, requester=requester)
    if not what_is_wrong.strip():
        raise ValidationError({"what_is_wrong": "Enter what the requester says is wrong"})
    return _opened(
        RectificationRequest(what_is_wrong=what_is_wrong.strip()), person=person, requester=requester, by=by
    )


@transaction.atomic
def decide_rectification_request(
    *,
    request: RectificationRequest,
    outcome: str,
    told_on: datetime.date,
    change_made: str = "",
    refusal_ground: str = "",
    refusal_reason: str = "",
    by,
) -> RectificationRequest:
    """Record the outcome: what was corrected (the correction itself is a normal audited edit of the
    record), or on what ground and why the request was refused, and when the requester was told."""
    if not request.is_open:
        raise ValidationError("The outcome of this request is already recorded")
    change_made = change_made.strip()
    if outcome == RectificationRequest.Outcome.CORRECTED:
        if not change_made:
            raise ValidationError({"change_made": "Enter what was corrected"})
        refusal_ground = refusal_reason = ""
    elif outcome == RectificationRequest.Outcome.REFUSED:
        refusal_ground, refusal_reason = _refusal(
            RectificationRequest.RefusalGround, ground=refusal_ground, reason=refusal_reason
        )
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
            "refusal_ground": refusal_ground,
            "refusal_reason": refusal_reason,
            "told_on": told_on,
            "decided_by": by,
        },
    )
