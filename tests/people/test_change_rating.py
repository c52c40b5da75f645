"""Changing a person's rating on the change-rating page: history is appended, never rewritten."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.people.models import Involvement, Person
from dsr.ratings.models import RiskRating
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.pages import (
    allocate,
    audit_changes,
    date_fields,
    date_shown,
    detail_url,
    error_summary,
    field_error,
    national_factors,
)


def change_url(person) -> str:
    return reverse("people:change_rating", kwargs={"person_id": person.pk})


def history(person) -> list[dict]:
    """Every rating entry as stored, oldest first, with its risk factors."""
    return [
        {
            "id": entry.pk,
            "rating": entry.rating,
            "rationale": entry.rationale,
            "reason": entry.reason,
            "rated_at": entry.rated_at,
            "rated_by": entry.rated_by_id,
            "next_review_due": entry.next_review_due,
            "factors": sorted(entry.risk_factors.values_list("pk", flat=True)),
        }
        for entry in RiskRating.objects.filter(person=person).order_by("rated_at")
    ]


def stored(person) -> dict:
    """The person's rating, history and audit trail, to show that a refused form changed nothing."""
    person = Person.objects.get(pk=person.pk)
    return {
        "current": (person.current_rating, person.current_rating_at, person.next_review_due),
        "history": history(person),
        "audit changes": audit_changes(),
    }


def form_data(**changes) -> dict:
    data = {
        "rating": "red",
        "rationale": "Police called to the family home twice this week",
        "risk_factors": national_factors(3),
        **date_fields("next_review_due", today() + datetime.timedelta(days=7)),
    }
    data.update(changes)
    return data


@pytest.fixture
def register(register):
    """Review cadences that differ for every rating, so a wrong one shows."""
    register.review_days_red = 7
    register.review_days_amber = 21
    register.review_days_green = 60
    register.review_days_blue = 30
    register.save()
    return register


@pytest.mark.parametrize("rating, days", [("red", 7), ("amber", 21), ("green", 60), ("blue", 30)])
def test_page_proposes_the_next_review_from_the_registers_cadence_for_the_chosen_rating(
    coordinator_client, person, rating, days
):
    response = coordinator_client.get(change_url(person), {"rating": rating})

    assert response.status_code == 200
    assert date_shown(response, "next_review_due") == today() + datetime.timedelta(days=days)
    assert re.search(rf'value="{rating}"[^>]*checked', response.content.decode())


def test_page_proposes_the_review_for_the_current_rating_when_none_is_chosen(coordinator_client, person):
    assert person.current_rating == "amber"

    response = coordinator_client.get(change_url(person))

    assert date_shown(response, "next_review_due") == today() + datetime.timedelta(days=21)


def test_page_explains_each_ratings_cadence_in_this_register(coordinator_client, person):
    html = coordinator_client.get(change_url(person)).content.decode()

    assert "Reviewed every 7 days in this register" in html
    assert "Reviewed every 60 days in this register" in html


def test_proposed_review_date_crosses_into_the_new_year(client, register, coordinator):
    with time_machine.travel(datetime.datetime(2026, 12, 28, 10, 0, tzinfo=datetime.UTC), tick=False):
        person = make_person(register=register, by=coordinator)
        client.force_login(coordinator)

        response = client.get(change_url(person), {"rating": "red"})

    assert date_shown(response, "next_review_due") == datetime.date(2027, 1, 4)


def test_a_rating_that_does_not_exist_in_the_address_is_ignored_not_an_error(coordinator_client, person):
    response = coordinator_client.get(change_url(person), {"rating": "purple"})

    assert response.status_code == 200
    assert date_shown(response, "next_review_due") == today() + datetime.timedelta(days=21)


def test_changing_the_rating_adds_an_entry_and_leaves_earlier_entries_as_they_were(
    coordinator_client, person, coordinator
):
    earlier = history(person)

    response = coordinator_client.post(change_url(person), form_data())

    assert response.status_code == 302
    assert response["Location"] == detail_url(person)
    now = history(person)
    assert now[: len(earlier)] == earlier
    assert len(now) == len(earlier) + 1
    added = now[-1]
    assert added["rating"] == "red"
    assert added["rationale"] == "Police called to the family home twice this week"
    assert added["reason"] == RiskRating.Reason.REVIEW
    assert added["rated_by"] == coordinator.pk
    assert added["next_review_due"] == today() + datetime.timedelta(days=7)
    assert [str(pk) for pk in added["factors"]] == sorted(national_factors(3), key=int)


def test_changing_the_rating_makes_it_the_persons_current_rating(coordinator_client, person):
    due = today() + datetime.timedelta(days=5)

    coordinator_client.post(change_url(person), form_data(**date_fields("next_review_due", due)))

    person.refresh_from_db()
    assert person.current_rating == "red"
    assert person.next_review_due == due
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Rating saved" in html
    assert "High risk of admission straight away" in html
    assert html.index("Police called to the family home") < html.index("Initial rating at referral")


def test_changing_the_rating_is_audited(coordinator_client, person, coordinator):
    coordinator_client.post(change_url(person), form_data())

    entry = RiskRating.objects.filter(person=person).latest("rated_at")
    created = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, record_id=str(entry.pk))
    assert created.user_id == coordinator.pk
    changed = AuditEvent.objects.filter(
        action=AuditEvent.Action.CHANGE, record_type="person", person_id=person.pk
    ).latest("id")
    assert changed.changes["current_rating"] == ["amber", "red"]


@pytest.mark.parametrize("rationale", ["", "  \n "])
def test_rating_change_without_rationale_is_refused(coordinator_client, person, rationale):
    before = stored(person)

    response = coordinator_client.post(change_url(person), form_data(rationale=rationale))

    assert response.status_code == 200
    assert field_error(response, "rationale") == "Enter why you chose this rating"
    assert ("#id_rationale", "Enter why you chose this rating") in error_summary(response)
    assert stored(person) == before


def test_rating_change_without_risk_factors_is_refused(coordinator_client, person):
    before = stored(person)
    data = form_data()
    del data["risk_factors"]

    response = coordinator_client.post(change_url(person), data)

    assert field_error(response, "risk_factors") == "Select the risk factors you considered"
    assert stored(person) == before


def test_rating_change_with_a_next_review_in_the_past_is_refused(coordinator_client, person):
    before = stored(person)
    yesterday = today() - datetime.timedelta(days=1)

    response = coordinator_client.post(
        change_url(person), form_data(**date_fields("next_review_due", yesterday))
    )

    assert response.status_code == 200
    assert field_error(response, "next_review_due") == "The next review must not be in the past"
    assert ("#next_review_due-day", "The next review must not be in the past") in error_summary(response)
    assert stored(person) == before


def test_rating_change_with_a_next_review_today_is_accepted(coordinator_client, person):
    response = coordinator_client.post(
        change_url(person), form_data(**date_fields("next_review_due", today()))
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.next_review_due == today()


def test_rating_change_with_an_impossible_review_date_is_refused(coordinator_client, person):
    before = stored(person)
    typed = {"next_review_due[day]": "30", "next_review_due[month]": "2", "next_review_due[year]": "2030"}

    response = coordinator_client.post(change_url(person), form_data(**typed))

    assert field_error(response, "next_review_due") == "The next review date must be a real date"
    assert stored(person) == before


def test_rating_that_is_not_offered_is_refused(coordinator_client, person):
    before = stored(person)

    response = coordinator_client.post(change_url(person), form_data(rating="purple"))

    assert response.status_code == 200
    assert field_error(response, "rating").startswith("Select a valid choice")
    assert stored(person) == before


def test_professional_may_not_change_the_rating(client, register, person):
    client.force_login(member(register, Role.PROFESSIONAL))
    before = stored(person)

    assert client.get(change_url(person)).status_code == 403
    assert client.post(change_url(person), form_data()).status_code == 403
    assert stored(person) == before


def test_allocated_keyworker_may_not_change_the_rating(client, register, person, coordinator):
    keyworker = member(register, Role.KEYWORKER)
    allocate(person, keyworker, coordinator)
    assert Involvement.objects.filter(user=keyworker).exists()
    client.force_login(keyworker)
    before = stored(person)

    assert client.get(detail_url(person)).status_code == 200
    assert client.get(change_url(person)).status_code == 403
    assert client.post(change_url(person), form_data()).status_code == 403
    assert stored(person) == before


def test_person_on_another_register_is_not_found(coordinator_client, other_register):
    elsewhere = make_person(register=other_register, by=member(other_register, Role.COORDINATOR))
    before = stored(elsewhere)

    assert coordinator_client.get(change_url(elsewhere)).status_code == 404
    assert coordinator_client.post(change_url(elsewhere), form_data()).status_code == 404
    assert stored(elsewhere) == before
