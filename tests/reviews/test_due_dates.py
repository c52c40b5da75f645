"""When something next falls due for each person (`Person.due_on`, which today's work reads the most urgent
people from): worked out by the policy's rules, worked out again once any change to what it comes from
commits, and forgotten, so that pages work it out themselves, when a register's policy changes."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from dsr.actions import services as action_services
from dsr.administration import configuration
from dsr.dates import years_before
from dsr.people.models import Person
from dsr.ratings.services import record_rating
from dsr.registers.models import Role
from dsr.reviews import policy, services
from dsr.reviews.services import ReviewDetails
from tests.factories import make_person, member, national_risk_factors

D = datetime.date
ON = D(2026, 3, 2)
CHILD = years_before(ON, 12)


@pytest.fixture(autouse=True)
def on_the_day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC), tick=False):
        yield


def due_on(person: Person) -> datetime.date | None:
    return Person.objects.values_list("due_on", flat=True).get(pk=person.pk)


def test_working_out_keeps_the_first_day_anything_falls_due(register, coordinator):
    red = make_person(register=register, by=coordinator, rating="red", born=CHILD, given_name="Ruby")
    green = make_person(register=register, by=coordinator, rating="green", born=CHILD, given_name="Gina")
    assert due_on(red) is None  # not worked out yet

    assert services.refresh_due_dates(Person.objects.all()) == 2

    # Red: the rating's review in 14 days comes before the C(E)TR within 28; green: its review in 90 days.
    assert due_on(red) == ON + datetime.timedelta(days=14)
    assert due_on(green) == ON + datetime.timedelta(days=90)


def test_a_change_to_what_it_comes_from_works_it_out_again_once_it_commits(
    register, coordinator, django_capture_on_commit_callbacks
):
    person = make_person(register=register, by=coordinator, rating="amber", born=CHILD)
    services.refresh_due_dates(Person.objects.filter(pk=person.pk))
    assert due_on(person) == ON + datetime.timedelta(days=28)  # amber: the rating's review

    with django_capture_on_commit_callbacks(execute=True):
        record_rating(
            person=person,
            rating="red",
            rationale="Placement breaking down",
            factors=national_risk_factors()[:1],
            next_review_due=ON + datetime.timedelta(days=60),
            by=coordinator,
        )
        assert due_on(person) is None  # until the change commits, pages work it out themselves
    assert due_on(person) == ON + datetime.timedelta(days=28)  # red: a community C(E)TR within 28 days

    with django_capture_on_commit_callbacks(execute=True):
        services.record_review(
            person=person,
            details=ReviewDetails(kind="cetr", setting="community", review_on=ON, status="took_place"),
            by=coordinator,
        )
    assert due_on(person) == ON + datetime.timedelta(days=60)  # the C(E)TR is done: the rating's review


def test_a_change_to_anything_else_leaves_it_alone(register, coordinator, django_capture_on_commit_callbacks):
    person = make_person(register=register, by=coordinator, rating="green", born=CHILD)
    services.refresh_due_dates(Person.objects.filter(pk=person.pk))
    with django_capture_on_commit_callbacks(execute=True):
        action_services.add_action(
            person=person, description="Ring the school", owner_name="Sam", due_on=ON, by=coordinator
        )
    assert due_on(person) == ON + datetime.timedelta(days=90)


def test_a_change_to_a_registers_review_targets_forgets_its_peoples_due_dates(
    register, other_register, coordinator
):
    administrator = member(register, Role.ADMIN, username="alex", is_staff=True, is_superuser=True)
    here = make_person(register=register, by=coordinator, rating="red", born=CHILD)
    there = make_person(
        register=other_register, by=member(other_register, Role.COORDINATOR), rating="red", born=CHILD
    )
    services.refresh_due_dates(Person.objects.all())

    register.team_phone = "0113 496 0000"
    configuration.save_configuration(record=register, by=administrator)
    assert due_on(here) is not None  # nothing a due date comes from

    register.red_review_target_days = 7
    configuration.save_configuration(record=register, by=administrator)
    assert due_on(here) is None
    assert due_on(there) is not None

    services.refresh_due_dates(Person.objects.all())
    assert due_on(here) == ON + datetime.timedelta(days=7)  # the new target comes before the review


def test_someone_with_nothing_dated_to_do_is_kept_as_nothing_due(register, coordinator):
    person = make_person(register=register, by=coordinator, rating="green", born=CHILD)
    Person.objects.filter(pk=person.pk).update(next_review_due=None)
    services.refresh_due_dates(Person.objects.filter(pk=person.pk))
    assert due_on(person) == policy.NOTHING_DUE


def test_the_command_works_out_every_active_persons_due_date(register, coordinator):
    people = [make_person(register=register, by=coordinator, born=CHILD, given_name=n) for n in ("Ann", "Bo")]
    out = StringIO()
    call_command("refresh_due_dates", stdout=out)
    assert out.getvalue() == "Worked out due dates for 2 people.\n"
    assert all(due_on(person) == ON + datetime.timedelta(days=28) for person in people)
    assert not services.due_dates_left_to_work_out()
