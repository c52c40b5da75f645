"""Retention by each register's policy, counted in calendar months: filed 6 months after leaving, erased 6
years after, and a clear report of what is due, on which dates and why, from the command, the nightly task
and the IG officer's page."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.governance import retention, tasks
from dsr.people import services
from dsr.people.models import Person
from dsr.registers.models import Register, Role
from dsr.rights import services as rights_services
from tests.factories import make_person, member
from tests.referrals.data import answer_pages, form_data
from tests.rights.populated import a_parent

# The register files a record 6 months after the person leaves and erases it 6 years after.
FILE_AFTER, ERASE_AFTER = 6, 72
LEFT_ON = datetime.date(2026, 8, 31)
FILED_ON = datetime.date(2027, 2, 28)  # 6 months on: February has no 31st, so its last day
ERASED_ON = datetime.date(2032, 8, 31)
ONE_DAY = datetime.timedelta(days=1)


def on(day: datetime.date):
    """The clock at midday on `day`, standing still."""
    return time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))), tick=False
    )


@pytest.mark.parametrize(
    ("left_on", "months", "due_on"),
    [
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),  # the month is too short: its last day
        (datetime.date(2028, 2, 29), 72, datetime.date(2034, 2, 28)),  # 6 years from a leap day
        (datetime.date(2027, 1, 31), 1, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),  # a leap February
        (datetime.date(2026, 6, 30), 12, datetime.date(2027, 6, 30)),  # a year: the same day
        (datetime.date(2026, 3, 15), 18, datetime.date(2027, 9, 15)),
    ],
)
def test_a_period_in_months_ends_on_the_same_day_of_the_month_or_the_months_last_day(left_on, months, due_on):
    register = Register(file_after_months=months, erase_after_months=months)
    assert register.files_on(left_on) == due_on
    assert register.erases_on(left_on) == due_on


def test_a_register_that_does_not_file_has_no_filing_date():
    assert Register(file_after_months=None, erase_after_months=12).files_on(LEFT_ON) is None


@pytest.fixture
def policy(register):
    register.file_after_months, register.erase_after_months = FILE_AFTER, ERASE_AFTER
    register.save()
    return register


def leave_on(day: datetime.date, *, register, by, given_name="Morgan", family_name="Leaver") -> Person:
    """Someone who joined the register over a year before `day` and left it on `day`."""
    with on(day):
        person = make_person(
            register=register,
            by=by,
            given_name=given_name,
            family_name=family_name,
            joined_at=timezone.now() - datetime.timedelta(days=400),
        )
        services.remove_from_register(person=person, left_on=day, reason="Moved out of area", by=by)
    return person


@pytest.fixture
def leaver(policy, coordinator):
    return leave_on(LEFT_ON, register=policy, by=coordinator)


def test_the_day_before_the_record_is_due_nothing_is_due(leaver, capsys):
    with on(FILED_ON - ONE_DAY):
        assert retention.plan() == []
        call_command("apply_retention", "--dry-run")
    assert "Nothing is due" in capsys.readouterr().out


def test_on_the_day_the_record_is_due(leaver):
    with on(FILED_ON):
        [step] = retention.plan()
    assert (step.action, step.due_on) == (retention.FILE, FILED_ON)


def test_the_dry_run_gives_the_dates_and_the_rule_and_changes_nothing(leaver, capsys):
    events_before = AuditEvent.objects.count()
    with on(FILED_ON):
        call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out

    assert "Dry run: 1 records are due. Nothing has been changed." in out
    assert f"File   {leaver.pk}" in out
    assert (
        "Left on 31 August 2026: filed on 28 February 2027, erased on 31 August 2032 "
        "(Children files a record 6 months after leaving)"
    ) in out
    leaver.refresh_from_db()
    assert leaver.status == Person.Status.LEFT
    assert AuditEvent.objects.count() == events_before


def test_a_filed_record_leaves_every_list_and_only_coordinators_and_ig_can_read_it(
    leaver, policy, coordinator, capsys
):
    with on(FILED_ON):
        call_command("apply_retention")
    out = capsys.readouterr().out
    assert f"Filed  {leaver.pk}" in out
    assert "filed on 28 February 2027, erased on 31 August 2032" in out
    assert "Filed 1 and erased 0 records." in out

    leaver.refresh_from_db()
    assert leaver.status == Person.Status.FILED
    assert leaver.filed_on == FILED_ON
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


def test_a_record_is_erased_on_the_day_the_policy_says(leaver, capsys):
    with on(FILED_ON):
        call_command("apply_retention")
    with on(ERASED_ON - ONE_DAY):
        assert retention.plan() == []
    with on(ERASED_ON):
        call_command("apply_retention", "--dry-run")
        assert f"Erase  {leaver.pk}" in capsys.readouterr().out
        call_command("apply_retention")

    out = capsys.readouterr().out
    assert "erased on 31 August 2032 (Children erases a record 6 years after leaving)" in out
    assert "Filed 0 and erased 1 records." in out
    assert not Person.objects.filter(pk=leaver.pk).exists()
    tombstone = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert "erases a record 6 years after leaving" in tombstone.changes["rule"]
    assert tombstone.changes["erased_on"] == "2032-08-31"


def test_someone_who_left_on_a_leap_day_is_erased_six_years_later_on_28_february(policy, coordinator):
    person = leave_on(datetime.date(2028, 2, 29), register=policy, by=coordinator)
    with on(datetime.date(2034, 2, 27)):
        assert [step.action for step in retention.plan()] == [retention.FILE]
    with on(datetime.date(2034, 2, 28)):
        [step] = retention.plan()
        assert (step.action, step.erases_on) == (retention.ERASE, datetime.date(2034, 2, 28))
        retention.apply([step])
    assert not Person.objects.filter(pk=person.pk).exists()


def test_a_policy_that_only_erases_skips_filing(policy, coordinator, capsys):
    policy.file_after_months, policy.erase_after_months = None, 12
    policy.save()
    person = leave_on(datetime.date(2026, 6, 30), register=policy, by=coordinator)
    with on(datetime.date(2027, 6, 29)):
        assert retention.plan() == []
    with on(datetime.date(2027, 6, 30)):
        call_command("apply_retention", "--dry-run")
        [step] = retention.plan()
        assert step.action == retention.ERASE
        retention.apply([step])
    assert "Left on 30 June 2026: not filed first, erased on 30 June 2027" in capsys.readouterr().out
    assert not Person.objects.filter(pk=person.pk).exists()


def test_someone_still_on_the_register_is_never_due(policy, coordinator):
    make_person(register=policy, by=coordinator)
    with on(ERASED_ON + datetime.timedelta(days=3650)):
        assert retention.plan() == []


def test_someone_who_came_back_is_skipped_even_if_the_plan_was_made_before(leaver, coordinator):
    with on(FILED_ON):
        steps = retention.plan()
        Person.objects.filter(pk=leaver.pk).update(status=Person.Status.ACTIVE)
        assert retention.apply(steps) == []
    leaver.refresh_from_db()
    assert leaver.status == Person.Status.ACTIVE


# A request about the person that is still open keeps their record from erasure, not from filing.


def from_themselves() -> rights_services.Requester:
    """A request from the leaver, an adult by the time their record is due for erasure."""
    return a_parent(requester_name="Morgan Leaver", requester_relationship="person")


@pytest.fixture
def asked(leaver, ig_officer):
    """The leaver asked for a copy of their record the day before it was due to be erased."""
    with on(ERASED_ON - ONE_DAY):
        return rights_services.record_subject_access_request(
            person=leaver, requester=from_themselves(), by=ig_officer
        )


@pytest.fixture
def ig_officer(policy):
    return member(policy, Role.IG, username="ig", first_name="Grace", last_name="Adeyemi")


def test_a_record_with_an_open_request_is_filed_but_not_erased_and_the_run_says_why(leaver, asked, capsys):
    with on(ERASED_ON):
        call_command("apply_retention")
    out = capsys.readouterr().out

    assert "Filed 1 and erased 0 records." in out
    assert "Not erased while a request is open: 1 record." in out
    assert f"Kept   {leaver.pk}" in out
    assert "A subject access request received on 30 August 2032 is still open." in out
    leaver.refresh_from_db()
    assert leaver.status == Person.Status.FILED


def test_a_request_opened_after_the_plan_was_made_still_stops_the_erasure(leaver, ig_officer):
    with on(ERASED_ON):
        steps = retention.plan()
        assert [step.action for step in steps] == [retention.ERASE]
        rights_services.record_subject_access_request(
            person=leaver, requester=from_themselves(), by=ig_officer
        )
        assert retention.apply(steps) == []
    assert Person.objects.filter(pk=leaver.pk).exists()


def test_once_the_request_is_closed_the_next_run_erases_the_record(leaver, asked, ig_officer):
    with on(ERASED_ON):
        rights_services.close_subject_access_request(
            request=asked,
            status="refused",
            sent_on=today(),
            refusal_ground="unfounded",
            refusal_reason="Withdrawn by the parent",
            by=ig_officer,
        )
        retention.apply(retention.plan())
    assert not Person.objects.filter(pk=leaver.pk).exists()


# The nightly run, through the real database-backed worker.


@pytest.mark.django_db(transaction=True)  # the worker commits, and closes its connection, as in production
def test_the_worker_runs_retention_and_queues_the_next_night(leaver, person):
    with on(FILED_ON):
        tasks.apply_retention_daily.enqueue()
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert waiting.run_after == tasks.next_run()

    leaver.refresh_from_db()
    assert leaver.status == Person.Status.FILED
    assert AuditEvent.objects.get(action=AuditEvent.Action.FILE).source == AuditEvent.Source.TASK
    done = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    # And the same night, everyone still on the register has their due date worked out again.
    assert done.return_value == {"filed": 1, "erased": 0, "due_dates": 1}
    person.refresh_from_db()
    assert person.due_on is not None


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
def ig_client(ig_officer):
    """Signs in when called, so that the session is fresh on the day the test travels to."""

    def signed_in() -> Client:
        client = Client()
        client.force_login(ig_officer)
        return client

    return signed_in


def test_the_ig_officer_sees_what_is_due_on_which_dates_and_applies_it(ig_client, leaver):
    with on(FILED_ON - datetime.timedelta(days=10)):
        page = ig_client().get("/governance/retention/").content.decode()
        assert "Nothing is due" in page
        assert "Morgan Leaver" in page  # due within 30 days
    with on(FILED_ON):
        client = ig_client()
        page = client.get("/governance/retention/").content.decode()
        assert "Apply retention now (1 record)" in page
        due = page[page.index('id="due"') : page.index("</table>", page.index('id="due"'))]
        for shown in ("Morgan Leaver", "31 August 2026", "28 February 2027", "31 August 2032"):
            assert shown in due
        assert "files a record 6 months after leaving" in due
        listed = AuditEvent.objects.filter(
            action=AuditEvent.Action.LIST, record_type="retention_report"
        ).last()
        assert listed.changes["shown"] == [str(leaver.pk)]

        response = client.post("/governance/retention/", follow=True)

    assert "Retention applied: 1 filed, 0 erased" in response.content.decode()
    leaver.refresh_from_db()
    assert leaver.status == Person.Status.FILED
    assert AuditEvent.objects.get(action=AuditEvent.Action.FILE).username == "ig"


def test_the_page_lists_an_erasure_that_waits_for_an_open_request(ig_client, leaver, asked):
    with on(ERASED_ON):
        page = ig_client().get("/governance/retention/").content.decode()
    waiting = page[page.index('id="waiting"') : page.index("</table>", page.index('id="waiting"'))]
    assert "Morgan Leaver" in waiting
    assert "31 August 2032, once the request is closed" in waiting
    assert "A subject access request received on 30 August 2032 is still open." in waiting


def test_the_page_shows_only_the_ig_officers_registers(ig_client, leaver, other_register):
    stranger = leave_on(
        LEFT_ON,
        register=other_register,
        by=member(other_register, Role.COORDINATOR),
        given_name="Sam",
        family_name="Stranger",
    )
    with on(ERASED_ON):
        client = ig_client()
        page = client.get("/governance/retention/").content.decode()
        assert "Leaver" in page
        assert "Stranger" not in page
        client.post("/governance/retention/")
    assert Person.objects.filter(pk=stranger.pk).exists()
    assert not Person.objects.filter(pk=leaver.pk).exists()


def test_the_ig_officers_page_for_the_person_says_when_retention_is_due(ig_client, leaver):
    with on(LEFT_ON):
        page = ig_client().get(f"/governance/people/{leaver.pk}/").content.decode()
    assert "On 28 February 2027, under the register" in page
    assert "On 31 August 2032, under the register" in page
    with on(FILED_ON):
        page = ig_client().get(f"/governance/people/{leaver.pk}/").content.decode()
    assert "Due since 28 February 2027: the nightly" in page


@pytest.mark.django_db(transaction=True)  # the worker commits, and closes its connection, as in production
def test_the_nightly_run_clears_an_abandoned_referrals_answers_from_expired_sessions(client, register):
    """A family that fills in the public form and never sends it leaves their answers in a session."""
    answer_pages(client, form_data(register, family_name="Abandonedform"))
    assert any("Abandonedform" in str(s.get_decoded()) for s in Session.objects.all())

    with on(today() + datetime.timedelta(days=2)):  # sessions end after 8 hours
        tasks.apply_retention_daily.enqueue()
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert not any("Abandonedform" in str(s.get_decoded()) for s in Session.objects.all())
