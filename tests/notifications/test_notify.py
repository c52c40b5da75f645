"""Queuing a message: one outbox row in the caller's transaction, sent once that transaction commits."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from dsr.audit.models import AuditEvent
from dsr.notifications import services
from dsr.notifications.models import Notification
from tests.factories import make_person
from tests.notifications.conftest import tell_family


def test_notify_puts_the_rendered_message_in_the_outbox_as_queued(person, coordinator):
    notification = tell_family(person, by=coordinator)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert notification.attempts == 0
    assert notification.sent_at is None
    assert notification.to_email == "morgan.rivers@example.org"
    assert notification.subject == "We have received the referral for Jamie Rivers (reference DSR-7KQ2)"
    assert f"{person.register.name} has received the referral for Jamie Rivers" in notification.body


def test_queuing_a_message_is_audited_against_the_person_and_who_caused_it(person, coordinator):
    notification = tell_family(person, by=coordinator)

    event = AuditEvent.objects.get(record_type="notification", record_id=str(notification.pk))
    assert event.action == AuditEvent.Action.CREATE
    assert event.username == "coordinator"
    assert event.person_id == person.pk
    assert event.register_id == person.register_id
    assert event.changes["to_email"] == [None, "morgan.rivers@example.org"]


def test_the_send_is_queued_when_the_callers_transaction_commits_with_only_the_id(
    person, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = tell_family(person, by=coordinator)
        assert not DBTaskResult.objects.exists()  # nothing is scheduled before the commit
    for callback in callbacks:
        callback()

    task = DBTaskResult.objects.get()
    assert task.task_path == "dsr.notifications.tasks.send_notification"
    assert task.args_kwargs == {"args": [str(notification.pk)], "kwargs": {}}
    stored = json.dumps(task.args_kwargs)
    assert "morgan" not in stored.lower() and "Jamie" not in stored


def test_when_the_callers_transaction_rolls_back_nothing_is_queued_or_sent(
    person, coordinator, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tell_family(person, by=coordinator)
        raise RuntimeError("the decision could not be saved")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize("address", ["", "morgan.rivers", "morgan@", "<script>@example.org"])
def test_a_malformed_address_is_refused_and_nothing_is_stored(person, coordinator, address):
    with pytest.raises(ValidationError):
        services.notify(
            template="referral_received",
            to_email=address,
            personalisation={"name": "M", "person_name": "Jamie Rivers", "reference": "R1"},
            register=person.register,
            person=person,
            by=coordinator,
        )
    assert not Notification.objects.exists()


def test_a_message_about_someone_in_another_register_is_refused(person, coordinator, other_register):
    with pytest.raises(ValueError, match="belong to the register"):
        services.notify(
            template="referral_received",
            to_email="morgan.rivers@example.org",
            personalisation={"name": "M", "person_name": "Jamie Rivers", "reference": "R1"},
            register=other_register,
            person=person,
            by=coordinator,
        )
    assert Notification.objects.filter(register=other_register).count() == 0


def test_a_message_with_missing_details_is_refused_and_nothing_is_stored(person, coordinator):
    with pytest.raises(ValueError, match="missing"):
        services.notify(
            template="referral_decision",
            to_email="morgan.rivers@example.org",
            personalisation={
                "name": "M",
                "person_name": "Jamie Rivers",
                "reference": "R1",
                "decision": "accepted",
            },
            register=person.register,
            person=person,
            by=coordinator,
        )
    assert not Notification.objects.exists()


def test_a_message_needs_no_person_yet_only_a_register(register, coordinator):
    notification = services.notify(
        template="referral_received",
        to_email="referrer@nhs.example",
        personalisation={"name": "Dr Lee", "person_name": "Sam Green", "reference": "R2"},
        register=register,
        by=None,
    )
    assert notification.person is None
    assert notification.status == Notification.Status.QUEUED


def test_a_referrals_messages_are_filed_on_the_person_once_it_is_linked_to_them(register, coordinator):
    from dsr.referrals.models import Referral

    referral = Referral.objects.create(
        register=register,
        reference="DSR-ABCD",
        route="parent",
        given_name="Sam",
        family_name="Green",
        date_of_birth="2014-05-01",
        autism="diagnosed",
        learning_disability="neither",
        consent_given_by="parent",
        consent_given_by_name="Pat Green",
        consent_given_on="2026-01-05",
        consent_method="written",
    )
    receipt = services.notify(
        template="referral_received",
        to_email="pat.green@example.org",
        personalisation={"name": "Pat Green", "person_name": "Sam Green", "reference": "DSR-ABCD"},
        register=register,
        referral=referral,
    )
    person = make_person(register=register, by=coordinator, given_name="Sam", family_name="Green")

    assert services.attach_person(referral=referral, person=person, by=coordinator) == 1

    receipt.refresh_from_db()
    assert receipt.person == person
    event = AuditEvent.objects.get(record_id=str(receipt.pk), action=AuditEvent.Action.CHANGE)
    assert event.changes == {"person": [None, str(person.pk)]}
    assert event.person_id == person.pk
