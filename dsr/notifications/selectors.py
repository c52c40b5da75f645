"""Reads of the outbox, always starting from the user's scope."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404

from dsr.access import Scope
from dsr.notifications.models import Notification


def outbox_for(scope: Scope) -> QuerySet[Notification]:
    """The messages of the registers where the user may read the outbox, newest first.
    PermissionDenied when they may read none."""
    registers = scope.registers_for("read_outbox")
    if not registers:
        raise PermissionDenied
    return (
        Notification.objects.filter(register__in=registers)
        # The IG officers' daily email of unusual access is theirs alone: whom it counts may be a coordinator.
        .exclude(template=Notification.Template.UNUSUAL_ACCESS)
        .select_related("register", "referral")
        .order_by("-created_at", "-pk")
    )


def notification_for(scope: Scope, notification_id) -> Notification:
    """One message in the user's outbox, or 404."""
    try:
        return outbox_for(scope).get(pk=notification_id)
    except (Notification.DoesNotExist, ValidationError) as error:
        raise Http404("No such message") from error
