import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dsr.access import scope_of
from dsr.actions import services as action_services
from dsr.meetings import services
from dsr.people import services as people_services
from dsr.people.values import AdmissionDetails
from dsr.registers.models import Role
from tests.factories import make_person, member

D = datetime.date


def new_meeting(coordinator, register, *, kind="register", held_on=None, starts_at=datetime.time.min):
    """A meeting of the register, today from midnight unless told otherwise: one that can be run now."""
    return services.create_meeting(
        scope=scope_of(coordinator, register),
        register=register,
        kind=kind,
        held_on=held_on or timezone.localdate(),
        starts_at=starts_at,
        by=coordinator,
    )


def days_ago(days: int) -> datetime.datetime:
    """Noon, local time, that many days ago: the same day in any time zone offset and at any time of day
    (midnight minus whole days can cross a change of clocks into the day before)."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def professional(register):
    return member(register, Role.PROFESSIONAL, username="panel", first_name="Ade", last_name="Bello")


@pytest.fixture
def seeded(register, coordinator, other_register):
    """One person for every heading of an agenda, a green person with nothing due, someone who left, and
    a red person on another register."""
    on = timezone.localdate()
    people = {}
    people["red"] = make_person(
        register=register,
        by=coordinator,
        rating="red",
        given_name="Rhys",
        family_name="Red",
        joined_at=days_ago(40),
    )
    people["amber"] = make_person(
        register=register, by=coordinator, rating="amber", given_name="Asha", family_name="Amber"
    )
    people["blue"] = make_person(
        register=register, by=coordinator, rating="green", given_name="Ben", family_name="Blue"
    )
    people_services.record_admission(
        person=people["blue"],
        admission=AdmissionDetails(
            hospital="Priory Hospital",
            admitted_on=on - datetime.timedelta(days=20),
            legal_status="section_2",
            out_of_area=True,
        ),
        by=coordinator,
    )
    people["overdue_review"] = make_person(
        register=register,
        by=coordinator,
        rating="green",
        given_name="Ola",
        family_name="Review",
        joined_at=days_ago(100),
    )
    people["green"] = make_person(
        register=register, by=coordinator, rating="green", given_name="Gina", family_name="Green"
    )
    people["overdue_action"] = make_person(
        register=register, by=coordinator, rating="green", given_name="Omar", family_name="Overdue"
    )
    action_services.add_action(
        person=people["overdue_action"],
        description="Send the sensory report",
        owner_name="Sam Okafor",
        due_on=on - datetime.timedelta(days=3),
        by=coordinator,
    )
    people["escalated"] = make_person(
        register=register, by=coordinator, rating="green", given_name="Esme", family_name="Escalated"
    )
    services.escalate(person=people["escalated"], reason="School placement breaking down", by=coordinator)
    people["other_register"] = make_person(
        register=other_register,
        by=member(other_register, Role.COORDINATOR, username="else"),
        rating="red",
        given_name="Olly",
        family_name="Elsewhere",
    )
    return people


def item_url(item) -> str:
    """The page where an agenda item is discussed."""
    return reverse("meetings:item", args=[item.meeting_id, item.pk])


@pytest.fixture
def meeting(seeded, register, coordinator):
    """A register meeting of the seeded register, today from midnight (so it may be run now)."""
    return new_meeting(coordinator, register)
