"""Reads of the audit trail that pages about one person show."""

from django.db.models import Model

from dsr.audit.models import AuditEvent
from dsr.audit.wording import describe


def recent_access(person: Model, *, limit: int = 20) -> list[tuple[AuditEvent, str]]:
    """Who has opened or changed this person's record, most recent first, each with what they did in plain
    words ("Record viewed", "Rating recorded")."""
    events = AuditEvent.objects.filter(person_id=person.pk).order_by("-at", "-id")[:limit]
    return [(event, describe(event)) for event in events]
