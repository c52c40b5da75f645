"""Registers and their policy, organisations, a register's own risk factors and admin groups: saved and
deleted with before and after in the IG audit trail (docs/adr/0010-administration-is-audited-and-approved.md).

A register's changes are in that register's audit trail; an organisation's and a group's, which reach every
register, in every IG officer's.
"""

from django.db import models, transaction

from dsr.administration.services import CHANGE, CREATE, DELETE, audit_change, may_administer, note_removed
from dsr.audit import snapshot
from dsr.people.models import Person
from dsr.registers.models import Register
from dsr.reviews import services as review_services


def _register_id(record: models.Model) -> int | None:
    return record.pk if isinstance(record, Register) else getattr(record, "register_id", None)


@transaction.atomic
def save_configuration(*, record: models.Model, by) -> models.Model:
    """Save a new or changed register (with its policy), organisation, risk factor or admin group."""
    may_administer(by)
    stored = type(record).objects.filter(pk=record.pk).first() if record.pk else None
    before = snapshot(stored) if stored is not None else {}
    record.save()
    after = snapshot(record)
    if before != after:
        action = CHANGE if stored is not None else CREATE
        audit_change(
            by=by, record=record, action=action, before=before, after=after, register_id=_register_id(record)
        )
    # What a register's policy sets due, today's work works out afresh until the night's run keeps it again.
    policy_changed = any(before.get(name) != after.get(name) for name in review_services.DUE_DATE_POLICY)
    if stored is not None and isinstance(record, Register) and policy_changed:
        review_services.forget_due_dates(Person.objects.filter(register=record))
    return record


@transaction.atomic
def delete_configuration(*, record: models.Model, by) -> None:
    """Delete a register (with its memberships), organisation, risk factor or admin group. What protects a
    record still refuses: a register with people on it, an organisation that memberships name."""
    may_administer(by)
    if isinstance(record, Register):
        for membership in record.memberships.select_related("user", "organisation"):
            note_removed(membership, by=by)
    audit_change(
        by=by,
        record=record,
        action=DELETE,
        before=snapshot(record),
        after={},
        register_id=_register_id(record),
    )
    record.delete()
