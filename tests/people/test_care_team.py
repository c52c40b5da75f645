"""The care team: who is involved, and the keyworker access that involvement gives."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.people.models import Involvement
from dsr.registers.models import Role
from tests.factories import OrganisationFactory, member
from tests.pages import allocate, audit_changes, date_fields, detail_url, error_summary, field_error


def add_url(person) -> str:
    return reverse("people:add_involvement", kwargs={"person_id": person.pk})


def end_url(involvement) -> str:
    return reverse(
        "people:end_involvement",
        kwargs={"person_id": involvement.person_id, "involvement_id": involvement.pk},
    )


def stored(person) -> dict:
    """The care team as stored and the audit trail, to show that a refused form changed nothing."""
    return {
        "team": list(
            Involvement.objects.filter(person=person)
            .order_by("name")
            .values_list("pk", "name", "user_id", "is_keyworker", "started_on", "ended_on", "ended_reason")
        ),
        "audit changes": audit_changes(),
    }


@pytest.fixture
def keyworker(register):
    return member(register, Role.KEYWORKER, username="sam", first_name="Sam", last_name="Okafor")


@pytest.fixture
def keyworker_client(keyworker):
    """The keyworker signed in on their own browser (the coordinator has another)."""
    browser = Client()
    browser.force_login(keyworker)
    return browser


def involvement_form(started_on: datetime.date | None = None, **changes) -> dict:
    data = {
        "name": "Sam Okafor",
        "role": "Community learning disability nurse",
        "organisation": "",
        "contact": "sam.okafor@nhs.net",
        "user": "",
        "responsibilities": ["is_keyworker"],
        **date_fields("started_on", started_on or today() - datetime.timedelta(days=7)),
    }
    data.update(changes)
    return data


def test_keyworker_with_an_account_can_open_the_record_once_added_to_the_care_team(
    coordinator_client, keyworker_client, person, keyworker
):
    assert keyworker_client.get(detail_url(person)).status_code == 404

    response = coordinator_client.post(add_url(person), involvement_form(user=str(keyworker.pk)))

    assert response.status_code == 302
    page = keyworker_client.get(detail_url(person))
    assert page.status_code == 200
    assert "Jamie Rivers" in page.content.decode()


def test_keyworker_added_to_the_care_team_finds_the_person_on_their_register_list(
    coordinator_client, keyworker_client, person, keyworker
):
    before = keyworker_client.get(reverse("people:list")).content.decode()
    assert "Rivers" not in before  # need to know: only the people allocated to them are listed
    assert str(person.pk) not in before

    coordinator_client.post(add_url(person), involvement_form(user=str(keyworker.pk)))

    html = keyworker_client.get(reverse("people:list")).content.decode()
    assert f'<a href="{detail_url(person)}">Rivers, Jamie</a>' in html


def test_involvement_is_stored_with_its_responsibilities_and_shown_on_the_page(
    coordinator_client, person, keyworker
):
    organisation = OrganisationFactory(name="Kent Community Health NHS Foundation Trust")
    started = today() - datetime.timedelta(days=7)

    coordinator_client.post(
        add_url(person),
        involvement_form(
            started,
            user=str(keyworker.pk),
            organisation=str(organisation.pk),
            responsibilities=["is_keyworker", "is_lead_professional"],
        ),
    )

    involvement = Involvement.objects.get(person=person)
    assert (involvement.user, involvement.organisation, involvement.started_on) == (
        keyworker,
        organisation,
        started,
    )
    assert (involvement.is_keyworker, involvement.is_care_coordinator, involvement.is_lead_professional) == (
        True,
        False,
        True,
    )
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Added to the care team" in html
    assert "Community learning disability nurse" in html
    assert "Kent Community Health NHS Foundation Trust" in html
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, record_id=str(involvement.pk)).exists()


def test_ending_the_involvement_takes_the_record_away_from_the_keyworker(
    coordinator_client, keyworker_client, person, keyworker, coordinator
):
    involvement = allocate(person, keyworker, coordinator, today() - datetime.timedelta(days=30))
    assert keyworker_client.get(detail_url(person)).status_code == 200

    response = coordinator_client.post(
        end_url(involvement), {**date_fields("ended_on", today()), "reason": "Moved to the adult team"}
    )

    assert response.status_code == 302
    involvement.refresh_from_db()
    assert (involvement.ended_on, involvement.ended_reason) == (today(), "Moved to the adult team")
    assert keyworker_client.get(detail_url(person)).status_code == 404
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Past involvement (1)" in html
    assert "Moved to the adult team" in html


def test_end_date_before_the_start_date_is_refused(
    coordinator_client, keyworker_client, person, keyworker, coordinator
):
    started = today() - datetime.timedelta(days=30)
    involvement = allocate(person, keyworker, coordinator, started)
    before = stored(person)

    response = coordinator_client.post(
        end_url(involvement), {**date_fields("ended_on", started - datetime.timedelta(days=1)), "reason": ""}
    )

    message = "The end date must be on or after the start date"
    assert response.status_code == 200
    assert field_error(response, "ended_on") == message
    assert ("#ended_on-day", message) in error_summary(response)
    assert stored(person) == before
    assert keyworker_client.get(detail_url(person)).status_code == 200


def test_end_date_in_the_future_is_refused(coordinator_client, person, keyworker, coordinator):
    involvement = allocate(person, keyworker, coordinator, today() - datetime.timedelta(days=30))
    before = stored(person)

    response = coordinator_client.post(
        end_url(involvement), {**date_fields("ended_on", today() + datetime.timedelta(days=1))}
    )

    assert field_error(response, "ended_on") == "The end date must not be in the future"
    assert stored(person) == before


def test_ending_an_involvement_that_has_already_ended_is_refused(
    coordinator_client, person, keyworker, coordinator
):
    involvement = allocate(person, keyworker, coordinator, today() - datetime.timedelta(days=30))
    coordinator_client.post(
        end_url(involvement), {**date_fields("ended_on", today() - datetime.timedelta(days=2))}
    )
    before = stored(person)

    response = coordinator_client.post(end_url(involvement), {**date_fields("ended_on", today())})

    assert response.status_code == 200
    assert ("", "This involvement has already ended") in error_summary(response)
    assert stored(person) == before


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": ""}, "name", "Enter their name"),
        ({"role": " "}, "role", "Enter their role"),
        (
            {"started_on[day]": "", "started_on[month]": "", "started_on[year]": ""},
            "started_on",
            "Enter the start date",
        ),
        ({"started_on[month]": "14"}, "started_on", "The start date must be a real date"),
        ({"name": "x" * 201}, "name", "Ensure this value has at most 200 characters (it has 201)."),
    ],
)
def test_involvement_with_a_missing_or_wrong_answer_is_refused(
    coordinator_client, person, changes, field, message
):
    before = stored(person)

    response = coordinator_client.post(add_url(person), involvement_form(**changes))

    assert response.status_code == 200
    assert field_error(response, field) == message
    assert message in [text for _, text in error_summary(response)]
    assert stored(person) == before


def test_account_from_another_register_cannot_be_linked(coordinator_client, person, other_register):
    outsider = member(other_register, Role.KEYWORKER)
    before = stored(person)

    response = coordinator_client.post(add_url(person), involvement_form(user=str(outsider.pk)))

    assert response.status_code == 200
    assert field_error(response, "user").startswith("Select a valid choice")
    assert stored(person) == before


def test_keyworker_may_not_change_the_care_team_of_their_own_person(
    keyworker_client, person, keyworker, coordinator
):
    involvement = allocate(person, keyworker, coordinator, today() - datetime.timedelta(days=30))
    before = stored(person)

    assert keyworker_client.post(add_url(person), involvement_form()).status_code == 403
    assert keyworker_client.post(end_url(involvement), date_fields("ended_on", today())).status_code == 403
    assert stored(person) == before
