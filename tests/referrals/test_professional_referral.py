"""A signed-in professional or referrer makes a referral, recording the consent they obtained."""

import pytest
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.referrals import services
from dsr.referrals.models import Referral
from dsr.registers.models import Role
from tests.factories import member
from tests.pages import error_summary
from tests.referrals.data import answer_pages, form_data, professional_values, send

TOKEN = "token-" + "a" * 40


@pytest.fixture
def referrer_client(client, register):
    client.force_login(
        member(register, Role.REFERRER, first_name="Dana", last_name="Okafor", email="dana@example.org")
    )
    return client


def professional_form(register, **overrides):
    born_day = form_data(register)
    data = {
        **born_day,
        "referrer_role": "Social worker",
        "referrer_organisation": "Kent County Council",
        "referrer_name": "Dana Okafor",
        "referrer_email": "dana@example.org",
        "consent_given_on[day]": "1",
        "consent_given_on[month]": "1",
        "consent_given_on[year]": "2026",
        "consent_method": "written",
    }
    data.pop("route")
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_is_filled_in_with_who_the_referrer_is(referrer_client):
    first = referrer_client.get(reverse("referrals:new")).content.decode()
    assert 'name="route"' not in first  # a professional is not asked who they are
    page = referrer_client.get(reverse("referrals:step", args=["your-details"])).content.decode()
    assert 'value="Dana Okafor"' in page
    assert 'value="dana@example.org"' in page
    consent = referrer_client.get(reverse("referrals:step", args=["consent"])).content.decode()
    assert "No consent, no referral" in consent


def test_a_referrer_sends_a_referral_with_the_consent_they_obtained(referrer_client, register):
    response = answer_pages(referrer_client, professional_form(register), start="referrals:new")
    assert response["Location"] == reverse("referrals:check")
    referrer_client.post(reverse("referrals:check"), {"submission_token": TOKEN})
    referral = Referral.objects.get()
    assert referral.route == "professional"
    assert referral.submitted_by.username.startswith("user")
    assert referral.consent_method == "written"
    assert referral.consent_given_on.isoformat() == "2026-01-01"
    assert referral.events.get().by == referral.submitted_by
    page = referrer_client.get(reverse("referrals:sent")).content.decode()
    assert referral.reference in page


def test_a_professional_must_record_how_and_when_consent_was_given(referrer_client, register):
    data = professional_form(
        register,
        consent_method=None,
        consent_confirmed=None,
        **{"consent_given_on[day]": "", "consent_given_on[month]": "", "consent_given_on[year]": ""},
    )
    response = answer_pages(referrer_client, data, start="referrals:new")
    assert {message for _, message in error_summary(response)} == {
        "Enter the date consent was given",
        "Choose how consent was recorded",
        "No consent, no referral: confirm that they agreed to this referral",
    }
    assert Referral.objects.count() == 0


def test_a_best_interests_decision_names_who_made_it(referrer_client, register):
    data = professional_form(
        register, consent_given_by="best_interests", consent_given_by_name="Dr Lee, consultant psychiatrist"
    )
    send(referrer_client, data, start="referrals:new", check="referrals:check")
    assert Referral.objects.get().consent_given_by_name == "Dr Lee, consultant psychiatrist"


@pytest.mark.parametrize("role", [Role.KEYWORKER, Role.IG, Role.ANALYST])
def test_roles_that_do_not_refer_are_refused(client, register, role):
    client.force_login(member(register, role))
    assert client.get(reverse("referrals:new")).status_code == 403
    assert client.post(reverse("referrals:new"), professional_form(register)).status_code == 403
    assert Referral.objects.count() == 0


def test_a_referrer_follows_their_own_referrals_and_no_one_elses(client, register, coordinator):
    referrer = member(register, Role.REFERRER)
    mine = services.submit_referral(register=register, answers=professional_values(), by=referrer)
    services.decide_referral(
        referral=mine,
        decision="declined",
        reason="Needs are met by school",
        other_support="Family support service",
        by=coordinator,
    )
    someone_elses = services.submit_referral(
        register=register,
        answers=professional_values(given_name="Other", family_name="Child"),
        by=coordinator,
    )
    client.force_login(referrer)

    page = client.get(reverse("referrals:mine")).content.decode()

    assert mine.reference in page
    assert "Declined on" in page and "Needs are met by school" in page
    assert someone_elses.reference not in page
    listed = AuditEvent.objects.get(action=AuditEvent.Action.LIST, record_type="my_referrals")
    assert listed.changes["shown"] == [str(mine.pk)]
