"""The IG officer notices unusual access: users who opened many more records than usual, records opened
outside working hours, and keyworkers who opened someone outside their caseload
(dsr.governance.unusual_access).

Worked examples on Wednesday 2 December 2026, with each register's default settings unless a test says
otherwise: working hours 08:00 to 18:00 on weekdays that are not bank holidays in England; flagged for many
records at three times the user's daily average over the 28 days before, and at least 20 records."""

import datetime
import decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from dsr import audit
from dsr.administration import configuration
from dsr.audit.models import AuditEvent
from dsr.governance import unusual_access
from dsr.governance.unusual_access import MANY_RECORDS, OUT_OF_HOURS, OUTSIDE_CASELOAD
from dsr.people import services as people_services
from dsr.people.models import Person
from dsr.people.values import CareTeamMember
from dsr.registers.models import Membership, Role
from tests.factories import make_person, member

WEDNESDAY = datetime.date(2026, 12, 2)


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment, local time (GMT in winter, BST in summer)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def opened(user, person, when: datetime.datetime, times: int = 1) -> None:
    """`user` opens `person`'s record at `when`, as the person page does (it writes a read event)."""
    with time_machine.travel(when, tick=False):
        for _ in range(times):
            audit.record_read(by=user, record=person, what="person_record")


def records(register, count: int) -> list[Person]:
    """People's records on the register as the audit trail names them. The rules read only the trail, so
    records that are never saved stand in for the many people a busy day needs."""
    return [Person(register=register) for _ in range(count)]


def find(register, day=WEDNESDAY, until=None) -> list[unusual_access.Finding]:
    return unusual_access.findings([register], since=day, until=until or day)


def kinds(found) -> list[tuple[str, str]]:
    return [(finding.kind, finding.username) for finding in found]


@pytest.fixture
def professional(register):
    return member(register, Role.PROFESSIONAL, username="helen", first_name="Helen", last_name="Marsh")


# Many more records than usual.


def usual_days(user, register, per_day: int, days: int = 28, before: datetime.date = WEDNESDAY) -> None:
    """`user` opened `per_day` people's records on each of the `days` days before `before`."""
    people = records(register, per_day)
    for n in range(1, days + 1):
        for person in people:
            opened(user, person, at(before - datetime.timedelta(days=n)))


def test_a_user_who_opens_many_more_records_than_usual_is_found(register, professional):
    usual_days(professional, register, per_day=2)  # 56 reads in 28 days: 2 a day
    for person in records(register, 25):
        opened(professional, person, at(WEDNESDAY))

    (finding,) = find(register)

    assert (finding.kind, finding.username, finding.name) == (MANY_RECORDS, "helen", "Helen Marsh")
    assert (finding.records, finding.usual, finding.register) == (25, decimal.Decimal("2.0"), register)
    assert finding.detail == "Opened 25 people's records (usually 2.0 a day in the 28 days before)"


def test_a_busy_user_who_opens_no_more_than_usual_is_not_found(register, professional):
    usual_days(professional, register, per_day=10)
    for person in records(register, 29):  # under three times ten
        opened(professional, person, at(WEDNESDAY))

    assert find(register) == []


def test_a_quiet_user_who_opens_three_records_is_under_the_minimum(register, professional):
    opened(professional, records(register, 1)[0], at(WEDNESDAY - datetime.timedelta(days=20)))
    for person in records(register, 3):
        opened(professional, person, at(WEDNESDAY))

    assert find(register) == []


@pytest.mark.parametrize(("count", "found"), [(19, False), (20, True)])
def test_on_a_users_first_day_with_no_history_the_minimum_decides(register, professional, count, found):
    for person in records(register, count):
        opened(professional, person, at(WEDNESDAY))

    assert kinds(find(register)) == ([(MANY_RECORDS, "helen")] if found else [])
    if found:
        assert find(register)[0].detail == "Opened 20 people's records (none in the 28 days before)"


def test_one_record_opened_many_times_counts_once(register, professional):
    opened(professional, records(register, 1)[0], at(WEDNESDAY), times=30)

    assert find(register) == []


def test_days_before_the_look_back_do_not_count_and_the_settings_are_the_registers(register, professional):
    usual_days(professional, register, per_day=10, days=7, before=WEDNESDAY - datetime.timedelta(days=7))
    for person in records(register, 12):
        opened(professional, person, at(WEDNESDAY))
    register.unusual_lookback_days = 7  # the busy week is 8 to 14 days before: outside it
    register.unusual_minimum_records = 10

    (finding,) = find(register)

    assert (finding.records, finding.usual) == (12, decimal.Decimal("0.0"))
    register.unusual_lookback_days = 14  # now the busy week is inside it: 70 reads in 14 days, 5 a day
    assert find(register) == []
    register.unusual_multiple = decimal.Decimal("2.0")  # 12 is more than twice 5
    assert [finding.usual for finding in find(register)] == [decimal.Decimal("5.0")]


# Outside working hours.


@pytest.mark.parametrize(
    ("when", "outside"),
    [
        (at(WEDNESDAY, 7, 59), True),
        (at(WEDNESDAY, 8, 0), False),
        (at(WEDNESDAY, 17, 59), False),
        (at(WEDNESDAY, 18, 0), True),
        (at(WEDNESDAY, 0, 0), True),  # midnight, at the start of the day
        (at(WEDNESDAY, 23, 59), True),
        (at(datetime.date(2026, 12, 5), 11, 0), True),  # a Saturday
        (at(datetime.date(2026, 12, 6), 11, 0), True),  # a Sunday
        (at(datetime.date(2026, 12, 25), 11, 0), True),  # Christmas Day, a Friday
        (at(datetime.date(2026, 12, 28), 11, 0), True),  # the Monday in lieu of Boxing Day
        (at(datetime.date(2026, 4, 6), 11, 0), True),  # Easter Monday
        (at(datetime.date(2026, 4, 7), 11, 0), False),  # the Tuesday after
        (at(datetime.date(2026, 7, 1), 7, 30), True),  # British Summer Time: 06:30 GMT
        (at(datetime.date(2026, 7, 1), 8, 30), False),  # 07:30 GMT, but 08:30 on the clock
    ],
    ids=lambda value: (
        value.strftime("%a %d %b %H:%M") if isinstance(value, datetime.datetime) else str(value)
    ),
)
def test_a_record_opened_outside_working_hours_is_found(register, professional, when, outside):
    opened(professional, records(register, 1)[0], when)

    found = find(register, timezone.localdate(when))

    assert kinds(found) == ([(OUT_OF_HOURS, "helen")] if outside else [])


def test_each_user_and_day_is_one_finding_with_how_many_records_and_times(register, professional):
    first, second = records(register, 2)
    opened(professional, first, at(WEDNESDAY, 6, 30), times=2)
    opened(professional, second, at(WEDNESDAY, 21, 15))
    opened(professional, second, at(WEDNESDAY, 12, 0))  # in working hours: not counted

    (finding,) = find(register)

    assert (finding.records, finding.times, finding.day) == (2, 3, WEDNESDAY)
    assert finding.detail == "Opened 2 records, 3 times in all, outside working hours"


def test_working_hours_are_the_registers_own(register, professional):
    register.working_day_starts, register.working_day_ends = datetime.time(7, 0), datetime.time(19, 30)
    for hour, minute in [(7, 0), (19, 29)]:
        opened(professional, records(register, 1)[0], at(WEDNESDAY, hour, minute))
    assert find(register) == []
    opened(professional, records(register, 1)[0], at(WEDNESDAY, 19, 30))
    assert kinds(find(register)) == [(OUT_OF_HOURS, "helen")]


# Keyworkers outside their caseload.


@pytest.fixture
def keyworker(register):
    return member(register, Role.KEYWORKER, username="sam", first_name="Sam", last_name="Okafor")


def allocate(person, keyworker, coordinator, started_on, ended_on=None):
    involvement = people_services.add_involvement(
        person=person,
        member=CareTeamMember(
            name="Sam Okafor", role="Keyworker", user=keyworker, is_keyworker=True, started_on=started_on
        ),
        by=coordinator,
    )
    if ended_on:
        with time_machine.travel(at(ended_on, 17), tick=False):
            people_services.end_involvement(
                involvement=involvement, ended_on=ended_on, reason="Moved on", by=coordinator
            )
    return involvement


def test_a_keyworker_opening_someone_on_their_caseload_is_not_found(register, coordinator, keyworker, person):
    allocate(person, keyworker, coordinator, started_on=WEDNESDAY - datetime.timedelta(days=30))
    opened(keyworker, person, at(WEDNESDAY))

    assert find(register) == []


def test_a_keyworker_opening_someone_never_allocated_to_them_is_found(register, keyworker, person):
    opened(keyworker, person, at(WEDNESDAY), times=2)

    (finding,) = find(register)

    assert (finding.kind, finding.username, finding.person_id, finding.times) == (
        OUTSIDE_CASELOAD,
        "sam",
        person.pk,
        2,
    )
    assert finding.detail == "Opened the record of someone not on their caseload, 2 times"


@pytest.mark.parametrize(
    ("ended_on", "found"),
    [(WEDNESDAY - datetime.timedelta(days=1), True), (WEDNESDAY, False), (None, False)],
    ids=["ended the day before", "ended that day", "not ended"],
)
def test_an_allocation_counts_up_to_and_including_the_day_it_ended(
    register, coordinator, keyworker, person, ended_on, found
):
    allocate(
        person, keyworker, coordinator, started_on=WEDNESDAY - datetime.timedelta(days=30), ended_on=ended_on
    )
    opened(keyworker, person, at(WEDNESDAY))

    assert kinds(find(register)) == ([(OUTSIDE_CASELOAD, "sam")] if found else [])


def test_an_allocation_that_had_not_started_does_not_count(register, coordinator, keyworker, person):
    allocate(person, keyworker, coordinator, started_on=WEDNESDAY + datetime.timedelta(days=1))
    opened(keyworker, person, at(WEDNESDAY))

    assert kinds(find(register)) == [(OUTSIDE_CASELOAD, "sam")]


def test_only_users_whose_role_in_that_register_is_keyworker_are_looked_at(
    register, other_register, professional, keyworker, person
):
    member_elsewhere = make_person(register=other_register, by=member(other_register, Role.COORDINATOR))
    Membership.objects.create(user=keyworker, register=other_register, role=Role.PROFESSIONAL)
    opened(professional, person, at(WEDNESDAY))
    opened(keyworker, member_elsewhere, at(WEDNESDAY))

    assert find(register) == [] and find(other_register) == []


# All three, for the page, the email and the command.


def test_findings_are_one_register_at_a_time_and_each_links_to_its_events(
    register, other_register, keyworker, person
):
    elsewhere = member(other_register, Role.PROFESSIONAL, username="kim")
    opened(keyworker, person, at(WEDNESDAY, 22))  # outside hours and outside the caseload
    opened(elsewhere, records(other_register, 1)[0], at(WEDNESDAY, 22))

    found = find(register)

    assert kinds(found) == [(OUT_OF_HOURS, "sam"), (OUTSIDE_CASELOAD, "sam")]
    assert found[0].audit_trail_url == (
        "/governance/audit/?username=sam&action=view&since-day=2&since-month=12&since-year=2026"
        "&until-day=2&until-month=12&until-year=2026"
    )
    assert f"person={person.pk}" in found[1].audit_trail_url


def test_a_period_gives_a_finding_for_each_day_most_recent_first(register, professional):
    for day in (WEDNESDAY, WEDNESDAY + datetime.timedelta(days=1)):
        opened(professional, records(register, 1)[0], at(day, 20))

    found = find(register, WEDNESDAY, WEDNESDAY + datetime.timedelta(days=6))

    assert [finding.day for finding in found] == [WEDNESDAY + datetime.timedelta(days=1), WEDNESDAY]


@pytest.mark.parametrize("size", [1, 12])
def test_finding_takes_the_same_queries_however_long_the_trail(
    register, coordinator, keyworker, person, professional, django_assert_num_queries, size
):
    usual_days(professional, register, per_day=size, days=3)
    for person_read in records(register, 20 * size):
        opened(professional, person_read, at(WEDNESDAY, 7))
    opened(keyworker, person, at(WEDNESDAY), times=size)

    # one query for each sign and one for the staff's names
    with django_assert_num_queries(4):
        found = find(register)

    assert {finding.kind for finding in found} == {MANY_RECORDS, OUT_OF_HOURS, OUTSIDE_CASELOAD}


# The settings.


def test_the_working_day_must_end_after_it_starts(register):
    register.working_day_starts, register.working_day_ends = datetime.time(18), datetime.time(8)
    with pytest.raises(ValidationError, match="The working day must end after it starts"):
        register.clean()


def test_changing_the_thresholds_is_in_the_registers_audit_trail(register):
    administrator = member(register, Role.ADMIN, username="alex", is_staff=True, is_superuser=True)
    register.unusual_minimum_records = 30
    register.working_day_ends = datetime.time(17, 30)

    configuration.save_configuration(record=register, by=administrator)

    event = AuditEvent.objects.get(record_type="register")
    assert event.register_id == register.pk
    assert event.changes["unusual_minimum_records"] == [20, 30]
    assert event.changes["working_day_ends"] == ["18:00:00", "17:30:00"]
