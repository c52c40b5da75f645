"""Queue messages to families and referrers, and send them. Each function is one operation, audited.

`notify` only writes the outbox row and schedules the send for after the caller's transaction
commits, so a decision is never held up or lost because a message could not be sent. Sending
happens in the background worker (dsr.notifications.tasks) or `manage.py send_notifications`.
"""

import datetime
import logging
from collections import Counter
from collections.abc import Mapping

from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from dsr import audit
from dsr.audit.models import AuditEvent
from dsr.notifications import client, messages
from dsr.notifications.models import Notification
from dsr.people.models import Person
from dsr.registers.models import Register

logger = logging.getLogger(__name__)

# How long to wait before each retry; after the last, the message has failed permanently.
RETRY_AFTER = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
# A queued message whose task has not sent it this long after it fell due is sent by a worker's
# upkeep instead (its task was lost).
OVERLOOKED_AFTER = datetime.timedelta(minutes=5)


def lease() -> datetime.timedelta:
    """How long a sending attempt holds its message. A message still marked as sending after that was
    abandoned (the worker sending it stopped), and may be tried again, by whoever claims it first."""
    return datetime.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


@transaction.atomic
def notify(
    *,
    template: str,
    to_email: str,
    personalisation: Mapping[str, str],
    register: Register,
    referral=None,
    person: Person | None = None,
    by=None,
) -> Notification:
    """Put a message in the outbox and send it once the caller's transaction has committed.

    Raises ValueError or ValidationError for a message that cannot be written (an unknown template,
    missing personalisation, a malformed address): those are mistakes in the caller. It never raises
    because sending fails; a failed send is retried in the background.
    """
    validate_email(to_email)
    for record in (referral, person):
        if record is not None and record.register_id != register.pk:
            raise ValueError("The referral and person must belong to the register the message is from")
    subject, body = messages.render(template, {"register": register.name, **personalisation})
    notification = Notification.objects.create(
        register=register,
        referral=referral,
        person=person,
        template=template,
        to_email=to_email,
        subject=subject[: Notification._meta.get_field("subject").max_length],
        body=body,
    )
    audit.record_change(by=by, record=notification, action=AuditEvent.Action.CREATE)
    # robust: if the task cannot be queued the row is still queued, and send_notifications sends it.
    transaction.on_commit(_scheduler(notification.pk), robust=True)
    return notification


@transaction.atomic
def attach_person(*, referral, person: Person, by) -> int:
    """File a referral's messages on the person's record once the referral is linked to them."""
    changed = 0
    for notification in referral.notifications.select_for_update().filter(person__isnull=True):
        audit.save_changes(by=by, record=notification, values={"person": person})
        changed += 1
    return changed


def due() -> QuerySet[Notification]:
    """Messages waiting to be sent whose time has come, and sends that were abandoned part way."""
    return Notification.objects.filter(
        status__in=[Notification.Status.QUEUED, Notification.Status.SENDING],
        send_after__lte=timezone.now(),
    )


def send_notification(*, notification_id) -> str:
    """Try to send one message if it is due: "sent", "retrying", "failed" or "not due".

    A message is sent at most once: the attempt claims it first, and an attempt that finds the one
    before it abandoned asks Notify whether that one got through (by the message's reference) before
    sending again."""
    claim = _claim(notification_id)
    if claim is None:
        return "not due"
    notification, attempt, abandoned = claim
    reference = str(notification.pk)
    try:
        notify_id = client.already_sent(reference=reference) if abandoned else None
        if notify_id is None:
            notify_id = client.send_email(
                to_email=notification.to_email,
                subject=notification.subject,
                body=notification.body,
                reference=reference,
            ).notify_id
    except client.SendFailed as failure:
        return _failed(notification_id, attempt, failure)
    values = {"status": Notification.Status.SENT, "sent_at": timezone.now(), "notify_id": notify_id}
    return _finish(notification_id, attempt, {**values, "last_error": ""}, outcome="sent")


def send_due() -> dict[str, int]:
    """Send every message that is due, as the worker would; how many ended each way."""
    ids = list(due().order_by("send_after").values_list("pk", flat=True))
    return dict(Counter(send_notification(notification_id=pk) for pk in ids))


def send_overlooked() -> dict[str, int]:
    """Send the messages no task is looking after: attempts abandoned by a worker that stopped, and
    messages due for a while whose task was lost. How many ended each way."""
    now = timezone.now()
    overlooked = due().filter(
        Q(status=Notification.Status.SENDING) | Q(send_after__lte=now - OVERLOOKED_AFTER)
    )
    ids = list(overlooked.order_by("send_after").values_list("pk", flat=True))
    return dict(Counter(send_notification(notification_id=pk) for pk in ids))


@transaction.atomic
def _claim(notification_id) -> tuple[Notification, int, bool] | None:
    """Mark a due message as being sent, so no other worker sends it too: the message, the number of
    this attempt, and whether the attempt before it was abandoned part way."""
    notification = due().select_for_update().filter(pk=notification_id).first()
    if notification is None:
        return None
    abandoned = notification.status == Notification.Status.SENDING
    attempt = notification.attempts + 1
    audit.save_changes(
        by=None,
        record=notification,
        values={
            "status": Notification.Status.SENDING,
            "attempts": attempt,
            "send_after": timezone.now() + lease(),
        },
    )
    return notification, attempt, abandoned


@transaction.atomic
def _finish(notification_id, attempt: int, values: dict, *, outcome: str) -> str:
    """Record how an attempt ended, unless the message has moved on without it (erased, or taken over
    by a later attempt after this one's lease ran out)."""
    notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if notification is None:  # erased while it was being sent
        return "erased"
    if notification.status != Notification.Status.SENDING or notification.attempts != attempt:
        return "superseded"
    audit.save_changes(by=None, record=notification, values=values)
    return outcome


def _failed(notification_id, attempt: int, failure: client.SendFailed) -> str:
    if failure.permanent or attempt >= MAX_ATTEMPTS:
        logger.warning("Notification %s failed permanently: %s", notification_id, failure.reason)
        values: dict[str, str | datetime.datetime] = {
            "status": Notification.Status.FAILED,
            "last_error": failure.reason,
        }
        return _finish(notification_id, attempt, values, outcome="failed")
    retry_at = timezone.now() + RETRY_AFTER[attempt - 1]
    logger.info("Notification %s not sent (%s); next try at %s", notification_id, failure.reason, retry_at)
    values = {"status": Notification.Status.QUEUED, "send_after": retry_at, "last_error": failure.reason}
    with transaction.atomic():
        outcome = _finish(notification_id, attempt, values, outcome="retrying")
        if outcome == "retrying":
            transaction.on_commit(_scheduler(notification_id, run_after=retry_at), robust=True)
    return outcome


def _schedule(notification_id, *, run_after: datetime.datetime | None = None) -> None:
    from dsr.notifications.tasks import send_notification as send_task

    task = send_task if run_after is None else send_task.using(run_after=run_after)
    task.enqueue(str(notification_id))


def _scheduler(notification_id, *, run_after: datetime.datetime | None = None):
    """`_schedule` for this message, as a function of its own: Django names an on_commit callback that
    fails (a functools.partial has no name, and naming it would fail the request that committed)."""

    def schedule_send() -> None:
        _schedule(notification_id, run_after=run_after)

    return schedule_send
