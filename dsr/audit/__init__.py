"""Write audit events. Services call this inside their transaction; views call it on reads.

Who is acting comes from the caller (`by`); where the request came from (web, command,
address, path) comes from the request context set by `AuditContextMiddleware` or by
`audit_source()` in commands and tasks.
"""

import contextlib
import contextvars
import datetime
import decimal
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model
from django.dispatch import Signal
from django.utils import timezone

from dsr.audit import bulk, chain, redaction
from dsr.audit.models import AuditEvent

# Sent with the events of every change `record_change` and `record_changes` note (`events`, saved, in the
# writer's transaction): what is worked out from a person's records and kept, such as when something next
# falls due (dsr.reviews.services), follows every change, since every change is audited.
changes_recorded = Signal()


@dataclass(frozen=True)
class RequestContext:
    source: str = AuditEvent.Source.COMMAND
    ip_address: str | None = None
    path: str = ""


_context: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "audit_context",
    default=RequestContext(),  # noqa: B039 (frozen, so never mutated)
)


@contextlib.contextmanager
def audit_source(context: RequestContext) -> Iterator[None]:
    """Attribute the audit events written inside this block to a request, command or task."""
    token = _context.set(context)
    try:
        yield
    finally:
        _context.reset(token)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value.pk)
    return value


def snapshot(instance: Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The values of a record's concrete fields, for comparing before and after a change."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-level differences: {field: [from, to]}."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def _signed(
    *,
    by,
    action: str,
    record: Model | None,
    record_type: str,
    person_id: uuid.UUID | None,
    register_id: int | None,
    changes: dict[str, Any],
    record_id: str = "",
) -> AuditEvent:
    """A new event, its changed values sealed for erasure (dsr.audit.redaction) and signed with the audit
    key, not yet saved."""
    context = _context.get()
    stored, salts, digest = redaction.seal(changes)
    event = AuditEvent(
        at=timezone.now(),
        user_id=getattr(by, "pk", None),
        username=getattr(by, "username", "") or "",
        register_id=register_id,
        person_id=person_id,
        action=action,
        record_type=record_type,
        record_id=str(record.pk) if record is not None else record_id,
        changes=stored,
        salts=salts,
        changes_digest=digest,
        source=context.source,
        # As the database will give it back, since the signature covers it.
        ip_address=AuditEvent._meta.get_field("ip_address").get_prep_value(context.ip_address),
        path=context.path[:500],
    )
    event.signature = chain.signature(event)
    return event


def _write(**details: Any) -> AuditEvent:
    """Save one signed event (see `_signed`); it is sealed into the chain once the transaction commits."""
    event = _signed(**details)
    event.save(force_insert=True)
    chain.seal_after_commit()
    return event


def _register_id_of(record: Model, person) -> int | None:
    """The register a record belongs to: its person's, or its own (a referral not yet accepted, say)."""
    return person.register_id if person is not None else getattr(record, "register_id", None)


# The record every other person record hangs off, named by label as a foreign key names it: the audit
# platform sits below the apps it records (docs/adr/0017-layers.md).
PERSON = "people.Person"


def _person_of(record: Model):
    if record._meta.label == PERSON:
        return record
    return getattr(record, "person", None)


def record_read(*, by, record: Model, what: str = "") -> AuditEvent:
    """Note that `by` saw a person's record (or part of it)."""
    person = _person_of(record)
    return _write(
        by=by,
        action=AuditEvent.Action.VIEW,
        record=record,
        record_type=what or record._meta.model_name,
        person_id=person.pk if person else None,
        register_id=_register_id_of(record, person),
        changes={},
    )


def record_page_read(request, record: Model) -> AuditEvent:
    """Note that a page (a form about the record, say) showed `record` to the request's user."""
    page = getattr(request.resolver_match, "url_name", "") or "page"
    return record_read(by=request.user, record=record, what=page)


def record_list(
    *,
    by,
    shown: list,
    what: str,
    detail: dict[str, Any],
    register_id: int | None = None,
    referrals: list | None = None,
) -> list[AuditEvent]:
    """Note that `by` saw a list of people: one event per register shown, naming who was on it, and the
    referrals it showed (`referrals`, for a page that lists both). With `register_id`, one event for that
    register whoever was shown (a page of a meeting's agenda, which may show no one)."""
    if register_id is not None:
        registers = [register_id]
    else:
        registers = sorted({record.register_id for record in [*shown, *(referrals or [])]})
    return [
        _write(
            by=by,
            action=AuditEvent.Action.LIST,
            record=None,
            record_type=what,
            person_id=None,
            register_id=register_id,
            changes={
                **detail,
                "shown": [str(p.pk) for p in shown if p.register_id == register_id],
                **(
                    {"referrals": [str(r.pk) for r in referrals if r.register_id == register_id]}
                    if referrals is not None
                    else {}
                ),
            },
        )
        for register_id in registers
    ]


def record_staff_list(*, by, register_id: int, what: str, detail: dict[str, Any]) -> AuditEvent:
    """Note that `by` saw a list of members of staff (no person data): `detail` names whom, by user id."""
    return _write(
        by=by,
        action=AuditEvent.Action.LIST,
        record=None,
        record_type=what,
        person_id=None,
        register_id=register_id,
        changes=detail,
    )


def record_change(
    *,
    by,
    record: Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Note a created, changed or deleted record with what changed from what to what."""
    event = _signed_change(by=by, record=record, action=action, before=before, after=after)
    event.save(force_insert=True)
    chain.seal_after_commit()
    changes_recorded.send(sender=AuditEvent, events=[event])
    return event


def record_changes(*, by, records: Sequence[Model], action: str) -> list[AuditEvent]:
    """Note many records created at once, each with the event `record_change` would write for it, signed
    on its own, all in one statement: an agenda built from a register of thousands adds thousands of items."""
    events = bulk.save_all(
        AuditEvent, (_signed_change(by=by, record=record, action=action) for record in records)
    )
    if events:
        chain.seal_after_commit()
        changes_recorded.send(sender=AuditEvent, events=events)
    return events


def _signed_change(
    *,
    by,
    record: Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    after = after if after is not None else snapshot(record)
    changes = (
        changes_between(before or {}, after)
        if action != AuditEvent.Action.DELETE
        else {name: [value, None] for name, value in (before or {}).items()}
    )
    person = _person_of(record)
    return _signed(
        by=by,
        action=action,
        record=record,
        record_type=record._meta.model_name,
        person_id=person.pk if person else None,
        register_id=_register_id_of(record, person),
        changes=changes,
    )


def record_export(
    *, by, register_ids: list[int], what: str, detail: dict[str, Any], person=None
) -> AuditEvent:
    """Note that `by` exported records (which, with which filters; whose, when it is one person's)."""
    return _write(
        by=by,
        action=AuditEvent.Action.EXPORT,
        record=person,
        record_type=what,
        person_id=person.pk if person is not None else None,
        register_id=register_ids[0] if len(register_ids) == 1 else None,
        changes={"registers": register_ids, **detail},
    )


def record_retention(
    *, by, action: str, person_id: uuid.UUID, register_id: int, detail: dict[str, Any]
) -> AuditEvent:
    """Note that a record was filed or erased, and by which rule. For erasure this event is the
    tombstone: it must hold nothing that identifies the person (docs/adr/0005)."""
    return _write(
        by=by,
        action=action,
        record=None,
        record_type="person",
        person_id=person_id,
        register_id=register_id,
        changes=detail,
        record_id=str(person_id),
    )


_Record = TypeVar("_Record", bound=Model)


def save_changes(*, by, record: _Record, values: dict[str, Any]) -> _Record:
    """Set fields on a record, save just those, and audit what changed from what to what."""
    names = list(values)
    before = snapshot(record, names)
    for name, value in values.items():
        setattr(record, name, value)
    update_fields = [*names, *(f.name for f in record._meta.concrete_fields if getattr(f, "auto_now", False))]
    record.save(update_fields=update_fields)
    record_change(
        by=by, record=record, action=AuditEvent.Action.CHANGE, before=before, after=snapshot(record, names)
    )
    return record


def record_administration(
    *,
    by,
    record: Model,
    action: str,
    changes: dict[str, Any],
    register_id: int | None,
    what: str = "",
) -> AuditEvent:
    """Note a change to who may do what (an account, a membership, a request for access) or to a register's
    policy. It is about no person, so the caller says which register it concerns: None for the whole
    installation, such as an account's rights (dsr.administration.services)."""
    return _write(
        by=by,
        action=action,
        record=record,
        record_type=what or record._meta.model_name,
        person_id=None,
        register_id=register_id,
        changes=changes,
    )
