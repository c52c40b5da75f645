"""Accepting a referral puts the person on the register in one step, with an initial rating."""

import datetime

import pytest
from django.urls import reverse

from dsr.dates import today, years_before
from dsr.notifications.models import Notification
from dsr.people import services as people_services
from dsr.people.models import Consent, Diagnosis, Person
from dsr.referrals import services
from dsr.referrals.models import Referral
from dsr.registers.models import Organisation
from tests.factories import make_person, valid_nhs_number
from tests.pages import audit_changes, error_summary, national_factors
from tests.referrals.data import make_referral, professional_values, referral_values


def accept_url(referral) -> str:
    return reverse("referrals:accept", args=[referral.pk])


def acceptance(**overrides) -> dict:
    data = {
        "reason": "Meets the criteria: placement at risk",
        "rating": "amber",
        "rationale": "School placement breaking down; family need support soon.",
        "risk_factors": national_factors(2),
    }
    data.update(overrides)
    return data


def test_accepting_puts_the_person_on_the_register_with_their_initial_rating(coordinator_client, register):
    referral = make_referral(
        register, nhs_number=valid_nhs_number(), waiting_since=None, learning_disability="waiting"
    )
    response = coordinator_client.post(accept_url(referral), acceptance())
    person = Person.objects.get()
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert (person.given_name, person.family_name, person.date_of_birth) == (
        referral.given_name,
        referral.family_name,
        referral.date_of_birth,
    )
    assert person.nhs_number == referral.nhs_number
    assert person.postcode == "ME14 1AA"
    assert person.status == Person.Status.ACTIVE
    assert person.current_rating == "amber"
    rating = person.ratings.get()
    assert rating.rationale == "School placement breaking down; family need support soon."
    assert rating.get_reason_display() == "Joined the register"
    assert rating.risk_factors.count() == 2
    episode = person.episodes.get()
    assert episode.joined_reason.startswith(f"Referral {referral.reference} accepted")
    consent = person.consents.get()
    assert (consent.given_by, consent.given_by_name, consent.purpose) == ("parent", "Sam Morgan", "register")
    diagnoses = {d.condition: d for d in person.diagnoses.all()}
    assert diagnoses["autism"].status == Diagnosis.Status.CONFIRMED
    assert diagnoses["learning_disability"].status == Diagnosis.Status.AWAITING
    assert diagnoses["learning_disability"].waiting_since == today()
    assert "not given" in diagnoses["learning_disability"].notes
    assert "Alex has been excluded from school" in person.circumstances.why_enhanced_support

    referral.refresh_from_db()
    assert referral.person == person
    assert (referral.state, referral.decision) == (Referral.State.DECIDED, Referral.Decision.ACCEPTED)
    # The receipt and the decision are both on the person's record now.
    assert set(Notification.objects.filter(person=person).values_list("template", flat=True)) == {
        "referral_received",
        "referral_decision",
    }
    page = coordinator_client.get(reverse("people:list")).content.decode()
    assert "Morgan, Alex" in page


def test_a_professional_referrer_joins_the_care_team(register, coordinator):
    Organisation.objects.create(name="Kent County Council", kind=Organisation.Kind.LOCAL_AUTHORITY)
    referral = services.submit_referral(register=register, answers=professional_values())
    person = services.accept_referral(
        referral=referral,
        reason="Eligible",
        rating="green",
        rationale="Managing with support",
        factors=people_services.RiskFactor.objects.filter(register__isnull=True)[:1],
        by=coordinator,
    )
    involvement = person.involvements.get()
    assert (involvement.name, involvement.role, involvement.organisation.name) == (
        "Dana Okafor",
        "Social worker",
        "Kent County Council",
    )
    assert involvement.contact == "dana.okafor@example.org"
    assert person.consents.get().method == Consent.Method.VERBAL


def test_accepting_without_a_rating_or_reason_changes_nothing(coordinator_client, register):
    referral = make_referral(register)
    before = audit_changes()
    response = coordinator_client.post(
        accept_url(referral), acceptance(reason="", rationale="", risk_factors=[])
    )
    assert {message for _, message in error_summary(response)} == {
        "Enter the reason for the decision",
        "Enter why you chose this rating",
        "Select the risk factors you considered",
    }
    assert Person.objects.count() == 0
    assert audit_changes() == before
    referral.refresh_from_db()
    assert referral.state == Referral.State.RECEIVED


def test_a_person_outside_the_registers_age_range_cannot_be_accepted(coordinator_client, register):
    # The children's register is for 0 to 17.
    referral = make_referral(register, date_of_birth=years_before(today(), 19), consent_given_by="person")
    response = coordinator_client.post(accept_url(referral), acceptance())
    assert response.status_code == 200
    assert any("is for ages 0 to 17" in message for _, message in error_summary(response))
    assert Person.objects.count() == 0


def test_a_duplicate_can_be_linked_instead_of_added_again(coordinator_client, register, coordinator):
    number = valid_nhs_number()
    known = make_person(
        register=register, by=coordinator, given_name="Alex", family_name="Morgan", nhs_number=number
    )
    people_services.remove_from_register(person=known, left_on=today(), reason="Moved away", by=coordinator)
    referral = make_referral(register, nhs_number=number)
    form = coordinator_client.get(accept_url(referral)).content.decode()
    assert "Yes, this is Alex Morgan" in form

    coordinator_client.post(accept_url(referral), acceptance(link_to=str(known.pk), rating="red"))
    assert Person.objects.count() == 1
    known.refresh_from_db()
    assert known.status == Person.Status.ACTIVE
    assert known.current_rating == "red"
    assert known.episodes.filter(left_on__isnull=True).count() == 1
    referral.refresh_from_db()
    assert referral.person == known


def test_adding_a_duplicate_nhs_number_as_new_is_refused(coordinator_client, register, coordinator):
    number = valid_nhs_number()
    make_person(register=register, by=coordinator, given_name="Alex", family_name="Morgan", nhs_number=number)
    referral = make_referral(register, nhs_number=number)
    response = coordinator_client.post(accept_url(referral), acceptance(link_to=""))
    assert ("", "This NHS number is already on this register") in error_summary(response)
    assert Person.objects.count() == 1


def test_only_a_duplicate_found_can_be_linked(coordinator_client, register, coordinator):
    known = make_person(register=register, by=coordinator, given_name="Alex", family_name="Morgan")
    stranger = make_person(register=register, by=coordinator, given_name="Someone", family_name="Else")
    referral = make_referral(register, date_of_birth=known.date_of_birth)
    response = coordinator_client.post(accept_url(referral), acceptance(link_to=str(stranger.pk)))
    assert response.status_code == 200
    assert error_summary(response)[0][0] == "#link_to"
    assert Person.objects.count() == 2
    stranger.refresh_from_db()
    assert stranger.ratings.count() == 1
    referral.refresh_from_db()
    assert referral.person is None


def test_a_closed_referral_cannot_be_accepted(register, coordinator):
    referral = make_referral(register)
    services.close_referral(referral=referral, note="Withdrawn", by=coordinator)
    with pytest.raises(services.ValidationError):
        services.accept_referral(
            referral=referral, reason="x", rating="green", rationale="x", factors=[], by=coordinator
        )
    assert Person.objects.count() == 0


def test_the_consent_rule_is_the_same_as_on_a_persons_record(register):
    """A parent's consent for someone who was 16 or over on that date is refused, as it is for a person."""
    born = years_before(today(), 17)
    values = {"date_of_birth": born, "consent_given_by": "parent", "consent_given_on": today()}
    with pytest.raises(services.ValidationError) as refused:
        services.validate_referral(
            register=register,
            answers=referral_values(**values),
        )
    assert "at 16 or over, consent comes from the person" in refused.value.message_dict["consent_given_by"][0]
    # Under 16 on the day consent was given, a parent's consent stands.
    ok = {**values, "consent_given_on": years_before(today(), 1) - datetime.timedelta(days=1)}
    ok["date_of_birth"] = years_before(today(), 16) + datetime.timedelta(days=30)
    services.validate_referral(register=register, answers=referral_values(**ok))


def test_after_accepting_the_referral_does_not_warn_of_the_person_it_made(coordinator_client, register):
    referral = make_referral(register, nhs_number=valid_nhs_number())
    coordinator_client.post(accept_url(referral), acceptance())
    person = Person.objects.get()

    page = coordinator_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "This may be someone already known" not in page
    assert "No person on the register or open referral has the same NHS number" in page
    assert f'On the register as <a href="{reverse("people:detail", args=[person.pk])}">' in page
    queue = coordinator_client.get(reverse("referrals:queue")).content.decode()
    assert "Already known to the register" not in queue


def test_after_accepting_someone_else_with_the_same_details_is_still_a_possible_duplicate(
    coordinator_client, register, coordinator
):
    make_person(register=register, by=coordinator, given_name="Alex", family_name="Morgan")
    known = Person.objects.get()
    Person.objects.filter(pk=known.pk).update(date_of_birth=referral_values().date_of_birth)
    referral = make_referral(register)
    coordinator_client.post(accept_url(referral), acceptance())  # added as a new person

    page = coordinator_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "This may be someone already known" in page
    assert page.count("Alex Morgan, born") == 1  # the one already known, not the one just added


def test_the_decision_message_says_how_to_contact_the_team(coordinator_client, register):
    register.team_name = "Kent and Medway DSR team"
    register.team_email = "dsr@example.nhs.uk"
    register.save()
    referral = make_referral(register)
    coordinator_client.post(accept_url(referral), acceptance())
    decision = Notification.objects.get(template="referral_decision")
    assert "To contact the team: Kent and Medway DSR team, email dsr@example.nhs.uk" in decision.body
