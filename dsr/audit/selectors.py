"""Reads of the audit trail that pages about one person show."""

from django.contrib.auth import get_user_model
from django.db.models import Model, OuterRef, Subquery

from dsr.audit.models import AuditEvent
from dsr.audit.wording import describe


def user_names(events: list[AuditEvent]) -> dict[int, str]:
    """The full names of the users behind the events, by user id, in one query (none without events)."""
    if not events:
        return {}
    ids = {event.user_id for event in events if event.user_id is not None}
    return {
        user.pk: user.get_full_name() or user.username for user in get_user_model().objects.filter(pk__in=ids)
    }


def who_did(event: AuditEvent, names: dict[int, str]) -> str:
    """Who did it, by name: the user's full name, else the name they signed in with; someone not signed in
    (on the public referral form, say) for a page used without signing in; else the system (a command or a
    background task)."""
    if event.user_id is None and not event.username and event.source == AuditEvent.Source.WEB:
        return "Someone not signed in"
    return (names.get(event.user_id) if event.user_id is not None else None) or event.username or "The system"


def recent_access(person: Model, *, limit: int = 20) -> list[tuple[AuditEvent, str, str]]:
    """Who has opened or changed this person's record, most recent first, each with who did it by name and
    what they did in plain words ("Viewed the person's record", "Changed the rating"). The names come in the
    same query as the events."""
    users = get_user_model().objects.filter(pk=OuterRef("user_id"))
    events = (
        AuditEvent.objects.filter(person_id=person.pk)
        .annotate(
            user_first_name=Subquery(users.values("first_name")[:1]),
            user_last_name=Subquery(users.values("last_name")[:1]),
        )
        .order_by("-at", "-id")[:limit]
    )
    return [
        (
            event,
            f"{event.user_first_name or ''} {event.user_last_name or ''}".strip() or who_did(event, {}),
            describe(event),
        )
        for event in events
    ]
