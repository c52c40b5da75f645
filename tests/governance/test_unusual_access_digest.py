"""Each IG officer of a register that showed unusual access gets one email the morning after, with counts and
a link only; the nightly job sends it once however many workers run, and a command does the same by hand."""

import datetime
import threading
import time
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import OperationalError, connections
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dsr.audit.models import AuditEvent
from dsr.governance import digest, tasks
from dsr.notifications.models import Notification
from dsr.operations.models import DailyRun
from dsr.registers.models import Role
from tests.factories import member
from tests.governance.test_unusual_access import WEDNESDAY, at, opened, records
from tests.test_settings import run_manage

THURSDAY = WEDNESDAY + datetime.timedelta(days=1)


def emails() -> list[Notification]:
    return list(Notification.objects.filter(template="unusual_access").order_by("to_email"))


@pytest.fixture(autouse=True)
def service_url(settings):
    settings.SERVICE_URL = "https://dsr.example.nhs.uk"


@pytest.fixture
def ig_officers(register, other_register):
    """Two IG officers of the register, and one of a register where nothing unusual happened."""
    return [
        member(register, Role.IG, username="grace", email="grace@example.nhs.uk"),
        member(register, Role.IG, username="ian", email="ian@example.nhs.uk"),
        member(other_register, Role.IG, username="olu", email="olu@example.nhs.uk"),
    ]


@pytest.fixture
def unusual_wednesday(register, person):
    """On Wednesday a keyworker opened someone not on their caseload, twice at night, and a professional
    opened 25 people's records, three of them before 8."""
    keyworker = member(register, Role.KEYWORKER, username="sam", first_name="Sam", last_name="Okafor")
    professional = member(register, Role.PROFESSIONAL, username="helen", first_name="Helen")
    opened(keyworker, person, at(WEDNESDAY, 22), times=2)
    for n, someone in enumerate(records(register, 25)):
        opened(professional, someone, at(WEDNESDAY, 7 if n < 3 else 11))
    return keyworker, professional


def test_each_ig_officer_of_the_register_gets_one_email_of_counts_and_a_link(
    register, person, ig_officers, unusual_wednesday
):
    assert digest.send_digests(day=WEDNESDAY) == 2

    grace, ian = emails()
    assert (grace.to_email, ian.to_email) == ("grace@example.nhs.uk", "ian@example.nhs.uk")
    assert grace.register == register and grace.person is None
    assert grace.subject == f"Unusual access to {register.name} on 2 December 2026"
    assert grace.body == (
        "Hello,\n\n"
        "On 2 December 2026 the register noticed access that you may want to look into:\n\n"
        "- 1 user opened many more records than they usually do\n"
        "- 2 users opened records outside working hours (4 records in all)\n"
        "- 1 keyworker opened the records of 1 person not on their caseload\n\n"
        "See who it was, and the events in the audit trail behind each, here (you will be asked to sign in): "
        "https://dsr.example.nhs.uk/governance/unusual-access/?since-day=2&since-month=12&since-year=2026"
        "&until-day=2&until-month=12&until-year=2026\n\n"
        "These are signs to look into, not proof that anything was wrong.\n\n"
        f"{register.name}\nDynamic Support Register"
    )
    # No names, no NHS numbers, no record ids, nothing typed.
    for text in (grace.subject, grace.body):
        for secret in (
            person.given_name,
            person.family_name,
            person.nhs_number,
            str(person.pk),
            "sam",
            "Helen",
        ):
            assert secret not in text


def test_nothing_is_sent_when_nothing_unusual_happened(register, person, ig_officers):
    opened(member(register, Role.COORDINATOR), person, at(WEDNESDAY, 11))

    assert digest.send_digests(day=WEDNESDAY) == 0
    assert emails() == []


def test_the_email_for_a_day_is_never_sent_twice(ig_officers, unusual_wednesday):
    digest.send_digests(day=WEDNESDAY)

    assert digest.send_digests(day=WEDNESDAY) == 0
    assert len(emails()) == 2


def test_coordinators_do_not_see_the_ig_officers_email_in_their_outbox(
    coordinator_client, ig_officers, unusual_wednesday
):
    digest.send_digests(day=WEDNESDAY)

    outbox = coordinator_client.get(reverse("notifications:outbox")).content.decode()

    assert "Unusual access" not in outbox
    assert coordinator_client.get(reverse("notifications:detail", args=[emails()[0].pk])).status_code == 404


# The command, for cron or a manual run.


def test_the_command_lists_a_days_findings_with_their_audit_trail_links(
    register, ig_officers, unusual_wednesday
):
    out = StringIO()

    call_command("unusual_access", "--day", "2026-12-02", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Unusual access on 2 December 2026:"
    assert lines[1].startswith(
        f"{register.name}  Opened many more records than usual  helen  "
        "Opened 25 people's records (none in the 28 days before)  "
        "/governance/audit/?username=helen&action=view"
    )
    assert [line.split("  ")[1:3] for line in lines[2:]] == [
        ["Opened records outside working hours", "helen"],
        ["Opened records outside working hours", "sam"],
        ["Keyworkers who opened a record outside their caseload", "sam"],
    ]
    assert emails() == []
    listed = AuditEvent.objects.get(record_type="unusual_access", register_id=register.pk)
    assert (listed.source, listed.user_id) == (AuditEvent.Source.COMMAND, None)


def test_the_command_sends_the_emails_once_with_send(ig_officers, unusual_wednesday):
    out = StringIO()

    call_command("unusual_access", "--day", "2026-12-02", "--send", stdout=out)
    call_command("unusual_access", "--day", "2026-12-02", "--send", stdout=out)

    assert "2 emails to IG officers queued." in out.getvalue()
    assert "0 emails to IG officers queued." in out.getvalue()
    assert len(emails()) == 2


def test_the_command_looks_at_yesterday_unless_told(register):
    out = StringIO()
    with time_machine.travel(at(THURSDAY, 9), tick=False):
        call_command("unusual_access", stdout=out)
    assert out.getvalue() == "No unusual access on 2 December 2026.\n"
    with pytest.raises(CommandError, match="--day must be a date as YYYY-MM-DD"):
        call_command("unusual_access", "--day", "2 December")


def test_a_service_url_that_is_not_a_web_address_is_refused():
    result = run_manage("check", DEBUG="true", SERVICE_URL="dsr.example.nhs.uk")
    assert result.returncode != 0
    assert "SERVICE_URL must be an http:// or https:// address" in result.stderr


# The nightly job, through the real database-backed worker.


def digest_tasks(status: str) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path=tasks.task_path(tasks.send_unusual_access_digest_daily), status=status
        )
    )


def two_workers_at_once(job) -> list[BaseException]:
    """Two workers' upkeep asking at the same moment; what went wrong in either."""
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def upkeep() -> None:
        try:
            start.wait()
            for attempt in range(50):
                try:
                    job()
                    break
                except OperationalError:  # SQLite lets one writer in at a time
                    time.sleep(0.02 * (attempt + 1))
        except BaseException as error:  # noqa: BLE001 (reported to the main thread)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upkeep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)  # the worker commits, as in production
def test_the_nightly_job_runs_once_with_two_workers_and_emails_each_ig_officer_once(
    ig_officers, unusual_wednesday
):
    with time_machine.travel(at(THURSDAY, 5, 30), tick=False):
        assert two_workers_at_once(tasks.ensure_digest_scheduled) == []
        (queued,) = digest_tasks(TaskResultStatus.READY)
        assert queued.run_after == at(THURSDAY, 6)

    with time_machine.travel(at(THURSDAY, 6), tick=False):
        tasks.send_unusual_access_digest_daily.enqueue()  # as if a second worker had queued it too
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

        done = sorted(
            task.return_value.get("already_done", 0) for task in digest_tasks(TaskResultStatus.SUCCESSFUL)
        )
        assert done == [0, 1]
        (run,) = DailyRun.objects.filter(job=tasks.DIGEST_JOB)
        assert (run.day, run.outcome) == (THURSDAY, {"sent": 2})
        assert [email.to_email for email in emails()] == ["grace@example.nhs.uk", "ian@example.nhs.uk"]
        assert {email.subject.rsplit(" on ", 1)[1] for email in emails()} == {"2 December 2026"}
        (waiting,) = digest_tasks(TaskResultStatus.READY)
        assert waiting.run_after == at(THURSDAY + datetime.timedelta(days=1), 6)
    created = AuditEvent.objects.filter(record_type="notification", action=AuditEvent.Action.CREATE)
    assert {event.source for event in created} == {AuditEvent.Source.TASK}


def test_schedule_daily_tasks_queues_the_email_once(db):
    out = StringIO()
    with time_machine.travel(at(THURSDAY, 9), tick=False):
        call_command("schedule_daily_tasks", stdout=out)
        call_command("schedule_daily_tasks", stdout=out)
    assert "Daily email of unusual access queued for 4 December 2026 06:00." in out.getvalue()
    assert "Daily email of unusual access is already queued." in out.getvalue()
    assert len(digest_tasks(TaskResultStatus.READY)) == 1
