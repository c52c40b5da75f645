"""Reads of the audit trail."""

from django.db.models import Q, QuerySet

from dsr.governance.models import AuditEvent
from dsr.people.models import Person
from dsr.registers.models import Role
from dsr.registers.selectors import installation_wide_changes


def recent_access(person: Person, *, limit: int = 20) -> QuerySet[AuditEvent]:
    """Who has opened or changed this person's record, most recent first."""
    return AuditEvent.objects.filter(person_id=person.pk).order_by("-at", "-id")[:limit]


def audit_trail_for(scope) -> QuerySet[AuditEvent]:
    """The audit events an information governance officer may read: those of their registers, and the
    administrative changes that reach every register (accounts and their rights, organisations)."""
    registers = [r.pk for r in scope.registers_with({Role.IG})]
    return AuditEvent.objects.filter(Q(register_id__in=registers) | installation_wide_changes()).order_by(
        "-at", "-id"
    )
