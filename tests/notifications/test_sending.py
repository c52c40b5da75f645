"""Sending in the background: the real worker, the official Notify client and the local Notify stand-in.

These tests commit (the worker runs outside any test transaction, as it does in production), so
they are transactional.
"""

import datetime
import io
import socket

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dsr.audit.models import AuditEvent
from dsr.notifications import services
from dsr.notifications.models import Notification
from dsr.people.models import Person
from tests.factories import make_person
from tests.notifications.conftest import run_worker, tell_family

pytestmark = pytest.mark.django_db(transaction=True)


def queued_message(person, by) -> Notification:
    """A receipt queued in a committed transaction, as a page's request would leave it."""
    with transaction.atomic():
        return tell_family(person, by=by)


def ready_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY))


@override_settings(NOTIFY_API_KEY="")
def test_without_a_key_the_worker_puts_the_message_in_the_local_outbox(person, coordinator):
    notification = queued_message(person, coordinator)

    run_worker()

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert notification.notify_id == ""
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == "sent"


def test_with_a_key_the_official_client_sends_it_to_notify(standin, person, coordinator):
    notification = queued_message(person, coordinator)

    run_worker()

    [email] = standin.received
    assert email.email_address == "morgan.rivers@example.org"
    assert email.template_id == standin.template_id
    assert email.personalisation == {"subject": notification.subject, "body": notification.body}
    assert email.reference == str(notification.pk)
    # The token was signed with the key's secret (the stand-in checked it) and names the service.
    assert email.token_claims["iss"] == standin.service_id
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.notify_id == email.id


def test_the_reply_to_address_is_passed_on_when_configured(standin, person, coordinator):
    reply_to = "8e222534-7f05-4972-86e3-17c5d9f894e2"
    with override_settings(NOTIFY_REPLY_TO_ID=reply_to):
        queued_message(person, coordinator)
        run_worker()
    assert standin.received[0].email_reply_to_id == reply_to


def test_sending_is_audited_as_the_background_task(standin, person, coordinator):
    notification = queued_message(person, coordinator)
    run_worker()

    changes = AuditEvent.objects.filter(record_id=str(notification.pk), action=AuditEvent.Action.CHANGE)
    assert {event.source for event in changes} == {AuditEvent.Source.TASK}
    assert [event.changes["status"][1] for event in changes.order_by("pk")] == ["sending", "sent"]
    assert all(event.person_id == person.pk for event in changes)


def test_a_failed_send_is_retried_later_and_then_succeeds(standin, person, coordinator):
    standin.fail_next(500)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        notification = queued_message(person, coordinator)
        run_worker()

        notification.refresh_from_db()
        assert notification.status == Notification.Status.QUEUED
        assert notification.attempts == 1
        assert notification.last_error == "GOV.UK Notify answered 500 Exception"
        assert notification.send_after == start + services.RETRY_AFTER[0]
        [retry] = ready_tasks()
        assert retry.run_after == notification.send_after
        assert retry.args_kwargs == {"args": [str(notification.pk)], "kwargs": {}}

        run_worker()  # too early: the retry is not due yet
        assert standin.received == []

        clock.shift(services.RETRY_AFTER[0])
        run_worker()

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert notification.last_error == ""
    assert len(standin.received) == 1
    assert standin.refused == [500]


def test_after_the_last_attempt_the_message_has_failed_and_the_outbox_says_so(
    standin, person, coordinator, client
):
    standin.fail_next(429, times=services.MAX_ATTEMPTS)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        notification = queued_message(person, coordinator)
        for wait in (*services.RETRY_AFTER, datetime.timedelta(days=1)):
            run_worker()
            clock.shift(wait)
        run_worker()

    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == services.MAX_ATTEMPTS
    assert notification.last_error == "GOV.UK Notify answered 429 RateLimitError"
    assert standin.refused == [429] * services.MAX_ATTEMPTS
    assert standin.received == []
    assert ready_tasks() == []

    client.force_login(coordinator)
    outbox = client.get("/notifications/").content.decode()
    assert f"Failed after {services.MAX_ATTEMPTS} attempts" in outbox
    detail = client.get(f"/notifications/{notification.pk}/").content.decode()
    assert "Not sent. Check the address and contact them another way." in detail
    assert "GOV.UK Notify answered 429 RateLimitError" in detail


def test_a_message_notify_refuses_as_invalid_fails_at_once(standin, person, coordinator):
    with override_settings(NOTIFY_EMAIL_TEMPLATE_ID="00000000-0000-4000-8000-000000000000"):
        notification = queued_message(person, coordinator)
        run_worker()

    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 1
    assert notification.last_error == "GOV.UK Notify answered 400 BadRequestError"
    assert ready_tasks() == []


def test_a_key_notify_does_not_recognise_is_refused_and_retried(standin, person, coordinator):
    wrong_secret = standin.api_key[:-36] + "11111111-2222-4333-8444-555555555555"
    with override_settings(NOTIFY_API_KEY=wrong_secret):
        notification = queued_message(person, coordinator)
        run_worker()

    notification.refresh_from_db()
    assert standin.refused == [403]
    assert notification.status == Notification.Status.QUEUED
    assert notification.last_error == "GOV.UK Notify answered 403 AuthError"
    assert len(ready_tasks()) == 1


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_when_notify_cannot_be_reached_the_decision_stands_and_the_message_waits(
    standin, register, coordinator
):
    with override_settings(NOTIFY_BASE_URL=f"http://127.0.0.1:{unused_port()}"):
        with transaction.atomic():
            decided = make_person(register=register, by=coordinator, given_name="Ola", family_name="Banks")
            notification = tell_family(decided, by=coordinator)
        run_worker()

    assert Person.objects.filter(pk=decided.pk).exists()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert notification.last_error == "Could not reach GOV.UK Notify (ConnectionError)"


def test_the_command_sends_everything_due_and_the_worker_does_not_send_it_again(standin, person, coordinator):
    first = queued_message(person, coordinator)
    second = queued_message(person, coordinator)

    call_command("send_notifications", stdout=(out := io.StringIO()))
    assert out.getvalue().strip() == "sent: 2"
    run_worker()  # the tasks queued with the messages find nothing left to do

    assert sorted(email.reference for email in standin.received) == sorted([str(first.pk), str(second.pk)])
    assert {task.return_value for task in DBTaskResult.objects.all()} == {"not due"}


def test_a_send_abandoned_part_way_is_tried_again(standin, person, coordinator):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        notification = queued_message(person, coordinator)
        # The worker that was sending it stopped after marking it as sending.
        services._claim(notification.pk)
        call_command("send_notifications", stdout=io.StringIO())
        assert standin.received == []  # still within the time the first attempt may take

        clock.shift(services.lease())
        call_command("send_notifications", stdout=io.StringIO())

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert len(standin.received) == 1


def test_a_message_erased_before_it_was_sent_is_skipped(standin, person, coordinator):
    notification = queued_message(person, coordinator)
    Notification.objects.filter(pk=notification.pk).delete()

    run_worker()

    assert standin.received == []
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == "not due"


def test_a_send_abandoned_after_notify_accepted_it_is_marked_sent_and_not_sent_again(
    standin, person, coordinator
):
    """The worker died after Notify took the email but before it wrote down that it had: the next
    attempt asks Notify by the message's reference and finds it there."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        notification = queued_message(person, coordinator)
        services._claim(notification.pk)
        accepted = services.client.send_email(
            to_email=notification.to_email, subject="s", body="b", reference=str(notification.pk)
        )

        clock.shift(services.lease())
        assert services.send_notification(notification_id=notification.pk) == "sent"

    assert len(standin.sent_with_reference(str(notification.pk))) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.notify_id == accepted.notify_id


def test_if_notify_cannot_say_whether_an_abandoned_send_went_it_is_not_sent_blind(
    standin, person, coordinator
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        notification = queued_message(person, coordinator)
        services._claim(notification.pk)
        clock.shift(services.lease())
        standin.fail_next(500)  # the look-up fails
        assert services.send_notification(notification_id=notification.pk) == "retrying"

    assert standin.received == []
    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED


def test_an_attempt_that_outlived_its_lease_does_not_overwrite_the_attempt_that_took_over(
    standin, person, coordinator
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        notification = queued_message(person, coordinator)
        _, first_attempt, _ = services._claim(notification.pk)
        clock.shift(services.lease())
        assert services.send_notification(notification_id=notification.pk) == "sent"
        late = services._finish(
            notification.pk, first_attempt, {"status": Notification.Status.FAILED}, outcome="failed"
        )

    assert late == "superseded"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT


def test_the_workers_upkeep_sends_messages_whose_task_was_lost(standin, person, coordinator):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        notification = queued_message(person, coordinator)
        DBTaskResult.objects.all().delete()  # the task that would have sent it is gone
        assert services.send_overlooked() == {}  # not yet: its task may still be coming

        clock.shift(services.OVERLOOKED_AFTER)
        assert services.send_overlooked() == {"sent": 1}

    assert [email.reference for email in standin.received] == [str(notification.pk)]
