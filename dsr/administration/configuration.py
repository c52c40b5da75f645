"""Registers and their policy, organisations, a register's own risk factors and admin groups: saved and
deleted with before and after in the IG audit trail (docs/adr/0010-administration-is-audited-and-approved.md).

A register's changes are in that register's audit trail; an organisation's and a group's, which reach every
register, in every IG officer's.
"""

from django.db import models, transaction

from dsr.administration.services import CHANGE, CREATE, DELETE, audit_change, may_administer, note_removed
from dsr.audit import snapshot
from dsr.registers.models import Register


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
