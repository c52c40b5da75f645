"""Recording consent and its withdrawal; who may give consent depends on age on the day."""

import datetime

import pytest
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import format_date, today, years_before
from dsr.people import services
from dsr.people.models import Consent
from dsr.people.values import ConsentGiven
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.pages import audit_changes, date_fields, detail_url, error_summary, field_error


def add_url(person) -> str:
    return reverse("people:add_consent", kwargs={"person_id": person.pk})


def withdraw_url(consent) -> str:
    return reverse(
        "people:withdraw_consent", kwargs={"person_id": consent.person_id, "consent_id": consent.pk}
    )


def stored(person) -> dict:
    """The person's consents and the audit trail, to show that a refused form changed nothing."""
    return {
        "consents": list(
            Consent.objects.filter(person=person)
            .order_by("given_on")
            .values_list("pk", "given_by", "given_on", "withdrawn_on")
        ),
        "audit changes": audit_changes(),
    }


def consent_form(given_on: datetime.date, **changes) -> dict:
    data = {
        "purpose": Consent.Purpose.REGISTER,
        "given_by": Consent.GivenBy.PARENT,
        "given_by_name": "Dana Rivers (mother)",
        **date_fields("given_on", given_on),
        "method": Consent.Method.WRITTEN,
    }
    data.update(changes)
    return data


def sixteenth_birthday() -> datetime.date:
    """Riley's, a hundred days ago."""
    return today() - datetime.timedelta(days=100)


@pytest.fixture
def sixteen_year_old(register, coordinator):
    return make_person(
        register=register,
        by=coordinator,
        given_name="Riley",
        family_name="Hart",
        born=years_before(sixteenth_birthday(), 16),
    )


def test_parent_consent_for_a_child_under_16_is_recorded(coordinator_client, person, coordinator):
    response = coordinator_client.post(add_url(person), consent_form(today()))

    assert response.status_code == 302
    consent = Consent.objects.get(person=person)
    assert (consent.given_by, consent.given_by_name, consent.given_on) == (
        "parent",
        "Dana Rivers (mother)",
        today(),
    )
    assert consent.recorded_by == coordinator
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, record_id=str(consent.pk)).exists()
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Consent recorded" in html
    assert (
        f"given by Dana Rivers (mother) (someone with parental responsibility) on {format_date(today())}"
        in html
    )


def test_parent_consent_for_someone_16_on_that_date_is_refused(coordinator_client, sixteen_year_old):
    person = sixteen_year_old
    before = stored(person)

    response = coordinator_client.post(add_url(person), consent_form(sixteenth_birthday()))

    message = (
        "Riley was 16 on that date: at 16 or over, consent comes from the person, "
        "or a best-interests decision"
    )
    assert response.status_code == 200
    assert field_error(response, "given_by") == message
    assert ("#given_by", message) in error_summary(response)
    assert stored(person) == before


def test_parent_consent_given_the_day_before_the_16th_birthday_is_accepted(
    coordinator_client, sixteen_year_old
):
    person = sixteen_year_old
    day_before = sixteenth_birthday() - datetime.timedelta(days=1)

    response = coordinator_client.post(add_url(person), consent_form(day_before))

    assert response.status_code == 302
    assert Consent.objects.get(person=person).given_on == day_before


@pytest.mark.parametrize("given_by", [Consent.GivenBy.PERSON, Consent.GivenBy.BEST_INTERESTS])
def test_consent_from_the_person_or_a_best_interests_decision_is_accepted_at_16(
    coordinator_client, sixteen_year_old, given_by
):
    person = sixteen_year_old

    response = coordinator_client.post(
        add_url(person),
        consent_form(today(), given_by=given_by, given_by_name="Dr Amara Cole, consultant psychiatrist"),
    )

    assert response.status_code == 302
    assert Consent.objects.get(person=person).given_by == given_by


def test_consent_dated_in_the_future_is_refused(coordinator_client, person):
    before = stored(person)

    response = coordinator_client.post(add_url(person), consent_form(today() + datetime.timedelta(days=1)))

    message = "The date consent was given must not be in the future"
    assert field_error(response, "given_on") == message
    assert ("#given_on-day", message) in error_summary(response)
    assert stored(person) == before


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"given_by": ""}, "given_by", "Choose who gave consent"),
        ({"given_by_name": ""}, "given_by_name", "Enter the name of the person who gave consent or decided"),
        ({"method": ""}, "method", "Choose how consent was recorded"),
        ({"given_on[year]": ""}, "given_on", "The date consent was given must include a year"),
        (
            {"given_by": "grandparent"},
            "given_by",
            "Select a valid choice. grandparent is not one of the available choices.",
        ),
    ],
)
def test_consent_with_a_missing_or_wrong_answer_is_refused(
    coordinator_client, person, changes, field, message
):
    before = stored(person)

    response = coordinator_client.post(add_url(person), consent_form(today(), **changes))

    assert response.status_code == 200
    assert field_error(response, field) == message
    assert message in [text for _, text in error_summary(response)]
    assert stored(person) == before


@pytest.fixture
def consent(person, coordinator):
    return services.record_consent(
        person=person,
        consent=ConsentGiven(
            purpose=Consent.Purpose.REGISTER,
            given_by=Consent.GivenBy.PARENT,
            given_by_name="Dana Rivers (mother)",
            given_on=today() - datetime.timedelta(days=60),
            method=Consent.Method.WRITTEN,
        ),
        by=coordinator,
    )


def test_withdrawal_of_consent_is_recorded_and_shown(coordinator_client, person, consent, coordinator):
    withdrawn_on = today() - datetime.timedelta(days=1)

    response = coordinator_client.post(withdraw_url(consent), date_fields("withdrawn_on", withdrawn_on))

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == withdrawn_on
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE, record_id=str(consent.pk))
    assert event.changes == {"withdrawn_on": [None, withdrawn_on.isoformat()]}
    assert event.user_id == coordinator.pk
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Consent withdrawal recorded" in html
    assert f"Withdrawn {format_date(withdrawn_on)}." in html


@pytest.mark.parametrize("days_from_given", [-1, 61])
def test_withdrawal_before_consent_was_given_or_in_the_future_is_refused(
    coordinator_client, person, consent, days_from_given
):
    before = stored(person)
    withdrawn_on = consent.given_on + datetime.timedelta(days=days_from_given)

    response = coordinator_client.post(withdraw_url(consent), date_fields("withdrawn_on", withdrawn_on))

    message = "The date must be between the date consent was given and today"
    assert field_error(response, "withdrawn_on") == message
    assert ("#withdrawn_on-day", message) in error_summary(response)
    assert stored(person) == before


def test_withdrawing_consent_twice_is_refused(coordinator_client, person, consent, register):
    register.consent_withdrawal_ends_membership = False  # so the record stays open to change
    register.save()
    coordinator_client.post(
        withdraw_url(consent), date_fields("withdrawn_on", today() - datetime.timedelta(days=5))
    )
    before = stored(person)

    response = coordinator_client.post(withdraw_url(consent), date_fields("withdrawn_on", today()))

    assert response.status_code == 200
    assert ("", "This consent has already been withdrawn") in error_summary(response)
    assert stored(person) == before


def test_professional_may_not_record_or_withdraw_consent(client, register, person, consent):
    client.force_login(member(register, Role.PROFESSIONAL))
    before = stored(person)

    assert client.post(add_url(person), consent_form(today())).status_code == 403
    assert client.post(withdraw_url(consent), date_fields("withdrawn_on", today())).status_code == 403
    assert stored(person) == before


# Withdrawal starts the leave-and-retain path where the register's policy says so.


def test_withdrawing_the_only_consent_to_be_on_the_register_takes_the_person_off_it(
    coordinator_client, person, consent
):
    page = coordinator_client.get(withdraw_url(consent)).content.decode()
    assert "Jamie leaves the register on that date" in page

    coordinator_client.post(withdraw_url(consent), date_fields("withdrawn_on", today()))

    person.refresh_from_db()
    assert person.status == "left"
    episode = person.episodes.get()
    assert (episode.left_on, episode.left_reason) == (today(), "Consent to be on the register was withdrawn")
    assert AuditEvent.objects.filter(
        record_type="person", action=AuditEvent.Action.CHANGE, changes__status=["active", "left"]
    ).exists()


def test_withdrawal_does_not_end_membership_when_the_registers_policy_says_not(
    coordinator_client, person, consent, register
):
    register.consent_withdrawal_ends_membership = False
    register.save()
    assert "leaves the register" not in coordinator_client.get(withdraw_url(consent)).content.decode()

    coordinator_client.post(withdraw_url(consent), date_fields("withdrawn_on", today()))

    person.refresh_from_db()
    assert person.status == "active"


def test_withdrawal_leaves_the_person_on_while_another_consent_stands(coordinator, person, consent):
    services.record_consent(
        person=person,
        consent=ConsentGiven(
            purpose=Consent.Purpose.REGISTER,
            given_by=Consent.GivenBy.BEST_INTERESTS,
            given_by_name="Dr A Smith",
            given_on=today(),
            method=Consent.Method.WRITTEN,
        ),
        by=coordinator,
    )
    services.withdraw_consent(consent=consent, withdrawn_on=today(), by=coordinator)
    person.refresh_from_db()
    assert person.status == "active"


def test_withdrawing_consent_to_a_review_does_not_end_membership(coordinator, person, consent):
    review = services.record_consent(
        person=person,
        consent=ConsentGiven(
            purpose=Consent.Purpose.REVIEW,
            given_by=Consent.GivenBy.PARENT,
            given_by_name="Dana Rivers (mother)",
            given_on=today(),
            method=Consent.Method.VERBAL,
        ),
        by=coordinator,
    )
    services.withdraw_consent(consent=review, withdrawn_on=today(), by=coordinator)
    person.refresh_from_db()
    assert person.status == "active"
