"""Keyworkers: allocated for the ages the register's policy says, and a caseload page with each person's next
contact due, fed by the contact log."""

import dataclasses
import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import years_before
from dsr.people import services
from dsr.people.models import Person
from dsr.people.values import CareTeamMember, LoggedContact
from dsr.registers.models import Role
from dsr.workspace.caseload import NextContact, next_contact
from tests.factories import RegisterFactory, make_person, member
from tests.pages import allocate, audit_changes, date_fields, error_summary, field_error
from tests.rights.populated import text_of

D = datetime.date
FIXED = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
TODAY = D(2026, 3, 1)
MINE = reverse("caseload:mine")
KEYWORKERS = reverse("caseload:keyworkers")

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def fixed_clock():
    with time_machine.travel(FIXED, tick=False):
        yield


def days_ago(n: int) -> D:
    return TODAY - datetime.timedelta(days=n)


def caseload_url(user) -> str:
    return reverse("caseload:keyworker", kwargs={"user_id": user.pk})


def log(person, by, *, kind: str = "phone", on: D) -> None:
    services.log_contact(
        person=person, contact=LoggedContact(kind=kind, occurred_on=on, summary="Spoke to mum"), by=by
    )


def rows(response) -> list[str]:
    """Each row of the caseload table, as its text."""
    html = response.content.decode()
    table = re.search(r'<table[^>]*id="caseload".*?<tbody[^>]*>(.*?)</tbody>', html, re.S)
    return [text_of(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)] if table else []


def names_on(response) -> list[str]:
    """The people on the caseload, in the order shown."""
    return re.findall(r'<a href="/people/[0-9a-f-]{36}/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def keyworker(register):
    return member(register, Role.KEYWORKER, username="sam", first_name="Sam", last_name="Okafor")


@pytest.fixture
def keyworker_client(client, keyworker):
    client.force_login(keyworker)
    return client


def allocated(
    register, coordinator, keyworker, *, name: str, rating: str = "amber", since: int = 60
) -> Person:
    """Someone on the register with the keyworker allocated `since` days ago."""
    person = make_person(
        register=register,
        by=coordinator,
        given_name=name,
        family_name="Rivers",
        rating=rating,
        born=D(2014, 6, 1),
        joined_at=FIXED - datetime.timedelta(days=since + 5),
    )
    allocate(person, keyworker, coordinator, started_on=days_ago(since))
    return person


# Allocation: keyworkers are for people aged 0 to the register's keyworker age on the start date.


@pytest.fixture
def adult_register(db):
    return RegisterFactory(name="Adults and young people", short_name="Adults", max_age=64)


def as_keyworker(started_on: D) -> CareTeamMember:
    return CareTeamMember(name="Sam Okafor", role="Keyworker", is_keyworker=True, started_on=started_on)


@pytest.mark.parametrize(("age", "allowed"), [(25, True), (26, False)])
def test_a_keyworker_is_allocated_up_to_the_registers_keyworker_age_on_the_start_date(
    adult_register, age, allowed
):
    coordinator = member(adult_register, Role.COORDINATOR)
    started_on = days_ago(10)
    # Their birthday falls between the start date and today: today they are a year older.
    born = years_before(started_on, age + 1) + datetime.timedelta(days=4)
    person = make_person(register=adult_register, by=coordinator, given_name="Jo", born=born)
    assert person.age == age + 1
    if allowed:
        services.add_involvement(person=person, member=as_keyworker(started_on), by=coordinator)
        assert person.involvements.filter(is_keyworker=True).count() == 1
    else:
        with pytest.raises(ValidationError) as refused:
            services.add_involvement(person=person, member=as_keyworker(started_on), by=coordinator)
        assert refused.value.message_dict == {
            "is_keyworker": [
                "Keyworkers are for people aged 0 to 25 on this register: Jo was 26 on 19 February 2026"
            ]
        }
        assert not person.involvements.exists()


def test_the_keyworker_age_is_the_registers_policy(adult_register):
    adult_register.keyworker_max_age = 18
    adult_register.save()
    coordinator = member(adult_register, Role.COORDINATOR)
    person = make_person(
        register=adult_register, by=coordinator, given_name="Jo", born=years_before(TODAY, 19)
    )
    with pytest.raises(ValidationError, match="aged 0 to 18 on this register: Jo is 19"):
        services.add_involvement(person=person, member=as_keyworker(TODAY), by=coordinator)


def test_someone_over_the_keyworker_age_may_still_have_the_rest_of_a_care_team(adult_register):
    coordinator = member(adult_register, Role.COORDINATOR)
    person = make_person(register=adult_register, by=coordinator, born=years_before(TODAY, 31))
    member_ = dataclasses.replace(
        as_keyworker(TODAY), is_keyworker=False, is_care_coordinator=True, role="Social worker"
    )
    services.add_involvement(person=person, member=member_, by=coordinator)
    assert person.involvements.count() == 1


def test_the_care_team_form_refuses_a_keyworker_over_the_age_with_the_reason(client, adult_register):
    coordinator = member(adult_register, Role.COORDINATOR)
    person = make_person(
        register=adult_register, by=coordinator, given_name="Jo", born=years_before(TODAY, 31)
    )
    client.force_login(coordinator)
    before = audit_changes()
    response = client.post(
        reverse("people:add_involvement", kwargs={"person_id": person.pk}),
        {
            "name": "Sam Okafor",
            "role": "Keyworker",
            "responsibilities": ["is_keyworker"],
            **date_fields("started_on", TODAY),
        },
    )
    assert response.status_code == 200
    message = "Keyworkers are for people aged 0 to 25 on this register: Jo is 31"
    assert field_error(response, "responsibilities") == message
    assert error_summary(response) == [("#responsibilities", message)]
    assert not person.involvements.exists()
    assert audit_changes() == before


# Next contact due: the last contact since the allocation, else the allocation, plus the register's interval.


@pytest.mark.parametrize(
    ("last_contact_on", "contact_days", "expected"),
    [
        (None, 14, NextContact(due_on=D(2026, 2, 15), days_overdue=14)),  # from the allocation
        (D(2026, 2, 20), 14, NextContact(due_on=D(2026, 3, 6))),  # from the last contact
        (D(2026, 2, 15), 14, NextContact(due_on=D(2026, 3, 1))),  # due today is not yet overdue
        (D(2026, 2, 14), 14, NextContact(due_on=D(2026, 2, 28), days_overdue=1)),
        (D(2026, 2, 20), 7, NextContact(due_on=D(2026, 2, 27), days_overdue=2)),
        (D(2026, 1, 1), 14, NextContact(due_on=D(2026, 2, 15), days_overdue=14)),  # before the allocation
        (D(2026, 2, 20), None, NextContact(due_on=None)),  # no rating, no interval
    ],
)
def test_next_contact_due(last_contact_on, contact_days, expected):
    due = next_contact(
        allocated_on=D(2026, 2, 1), last_contact_on=last_contact_on, contact_days=contact_days, on=TODAY
    )
    assert due == expected


def test_next_contact_states():
    assert NextContact(due_on=TODAY).state == "due"
    assert NextContact(due_on=TODAY, days_overdue=3).state == "overdue"
    assert NextContact(due_on=None).state == "no_rating"


def test_my_caseload_shows_next_contact_from_the_contact_log(
    keyworker_client, register, coordinator, keyworker
):
    jamie = allocated(register, coordinator, keyworker, name="Jamie", since=30)
    log(jamie, keyworker, on=days_ago(40))  # before the allocation: not counted
    log(jamie, keyworker, on=days_ago(20))
    log(jamie, keyworker, kind="event", on=days_ago(2))  # a notable event is not a contact
    response = keyworker_client.get(MINE)
    assert response.status_code == 200
    assert rows(response) == [
        "Person Jamie Rivers Age 11 Rating Amber Amber: MDT meeting or C(E)TR needed; keyworker allocated "
        "Last contact 9 February 2026 "
        "Next contact due 23 February 2026 Overdue by 6 days Log a contact with Jamie Rivers"
    ]
    assert (
        '<strong class="dsr-overdue">23 February 2026<br>Overdue by 6 days</strong>'
        in response.content.decode()
    )


def test_a_contact_before_the_allocation_does_not_count(keyworker_client, register, coordinator, keyworker):
    jamie = allocated(register, coordinator, keyworker, name="Jamie", rating="red", since=3)
    log(jamie, coordinator, kind="visit", on=days_ago(5))
    assert rows(keyworker_client.get(MINE)) == [
        "Person Jamie Rivers Age 11 Rating Red Red: C(E)TR due by 21 March 2026; keyworker allocated "
        "Last contact None since allocated on 26 February 2026 "
        "Next contact due 5 March 2026 Log a contact with Jamie Rivers"
    ]


def test_the_caseload_lists_overdue_first_then_by_next_contact_due(
    keyworker_client, register, coordinator, keyworker
):
    allocated(register, coordinator, keyworker, name="Green", rating="green", since=10)  # due 19 March
    allocated(register, coordinator, keyworker, name="Amber", rating="amber", since=10)  # due 5 March
    allocated(register, coordinator, keyworker, name="Late", rating="amber", since=20)  # due 23 February
    later = allocated(register, coordinator, keyworker, name="Later", rating="red", since=30)
    unrated = allocated(register, coordinator, keyworker, name="Unrated", since=10)
    Person.objects.filter(pk=unrated.pk).update(current_rating="")
    log(later, keyworker, on=days_ago(10))  # due 26 February
    response = keyworker_client.get(MINE)
    assert names_on(response) == [
        "Late Rivers",
        "Later Rivers",
        "Amber Rivers",
        "Green Rivers",
        "Unrated Rivers",
    ]
    assert "Not set: the person has no rating" in rows(response)[-1]


def test_my_caseload_shows_only_the_keyworkers_own_current_allocations(
    keyworker_client, register, other_register, coordinator, keyworker
):
    mine = allocated(register, coordinator, keyworker, name="Mine")
    someone_else = member(register, Role.KEYWORKER)
    allocated(register, coordinator, someone_else, name="Theirs")
    ended = allocated(register, coordinator, keyworker, name="Ended")
    services.end_involvement(
        involvement=ended.involvements.get(), ended_on=TODAY, reason="Moved on", by=coordinator
    )
    left = allocated(register, coordinator, keyworker, name="Left")
    services.remove_from_register(person=left, left_on=TODAY, reason="Moved away", by=coordinator)
    elsewhere_coordinator = member(other_register, Role.COORDINATOR)
    elsewhere = make_person(register=other_register, by=elsewhere_coordinator, given_name="Elsewhere")
    allocate(elsewhere, keyworker, elsewhere_coordinator)  # named there, but not a member of that register
    not_a_keyworker = make_person(register=register, by=coordinator, given_name="Colleague")
    services.add_involvement(
        person=not_a_keyworker,
        member=CareTeamMember(name="Sam Okafor", role="Support worker", user=keyworker, started_on=TODAY),
        by=coordinator,
    )

    response = keyworker_client.get(MINE)

    assert names_on(response) == [mine.full_name]
    event = AuditEvent.objects.get(user_id=keyworker.pk, action=AuditEvent.Action.LIST)
    assert (event.record_type, event.register_id) == ("caseload", register.pk)
    assert event.changes["shown"] == [str(mine.pk)]


def test_my_caseload_is_empty_for_someone_who_is_keyworker_to_no_one(coordinator_client, person):
    response = coordinator_client.get(MINE)
    assert response.status_code == 200
    assert "You are not keyworker to anyone on the register." in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LIST, record_type="caseload").exists()


def test_keyworkers_see_my_caseload_in_the_navigation(keyworker_client, coordinator):
    assert f'href="{MINE}"' in keyworker_client.get(reverse("people:list")).content.decode()
    keyworker_client.force_login(coordinator)
    assert f'href="{MINE}"' not in keyworker_client.get(reverse("people:list")).content.decode()


# A coordinator's view: one keyworker's caseload, and every keyworker with the size of their caseload.


def test_a_coordinator_sees_one_keyworkers_caseload(coordinator_client, register, coordinator, keyworker):
    jamie = allocated(register, coordinator, keyworker, name="Jamie")
    allocated(register, coordinator, member(register, Role.KEYWORKER), name="Theirs")
    response = coordinator_client.get(caseload_url(keyworker))
    assert response.status_code == 200
    assert "<h1>Sam Okafor’s caseload</h1>" in response.content.decode()
    assert names_on(response) == [jamie.full_name]
    event = AuditEvent.objects.get(user_id=coordinator.pk, action=AuditEvent.Action.LIST)
    assert (event.record_type, event.changes["shown"], event.changes["keyworker"]) == (
        "caseload",
        [str(jamie.pk)],
        keyworker.pk,
    )


def test_a_professional_sees_one_keyworkers_caseload(client, register, coordinator, keyworker):
    jamie = allocated(register, coordinator, keyworker, name="Jamie")
    client.force_login(member(register, Role.PROFESSIONAL))
    assert names_on(client.get(caseload_url(keyworker))) == [jamie.full_name]


def test_someone_allocated_as_keyworker_without_the_keyworker_role_has_a_caseload(
    coordinator_client, register, coordinator
):
    professional = member(register, Role.PROFESSIONAL)
    jamie = allocated(register, coordinator, professional, name="Jamie")
    assert names_on(coordinator_client.get(caseload_url(professional))) == [jamie.full_name]


def test_a_user_who_is_not_a_keyworker_in_the_coordinators_registers_is_not_found(
    coordinator_client, register, other_register, coordinator
):
    assert coordinator_client.get(caseload_url(coordinator)).status_code == 404
    elsewhere = member(other_register, Role.KEYWORKER)
    assert coordinator_client.get(caseload_url(elsewhere)).status_code == 404
    assert (
        coordinator_client.get(reverse("caseload:keyworker", kwargs={"user_id": 999999})).status_code == 404
    )


def test_a_keyworker_cannot_see_another_keyworkers_caseload(keyworker_client, register):
    assert keyworker_client.get(caseload_url(member(register, Role.KEYWORKER))).status_code == 403


def test_a_coordinator_sees_every_keyworker_with_the_size_of_their_caseload(
    coordinator_client, register, other_register, coordinator, keyworker
):
    for name in ("A", "B"):
        allocated(register, coordinator, keyworker, name=name)
    left = allocated(register, coordinator, keyworker, name="Left")
    services.remove_from_register(person=left, left_on=TODAY, reason="Moved away", by=coordinator)
    member(register, Role.KEYWORKER, username="new", first_name="Nia", last_name="Begum")
    member(other_register, Role.KEYWORKER, first_name="Elsewhere", last_name="Only")
    response = coordinator_client.get(KEYWORKERS)
    assert response.status_code == 200
    page = text_of(response.content.decode())
    assert "Keyworker Nia Begum People allocated 0 Keyworker Sam Okafor People allocated 2" in page
    assert "Elsewhere" not in page
    assert f'href="{caseload_url(keyworker)}"' in response.content.decode()
    assert f'href="{KEYWORKERS}"' in coordinator_client.get(reverse("people:list")).content.decode()


# The page runs the same queries whatever the size of the caseload.

QUERIES_ON_MY_CASELOAD = 7


@pytest.mark.parametrize("size", [1, 10])
def test_my_caseload_runs_the_same_queries_whatever_its_size(
    client, register, coordinator, keyworker, django_assert_num_queries, size
):
    for n in range(size):
        person = allocated(
            register, coordinator, keyworker, name=f"P{n}", rating=["red", "amber", "green"][n % 3]
        )
        log(person, keyworker, on=days_ago(n))
    client.force_login(keyworker)
    # session, user, memberships, the caseload with each person's register, the audit line, and the savepoint
    # and its release around the request's transaction.
    with django_assert_num_queries(QUERIES_ON_MY_CASELOAD):
        response = client.get(MINE)
    assert len(rows(response)) == size


@pytest.mark.parametrize("size", [1, 10])
def test_a_keyworkers_caseload_runs_the_same_queries_whatever_its_size(
    coordinator_client, register, coordinator, keyworker, django_assert_num_queries, size
):
    for n in range(size):
        allocated(register, coordinator, keyworker, name=f"P{n}")
    # As "My caseload", and the check that the user is a keyworker in the coordinator's registers.
    with django_assert_num_queries(QUERIES_ON_MY_CASELOAD + 1):
        response = coordinator_client.get(caseload_url(keyworker))
    assert len(rows(response)) == size


@pytest.mark.parametrize("size", [1, 10])
def test_the_keyworkers_list_runs_the_same_queries_whatever_the_number(
    coordinator_client, register, coordinator, django_assert_num_queries, size
):
    for n in range(size):
        allocated(register, coordinator, member(register, Role.KEYWORKER), name=f"P{n}")
    # session, user, memberships, the keyworkers with the size of their caseloads, and the savepoint and its
    # release around the request's transaction.
    with django_assert_num_queries(6):
        response = coordinator_client.get(KEYWORKERS)
    assert response.content.decode().count('href="/caseload/') == size
