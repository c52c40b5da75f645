"""Reads of the audit trail."""

from django.db.models import QuerySet

from dsr.governance.models import AuditEvent
from dsr.people.models import Person


def recent_access(person: Person, *, limit: int = 20) -> QuerySet[AuditEvent]:
    """Who has opened or changed this person's record, most recent first."""
    return AuditEvent.objects.filter(person_id=person.pk).order_by("-at", "-id")[:limit]
