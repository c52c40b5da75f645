"""Logging contacts and recording circumstances and key safety information."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import format_date, today
from dsr.people import services
from dsr.people.models import Circumstances, ContactLog
from dsr.people.values import CircumstancesUpdate
from dsr.registers.models import Role
from tests.factories import member
from tests.pages import allocate, audit_changes, date_fields, detail_url, error_summary, field_error


def contact_url(person) -> str:
    return reverse("people:log_contact", kwargs={"person_id": person.pk})


def circumstances_url(person) -> str:
    return reverse("people:change_circumstances", kwargs={"person_id": person.pk})


CIRCUMSTANCE_FIELDS = ["key_safety_information", "why_enhanced_support", "health", "education", "social"]


def stored(person) -> dict:
    """Contacts, circumstances and the audit trail, to show that a refused form changed nothing."""
    return {
        "contacts": list(ContactLog.objects.filter(person=person).values_list("pk", "summary")),
        "circumstances": list(Circumstances.objects.filter(person=person).values_list(*CIRCUMSTANCE_FIELDS)),
        "audit changes": audit_changes(),
    }


def contact_form(**changes) -> dict:
    data = {
        "kind": ContactLog.Kind.VISIT,
        **date_fields("occurred_on", today()),
        "summary": "Home visit: Jamie calmer since the new timetable",
    }
    data.update(changes)
    return data


def circumstances_form(**changes) -> dict:
    data = {
        "key_safety_information": "Do not approach from behind.\nDislikes loud voices.",
        "why_enhanced_support": "School placement at risk",
        "health": "Epilepsy, well controlled",
        "education": "Year 8, part-time timetable",
        "social": "Lives with mother and two siblings",
    }
    data.update(changes)
    return data


@pytest.fixture
def keyworker(register, person, coordinator):
    """Sam, keyworker allocated to Jamie."""
    sam = member(register, Role.KEYWORKER, first_name="Sam", last_name="Okafor")
    allocate(person, sam, coordinator)
    return sam


@pytest.fixture
def keyworker_client(keyworker):
    browser = Client()
    browser.force_login(keyworker)
    return browser


def test_allocated_keyworker_can_log_a_contact(keyworker_client, person, keyworker):
    response = keyworker_client.post(contact_url(person), contact_form())

    assert response.status_code == 302
    assert response["Location"] == detail_url(person)
    contact = ContactLog.objects.get(person=person)
    assert (contact.kind, contact.occurred_on, contact.recorded_by) == ("visit", today(), keyworker)
    assert (
        AuditEvent.objects.get(action=AuditEvent.Action.CREATE, record_id=str(contact.pk)).user_id
        == keyworker.pk
    )
    html = keyworker_client.get(detail_url(person)).content.decode()
    assert "Contact logged" in html
    assert f"{format_date(today())}, visit</strong> (Sam Okafor)" in html
    assert "Home visit: Jamie calmer since the new timetable" in html


def test_keyworker_not_allocated_to_the_person_cannot_log_a_contact(client, register, person):
    client.force_login(member(register, Role.KEYWORKER))
    before = stored(person)

    assert client.post(contact_url(person), contact_form()).status_code == 404
    assert stored(person) == before


def test_professional_can_log_a_contact(client, register, person):
    client.force_login(member(register, Role.PROFESSIONAL))

    assert client.post(contact_url(person), contact_form()).status_code == 302
    assert ContactLog.objects.filter(person=person).count() == 1


def test_contact_dated_in_the_future_is_refused(keyworker_client, person):
    before = stored(person)

    response = keyworker_client.post(
        contact_url(person), contact_form(**date_fields("occurred_on", today() + datetime.timedelta(days=1)))
    )

    assert field_error(response, "occurred_on") == "The date must not be in the future"
    assert ("#occurred_on-day", "The date must not be in the future") in error_summary(response)
    assert stored(person) == before


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"kind": ""}, "kind", "Choose the kind of contact"),
        ({"summary": "  "}, "summary", "Enter a summary of the contact"),
        ({"summary": "x" * 4001}, "summary", "Ensure this value has at most 4000 characters (it has 4001)."),
        ({"occurred_on[day]": "32"}, "occurred_on", "The date of the contact must be a real date"),
    ],
)
def test_contact_with_a_missing_or_wrong_answer_is_refused(keyworker_client, person, changes, field, message):
    before = stored(person)

    response = keyworker_client.post(contact_url(person), contact_form(**changes))

    assert response.status_code == 200
    assert field_error(response, field) == message
    assert message in [text for _, text in error_summary(response)]
    assert stored(person) == before


def test_contact_summary_at_the_limit_is_accepted(keyworker_client, person):
    response = keyworker_client.post(contact_url(person), contact_form(summary="x" * 4000))

    assert response.status_code == 302
    assert len(ContactLog.objects.get(person=person).summary) == 4000


def test_key_safety_information_is_saved_and_shown_first_on_the_page(keyworker_client, person, keyworker):
    response = keyworker_client.post(circumstances_url(person), circumstances_form())

    assert response.status_code == 302
    circumstances = Circumstances.objects.get(person=person)
    assert circumstances.key_safety_information == "Do not approach from behind.\nDislikes loud voices."
    assert circumstances.updated_by == keyworker
    html = keyworker_client.get(detail_url(person)).content.decode()
    assert "Circumstances saved" in html
    safety = html.index("Do not approach from behind.")
    assert html.index('id="key-safety-information"') < safety
    assert safety < html.index("Rating history")
    assert safety < html.index("School placement at risk")


def test_change_of_circumstances_is_audited_with_what_changed(coordinator_client, person, coordinator):
    coordinator_client.post(circumstances_url(person), circumstances_form(health="", education="", social=""))

    event = AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE, record_type="circumstances").get()
    assert event.user_id == coordinator.pk
    assert event.changes == {
        "key_safety_information": ["", "Do not approach from behind.\nDislikes loud voices."],
        "why_enhanced_support": ["", "School placement at risk"],
    }


@pytest.mark.parametrize("field", CIRCUMSTANCE_FIELDS)
def test_over_long_circumstances_are_refused_and_nothing_is_stored(keyworker_client, person, field):
    services.update_circumstances(
        person=person,
        circumstances=CircumstancesUpdate(key_safety_information="Known to wander at night"),
        by=person.ratings.get().rated_by,
    )
    before = stored(person)

    response = keyworker_client.post(circumstances_url(person), circumstances_form(**{field: "x" * 4001}))

    message = "Ensure this value has at most 4000 characters (it has 4001)."
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert (f"#id_{field}", message) in error_summary(response)
    assert stored(person) == before
    assert Circumstances.objects.get(person=person).key_safety_information == "Known to wander at night"


def test_referrer_cannot_change_circumstances(client, register, person):
    client.force_login(member(register, Role.REFERRER))
    before = stored(person)

    assert client.post(circumstances_url(person), circumstances_form()).status_code == 404
    assert stored(person) == before
