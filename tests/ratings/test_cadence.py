"""When a rating is next reviewed: each register's cadence per rating, counted from the local day."""

import datetime

import pytest
import time_machine

from dsr.people import services
from dsr.people.values import AdmissionDetails
from dsr.ratings import cadence
from tests.factories import RegisterFactory, make_person, member

UTC = datetime.UTC


@pytest.fixture
def register(db):
    """The default cadence: red every 14 days, amber 28, green 90, blue 28."""
    return RegisterFactory()


@pytest.mark.parametrize(
    "rating, rated_on, due",
    [
        ("red", datetime.date(2026, 3, 3), datetime.date(2026, 3, 17)),
        ("amber", datetime.date(2026, 3, 3), datetime.date(2026, 3, 31)),
        ("green", datetime.date(2026, 3, 3), datetime.date(2026, 6, 1)),
        ("blue", datetime.date(2026, 3, 3), datetime.date(2026, 3, 31)),
        ("red", datetime.date(2026, 12, 20), datetime.date(2027, 1, 3)),
        ("red", datetime.date(2027, 2, 20), datetime.date(2027, 3, 6)),
        ("red", datetime.date(2028, 2, 20), datetime.date(2028, 3, 5)),
        ("green", datetime.date(2027, 12, 1), datetime.date(2028, 2, 29)),
    ],
)
def test_next_review_follows_the_registers_default_cadence(register, rating, rated_on, due):
    assert cadence.next_review_due(register=register, rating=rating, rated_on=rated_on) == due


@pytest.mark.parametrize("rating, days", [("red", 7), ("amber", 21), ("green", 56), ("blue", 42)])
def test_next_review_follows_a_registers_own_cadence(db, rating, days):
    register = RegisterFactory(
        review_days_red=7, review_days_amber=21, review_days_green=56, review_days_blue=42
    )
    rated_on = datetime.date(2026, 5, 1)

    assert cadence.next_review_due(
        register=register, rating=rating, rated_on=rated_on
    ) == rated_on + datetime.timedelta(days=days)


def test_red_is_reviewed_sooner_than_amber_and_amber_sooner_than_green(register):
    rated_on = datetime.date(2026, 5, 1)
    due = {
        r: cadence.next_review_due(register=register, rating=r, rated_on=rated_on)
        for r in ("red", "amber", "green")
    }

    assert due["red"] < due["amber"] < due["green"]


@pytest.mark.parametrize(
    "now, rating, due",
    [
        (datetime.datetime(2026, 3, 3, 10, 0, tzinfo=UTC), "red", datetime.date(2026, 3, 17)),
        (datetime.datetime(2026, 3, 3, 10, 0, tzinfo=UTC), "amber", datetime.date(2026, 3, 31)),
        (datetime.datetime(2026, 3, 3, 10, 0, tzinfo=UTC), "green", datetime.date(2026, 6, 1)),
        # 23:30 in UTC is already 00:30 on 1 July in London (summer time): the local day counts.
        (datetime.datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "red", datetime.date(2026, 7, 15)),
        # 23:30 in UTC is 23:30 in London in winter: still 31 December.
        (datetime.datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "red", datetime.date(2027, 1, 14)),
    ],
)
def test_person_joining_today_is_first_reviewed_by_the_cadence_of_their_rating(register, now, rating, due):
    with time_machine.travel(now, tick=False):
        coordinator = member(register, "coordinator")
        person = make_person(register=register, by=coordinator, rating=rating)

    assert person.next_review_due == due
    assert person.ratings.get().next_review_due == due


def test_person_imported_with_a_past_joining_date_is_reviewed_from_that_date(register):
    coordinator = member(register, "coordinator")
    joined = datetime.datetime(2025, 11, 3, 9, 0, tzinfo=UTC)

    with time_machine.travel(datetime.datetime(2026, 3, 3, 10, 0, tzinfo=UTC), tick=False):
        person = make_person(register=register, by=coordinator, rating="amber", joined_at=joined)

    assert person.next_review_due == datetime.date(2025, 12, 1)
    assert person.review_overdue(on=datetime.date(2026, 3, 3))


@pytest.mark.parametrize(
    "admitted_on, due",
    [
        (datetime.date(2026, 3, 3), datetime.date(2026, 3, 31)),
        # An admission recorded late is reviewed from the day it is recorded, not in the past.
        (datetime.date(2026, 2, 1), datetime.date(2026, 3, 31)),
    ],
)
def test_admission_sets_the_blue_review_from_today_at_the_latest(register, admitted_on, due):
    with time_machine.travel(datetime.datetime(2026, 3, 3, 10, 0, tzinfo=UTC), tick=False):
        coordinator = member(register, "coordinator")
        person = make_person(
            register=register, by=coordinator, joined_at=datetime.datetime(2026, 1, 5, tzinfo=UTC)
        )
        services.record_admission(
            person=person,
            admission=AdmissionDetails(
                hospital="Priory Hospital Ticehurst", admitted_on=admitted_on, legal_status="informal"
            ),
            by=coordinator,
        )

    person.refresh_from_db()
    assert (person.current_rating, person.next_review_due) == ("blue", due)
