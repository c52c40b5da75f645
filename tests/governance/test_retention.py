"""Retention by each register's policy: filed some months after leaving, erased years after, and a
clear report of what is due and why, from the command, the nightly task and the IG officer's page."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dsr.dates import format_date, today
from dsr.governance import retention, tasks
from dsr.governance.models import AuditEvent
from dsr.people import services
from dsr.people.models import Person
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.referrals.data import form_data

FILE_AFTER, ERASE_AFTER = 183, 6 * 365 + 2


@pytest.fixture
def policy(register):
    register.archive_after_days, register.erase_after_days = FILE_AFTER, ERASE_AFTER
    register.save()
    return register


@pytest.fixture
def leaver(policy, coordinator):
    person = make_person(
        register=policy,
        by=coordinator,
        given_name="Morgan",
        family_name="Leaver",
        joined_at=timezone.now() - datetime.timedelta(days=400),
    )
    services.remove_from_register(person=person, left_on=today(), reason="Moved out of area", by=coordinator)
    return person


def days_later(days: int):
    return time_machine.travel(timezone.now() + datetime.timedelta(days=days), tick=False)


def test_nothing_is_due_before_the_policy_says(leaver, capsys):
    with days_later(FILE_AFTER - 1):
        assert retention.plan() == []
        call_command("apply_retention", "--dry-run")
    assert "Nothing is due" in capsys.readouterr().out


def test_the_dry_run_says_what_would_happen_and_why_and_changes_nothing(leaver, capsys):
    events_before = AuditEvent.objects.count()
    with days_later(FILE_AFTER):
        call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out

    assert "Dry run: 1 records are due. Nothing has been changed." in out
    assert f"File   {leaver.pk}" in out
    assert f"Left on {format_date(leaver.episodes.get().left_on)}" in out
    assert "files a record 6 months after leaving" in out
    leaver.refresh_from_db()
    assert leaver.status == Person.Status.LEFT
    assert AuditEvent.objects.count() == events_before


def test_a_filed_record_leaves_every_list_and_only_coordinators_and_ig_can_read_it(
    leaver, policy, coordinator, capsys
):
    with days_later(FILE_AFTER):
        call_command("apply_retention")
    assert "Filed 1 and erased 0 records." in capsys.readouterr().out

    leaver.refresh_from_db()
    assert leaver.status == Person.Status.FILED
    event = AuditEvent.objects.get(action=AuditEvent.Action.FILE, person_id=leaver.pk)
    assert event.source == AuditEvent.Source.COMMAND
    assert "files a record 6 months after leaving" in event.changes["rule"]

    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    assert "Leaver" not in coordinator_client.get("/people/", {"status": "left"}).content.decode()
    page = coordinator_client.get(f"/people/{leaver.pk}/")
    assert "This record was filed on" in page.content.decode()
    assert coordinator_client.get(f"/people/{leaver.pk}/contacts/add/").status_code == 403

    professional = Client()
    professional.force_login(member(policy, Role.PROFESSIONAL))
    assert professional.get(f"/people/{leaver.pk}/").status_code == 404


def test_a_record_is_erased_when_the_policy_says(leaver, capsys):
    with days_later(FILE_AFTER):
        call_command("apply_retention")
    with days_later(ERASE_AFTER):
        call_command("apply_retention", "--dry-run")
        assert f"Erase  {leaver.pk}" in capsys.readouterr().out
        call_command("apply_retention")

    assert "Filed 0 and erased 1 records." in capsys.readouterr().out
    assert not Person.objects.filter(pk=leaver.pk).exists()
    tombstone = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert "erases a record 6 years after leaving" in tombstone.changes["rule"]


def test_a_policy_that_only_erases_skips_filing(leaver, policy):
    policy.archive_after_days, policy.erase_after_days = None, 365
    policy.save()
    with days_later(364):
        assert retention.plan() == []
    with days_later(365):
        [step] = retention.plan()
        assert step.action == retention.ERASE
        retention.apply([step])
    assert not Person.objects.filter(pk=leaver.pk).exists()


def test_someone_still_on_the_register_is_never_due(policy, coordinator):
    make_person(register=policy, by=coordinator)
    with days_later(ERASE_AFTER * 2):
        assert retention.plan() == []


def test_someone_who_came_back_is_skipped_even_if_the_plan_was_made_before(leaver, coordinator):
    with days_later(FILE_AFTER):
        steps = retention.plan()
        Person.objects.filter(pk=leaver.pk).update(status=Person.Status.ACTIVE)
        assert retention.apply(steps) == []
    leaver.refresh_from_db()
    assert leaver.status == Person.Status.ACTIVE


# The nightly run, through the real database-backed worker.


@pytest.mark.django_db(transaction=True)  # the worker commits, and closes its connection, as in production
def test_the_worker_runs_retention_and_queues_the_next_night(leaver):
    with days_later(FILE_AFTER):
        tasks.apply_retention_daily.enqueue()
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert waiting.run_after == tasks.next_run()

    leaver.refresh_from_db()
    assert leaver.status == Person.Status.FILED
    assert AuditEvent.objects.get(action=AuditEvent.Action.FILE).source == AuditEvent.Source.TASK
    done = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value == {"filed": 1, "erased": 0}


def test_scheduling_is_done_once(db, capsys):
    call_command("schedule_daily_tasks")
    call_command("schedule_daily_tasks")
    out = capsys.readouterr().out
    assert "Daily retention queued for" in out
    assert "Daily retention is already queued." in out
    retention_runs = DBTaskResult.objects.filter(task_path=tasks.task_path(tasks.apply_retention_daily))
    assert retention_runs.filter(status=TaskResultStatus.READY).count() == 1


def test_the_next_run_is_the_coming_night():
    at = timezone.make_aware(datetime.datetime(2026, 3, 3, 1, 30))
    assert tasks.next_run(at) == timezone.make_aware(datetime.datetime(2026, 3, 3, 2, 0))
    at = timezone.make_aware(datetime.datetime(2026, 3, 3, 2, 0))
    assert tasks.next_run(at) == timezone.make_aware(datetime.datetime(2026, 3, 4, 2, 0))


# The information governance officer's page.


@pytest.fixture
def ig_client(policy):
    """Signs in when called, so that the session is fresh on the day the test travels to."""
    officer = member(policy, Role.IG, username="ig")

    def signed_in() -> Client:
        client = Client()
        client.force_login(officer)
        return client

    return signed_in


def test_the_ig_officer_sees_what_is_due_and_why_and_applies_it(ig_client, leaver):
    with days_later(FILE_AFTER - 10):
        page = ig_client().get("/governance/retention/").content.decode()
        assert "Nothing is due" in page
        assert "Morgan Leaver" in page  # due within 30 days
    with days_later(FILE_AFTER):
        client = ig_client()
        page = client.get("/governance/retention/").content.decode()
        assert "Apply retention now (1 record)" in page
        assert "files a record 6 months after leaving" in page
        listed = AuditEvent.objects.filter(
            action=AuditEvent.Action.LIST, record_type="retention_report"
        ).last()
        assert listed.changes["shown"] == [str(leaver.pk)]

        response = client.post("/governance/retention/", follow=True)

    assert "Retention applied: 1 filed, 0 erased" in response.content.decode()
    leaver.refresh_from_db()
    assert leaver.status == Person.Status.FILED
    assert AuditEvent.objects.get(action=AuditEvent.Action.FILE).username == "ig"


def test_the_page_shows_only_the_ig_officers_registers(ig_client, leaver, other_register):
    other_coordinator = member(other_register, Role.COORDINATOR)
    stranger = make_person(
        register=other_register,
        by=other_coordinator,
        family_name="Stranger",
        joined_at=timezone.now() - datetime.timedelta(days=400),
    )
    services.remove_from_register(person=stranger, left_on=today(), reason="Moved", by=other_coordinator)
    with days_later(ERASE_AFTER * 2):
        client = ig_client()
        page = client.get("/governance/retention/").content.decode()
        assert "Leaver" in page
        assert "Stranger" not in page
        client.post("/governance/retention/")
    assert Person.objects.filter(pk=stranger.pk).exists()
    assert not Person.objects.filter(pk=leaver.pk).exists()


def test_the_ig_officers_page_for_the_person_says_when_retention_is_due(ig_client, leaver):
    page = ig_client().get(f"/governance/people/{leaver.pk}/").content.decode()
    assert f"On {format_date(today() + datetime.timedelta(days=FILE_AFTER))}, under the register" in page
    with days_later(FILE_AFTER):
        page = ig_client().get(f"/governance/people/{leaver.pk}/").content.decode()
    assert f"Due since {format_date(today() + datetime.timedelta(days=FILE_AFTER))}: the nightly" in page


@pytest.mark.django_db(transaction=True)  # the worker commits, and closes its connection, as in production
def test_the_nightly_run_clears_an_abandoned_referrals_answers_from_expired_sessions(client, register):
    """A family that fills in the public form and never sends it leaves their answers in a session."""
    client.post(reverse("refer:form"), form_data(register, family_name="Abandonedform"))
    assert any("Abandonedform" in str(s.get_decoded()) for s in Session.objects.all())

    with days_later(2):  # sessions end after 8 hours
        tasks.apply_retention_daily.enqueue()
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert not any("Abandonedform" in str(s.get_decoded()) for s in Session.objects.all())
