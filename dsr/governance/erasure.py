"""Erasure: remove everything held about a person and leave only a non-identifying tombstone.

Walks every registered kind of record (dsr.audit.records), deletes the rows and the files on
disk, removes the changed values from the audit events about the person, and from events that also
concerned others (a list that showed them, a search that named them) only what identifies them, and
writes one tombstone event: the record's id, its dates, the rule or request that erased it, and which
values of which events were removed. The chain covers a digest of each value, so it still verifies.
See docs/adr/0005.

A record under legal hold, or with a subject access or rectification request still open, is never
erased (`reasons_to_keep`; docs/adr/0015).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from dsr import audit
from dsr.audit import records, redaction
from dsr.audit.models import REMOVED, AuditEvent
from dsr.dates import format_date, today
from dsr.people.models import Person
from dsr.rights.models import RectificationRequest, SubjectAccessRequest


@dataclass(frozen=True)
class Erased:
    person_id: str
    tombstone_id: int
    records_removed: dict[str, int]
    files_removed: int
    events_redacted: int


def _identifiers(person: Person) -> list[str]:
    """What would identify the person in a search someone typed: names and NHS number."""
    values = {person.family_name, person.full_name, person.preferred_name, person.nhs_number}
    if person.nhs_number:
        digits = person.nhs_number
        values.add(f"{digits[:3]} {digits[3:6]} {digits[6:]}")
    return [value.strip().lower() for value in values if value and len(value.strip()) >= 2]


def _lists_naming(person: Person, identifiers: list[str]) -> dict[int, list[str]]:
    """Lists and exports that showed the person or whose recorded filters (a search someone typed) name
    them, with the places of the values to remove: their id among those shown, and what names them."""
    text = Cast("changes", TextField())
    naming = Q(changes_text__icontains=str(person.pk))
    for value in identifiers:
        naming |= Q(changes_text__icontains=value)
    candidates = (
        AuditEvent.objects.filter(
            Q(register_id=person.register_id) | Q(register_id__isnull=True),
            action__in=[AuditEvent.Action.LIST, AuditEvent.Action.EXPORT],
        )
        .annotate(changes_text=text)
        .filter(naming)
    )
    found = {}
    for event_id, changes in candidates.values_list("pk", "changes"):
        if places := places_naming(changes, person_id=str(person.pk), identifiers=identifiers):
            found[event_id] = places
    return found


def places_naming(changes, *, person_id: str, identifiers: list[str]) -> list[str]:
    """The places in an event's values that identify a person: their record id, and anything typed that
    holds their name or NHS number (or, where a key does, the branch under it)."""
    places, typed = [], []
    for place, value in redaction.values(changes):
        if value == REMOVED:
            continue  # removed by an earlier erasure
        if str(value) == person_id:
            places.append(place)
            continue
        if _is_record_id(value):
            continue  # another person's id: a random UUID, which no name is ever "in"
        keys = redaction.keys(place)
        named_key = next((i for i, key in enumerate(keys) if _names(key, identifiers)), None)
        if named_key is not None:
            places.append(redaction.place(keys[:named_key]))
        elif _names(str(value), identifiers):
            places.append(place)
        elif value is not None:
            typed.append((place, str(value)))
    # A name split across two fields (given and family name, say) names them too.
    if _names(" ".join(text for _, text in typed), identifiers):
        places.extend(place for place, _ in typed)
    return list(dict.fromkeys(places))


def _names(text: str, identifiers: list[str]) -> bool:
    return any(value in text.lower() for value in identifiers)


def _is_record_id(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def reasons_to_keep(person: Person) -> list[str]:
    """Why the record must not be erased yet, in words that do not name the person; none when it may be.

    A legal hold keeps it for a claim, an inquiry or an investigation: the right to erasure does not reach
    data needed for legal claims (UK GDPR Article 17(3)(e)), and records are kept past their retention
    period while they are needed for one (NHS England, Records Management Code of Practice 2021, section
    5.4, continued retention). An open subject access or rectification request keeps it until answered
    (UK GDPR Article 12(3)): erasing what a subject access request asks for, to keep it from the
    requester, is an offence (Data Protection Act 2018, section 173)."""
    reasons = []
    hold = person.legal_holds.in_force().first()
    if hold is not None:
        reasons.append(
            f"The record is under legal hold (reference {hold.reference}), held until reviewed on "
            f"{format_date(hold.review_on)}. An information governance officer lifts the hold first; "
            "then the record can be erased."
        )
    for request in person.subject_access_requests.filter(status=SubjectAccessRequest.Status.OPEN):
        reasons.append(
            f"A subject access request received on {format_date(request.received_on)} is still open. "
            "Close it first; then the record can be erased."
        )
    for request in person.rectification_requests.filter(outcome=RectificationRequest.Outcome.OPEN):
        reasons.append(
            f"A rectification request received on {format_date(request.received_on)} is still open. "
            "Record its outcome first; then the record can be erased."
        )
    return reasons


@transaction.atomic
def erase_person(*, person: Person, rule: str, by=None) -> Erased:
    """Erase a person's record everywhere. `rule` says why (the retention rule or the request), in words
    that do not identify them; it is kept in the tombstone. Refused, changing nothing, while the record
    must be kept (`reasons_to_keep`): checked under the person's row lock, which setting a legal hold
    takes too."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if reasons := reasons_to_keep(person):
        raise ValidationError(reasons)
    person_id, register_id = person.pk, person.register_id
    episodes = list(person.episodes.order_by("joined_on"))
    joined_on = episodes[0].joined_on if episodes else None
    left_on = person.left_on

    # What is held, and which audit events point at it.
    about = Q(person_id=person.pk)
    removed: dict[str, int] = {}
    files: list[Path] = []
    for kind in reversed(records.kinds()):
        rows = list(kind.records_of(person))
        if not rows:
            continue
        removed[kind.heading] = len(rows)
        about |= Q(record_type=kind.model._meta.model_name, record_id__in=[str(row.pk) for row in rows])
        if kind.files:
            files.extend(kind.files(rows))
        if kind.erase:
            kind.erase(person)
        if kind.person_path:
            kind.model._default_manager.filter(pk__in=[row.pk for row in rows]).delete()
    events = AuditEvent.objects.filter(about).values_list("pk", "redactions")
    whole = {pk for pk, removed in events if "" not in removed}
    parts = {
        pk: places for pk, places in _lists_naming(person, _identifiers(person)).items() if pk not in whole
    }
    person.delete()
    redaction.redact({**{pk: [""] for pk in whole}, **parts})

    tombstone = audit.record_retention(
        by=by,
        action=AuditEvent.Action.ERASE,
        person_id=person_id,
        register_id=register_id,
        detail={
            "rule": rule,
            "joined_on": joined_on.isoformat() if joined_on else None,
            "left_on": left_on.isoformat() if left_on else None,
            "erased_on": today().isoformat(),
            "records_removed": removed,
            "files_removed": len(files),
            "redacted_events": sorted(whole),
            "redacted_parts": {str(pk): sorted(places) for pk, places in sorted(parts.items())},
        },
    )
    transaction.on_commit(lambda: _remove_files(files))
    return Erased(
        person_id=str(person_id),
        tombstone_id=tombstone.pk,
        records_removed=removed,
        files_removed=len(files),
        events_redacted=len(whole) + len(parts),
    )


def _remove_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


class Reason:
    """Why a record is erased on request, for the tombstone (no names)."""

    CHOICES = [
        ("person", "The person asked for their record to be erased"),
        ("parent", "A parent or guardian asked on their behalf"),
        ("representative", "Someone with legal authority asked on their behalf"),
        ("no_lawful_basis", "Information governance found no lawful basis to keep it"),
    ]


def erase_on_request(*, person: Person, reason: str, received_on: datetime.date, by) -> Erased:
    """Erase a record after a request the information governance officer has agreed to; refused while
    the record is under legal hold or a request about it is open (`reasons_to_keep`)."""
    labels = dict(Reason.CHOICES)
    if reason not in labels:
        raise ValidationError({"reason": "Select why the record is being erased"})
    if received_on > today():
        raise ValidationError({"received_on": "The date must not be in the future"})
    if person.status == Person.Status.ACTIVE:
        raise ValidationError(
            f"{person.given_name} is still on the register. A coordinator takes them off it first; "
            "then the record can be erased."
        )
    rule = f"Erased on request received {received_on:%-d %B %Y}: {labels[reason]}"
    return erase_person(person=person, rule=rule, by=by)
