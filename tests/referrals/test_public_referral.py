"""A member of the public refers someone without signing in, and the form stands up to abuse."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.notifications.models import Notification
from dsr.referrals.models import Referral
from tests.pages import audit_changes, error_summary
from tests.referrals.data import answer_pages, form_data, send

TOKEN = "token-" + "a" * 40


def errors_on(response) -> list[str]:
    return [text for _, text in error_summary(response)]


def test_the_start_page_and_form_open_without_signing_in(client, register):
    start = client.get(reverse("refer:start"))
    assert start.status_code == 200
    assert "No consent, no referral" in start.content.decode()
    form = client.get(reverse("refer:form"))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert re.search(r'name="submission_token" value="[\w-]{40,}"', html)


def test_a_parent_sends_a_referral_and_gets_a_reference_number(client, register):
    data = form_data(register)
    checked = answer_pages(client, data)
    assert checked.status_code == 302
    assert checked["Location"] == reverse("refer:check")
    check = client.get(reverse("refer:check"))
    assert "Check your answers" in check.content.decode()
    assert "Alex" in check.content.decode()
    assert Referral.objects.count() == 0  # nothing is stored until it is sent

    sent = client.post(reverse("refer:check"), {"submission_token": TOKEN})
    assert sent["Location"] == reverse("refer:sent")
    confirmation = client.get(reverse("refer:sent")).content.decode()
    referral = Referral.objects.get()
    assert re.fullmatch(r"DSR-[2-9A-HJKMNP-Z]{6}", referral.reference)
    assert referral.reference in confirmation
    assert referral.state == Referral.State.RECEIVED
    assert referral.register == register
    assert referral.postcode == "ME14 1AA"
    assert referral.concerns == ["staying_safe", "risk_of_harm"]
    assert referral.consent_method == "electronic"
    assert referral.submitted_by is None
    assert list(referral.events.values_list("from_state", "to_state")) == [("", "received")]
    assert AuditEvent.objects.filter(
        action="create", record_type="referral", record_id=str(referral.pk)
    ).exists()


def test_the_family_is_sent_a_receipt(client, register):
    send(client, form_data(register))
    receipt = Notification.objects.get()
    assert receipt.template == "referral_received"
    assert receipt.to_email == "sam.morgan@example.com"
    assert Referral.objects.get().reference in receipt.subject
    assert Referral.objects.get().family_told_at is not None


def test_a_professional_on_the_public_form_gives_their_details_and_gets_a_copy(client, register):
    data = form_data(
        register,
        route="professional",
        referrer_name="Dana Okafor",
        referrer_role="Social worker",
        referrer_organisation="Kent County Council",
        referrer_email="dana@example.org",
    )
    send(client, data)
    referral = Referral.objects.get()
    assert referral.is_professional
    assert sorted(Notification.objects.values_list("to_email", flat=True)) == [
        "dana@example.org",
        "sam.morgan@example.com",
    ]


def test_a_professional_must_say_who_they_are(client, register):
    response = send(client, form_data(register, route="professional"))
    assert response.status_code == 200
    assert error_summary(response) == [
        ("#referrer_name", "Enter your name"),
        ("#referrer_role", "Enter your role"),
        ("#referrer_organisation", "Enter your organisation"),
        ("#referrer_email", "Enter your email address or phone number"),
    ]
    assert Referral.objects.count() == 0


def test_someone_helping_must_say_who_they_are(client, register):
    response = send(client, form_data(register, route="helper"))
    assert errors_on(response) == ["Say who you are and how you know them"]


def test_no_consent_no_referral(client, register):
    data = form_data(register, consent_confirmed=None, consent_given_by=None, consent_given_by_name="")
    response = send(client, data)
    assert response.status_code == 200
    errors = errors_on(response)
    assert "No consent, no referral: confirm that they agreed to this referral" in errors
    assert any(e.startswith("We can only take a referral with consent") for e in errors)
    assert Referral.objects.count() == 0


def test_a_parent_cannot_consent_for_someone_of_16_or_over(client, register):
    data = form_data(register, **{"date_of_birth[year]": "2000"})
    register.max_age = 40
    register.save()
    response = send(client, data)
    assert response.status_code == 200
    assert any("at 16 or over, consent comes from the person" in e for e in errors_on(response))
    assert Referral.objects.count() == 0


# Hostile input: refused cleanly, nothing stored.

LONG_FIELDS = {
    "given_name": 100,
    "family_name": 100,
    "nhs_number": 12,
    "address": 500,
    "postcode": 10,
    "contact_name": 200,
    "contact_phone": 30,
    "services_involved": 2000,
    "concerns_detail": 4000,
    "consent_given_by_name": 200,
    "helper_relationship": 200,
}


@pytest.mark.parametrize(("name", "limit"), LONG_FIELDS.items())
def test_an_over_long_answer_is_refused_with_a_message(client, register, name, limit):
    response = send(client, form_data(register, **{name: "x" * (limit + 1)}))
    assert response.status_code == 200
    assert any(f"at most {limit} characters" in e for e in errors_on(response))
    assert Referral.objects.count() == 0


def test_a_huge_post_is_refused_without_a_server_error(client, register):
    response = send(client, form_data(register, concerns_detail="x" * 3_000_000))
    assert response.status_code == 400
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2015", "Date of birth must be a real date"),
        ("1", "13", "2015", "Date of birth must be a real date"),
        ("a", "b", "c", "Date of birth must be a real date, using numbers"),
        ("1", "1", "15", "Year must include 4 numbers"),
        ("", "3", "2015", "Date of birth must include a day"),
        ("1", "1", "2999", "Date of birth must be in the past"),
        ("99999999999999999999", "1", "2015", "Date of birth must be a real date"),
    ],
)
def test_a_malformed_date_is_refused(client, register, day, month, year, message):
    data = form_data(
        register, **{"date_of_birth[day]": day, "date_of_birth[month]": month, "date_of_birth[year]": year}
    )
    response = send(client, data)
    assert response.status_code == 200
    assert message in errors_on(response)
    assert Referral.objects.count() == 0
    assert audit_changes() == 0


def test_an_invalid_nhs_number_is_refused(client, register):
    response = send(client, form_data(register, nhs_number="943 476 5910"))
    assert "This is not a valid NHS number: check each digit" in errors_on(response)


def test_an_unknown_concern_or_answer_is_refused(client, register):
    response = send(client, form_data(register, concerns=["staying_safe", "<script>"], autism="maybe"))
    assert response.status_code == 200
    assert Referral.objects.count() == 0


def test_script_typed_into_the_form_is_shown_as_text_never_run(client, register, coordinator):
    script = '<script>alert("x")</script>'
    data = form_data(register, given_name=script, concerns_detail=f"<b>{script}</b>")
    answer_pages(client, data)
    check = client.get(reverse("refer:check")).content.decode()
    assert script not in check
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in check
    client.post(reverse("refer:check"), {"submission_token": TOKEN})
    referral = Referral.objects.get()
    assert referral.given_name == script  # kept as typed, shown escaped

    client.force_login(coordinator)
    for url in (reverse("referrals:queue"), reverse("referrals:detail", args=[referral.pk])):
        page = client.get(url).content.decode()
        assert script not in page
        assert "&lt;script&gt;" in page


def test_a_form_sent_twice_makes_one_referral(client, register):
    data = form_data(register)
    send(client, data)
    again = client.post(reverse("refer:check"), {"submission_token": TOKEN})
    assert again["Location"] == reverse("refer:sent")
    # The back button and a page posted again, with the same one-time token.
    replayed = client.post(reverse("refer:step", args=["person"]), data)
    assert replayed["Location"] == reverse("refer:sent")
    assert Referral.objects.count() == 1


def test_a_form_replayed_from_another_session_makes_no_second_referral(client, register, django_user_model):
    from django.test import Client

    data = form_data(register)
    send(client, data)
    elsewhere = Client()
    response = elsewhere.post(reverse("refer:form"), data)
    assert response.status_code == 409
    assert "already been sent" in response.content.decode()
    assert Referral.objects.count() == 1


def test_a_form_with_the_hidden_box_filled_in_is_refused_and_nothing_is_kept(client, register):
    response = client.post(reverse("refer:form"), form_data(register, website="http://spam.example"))
    assert response.status_code == 400
    assert "We could not accept this form" in response.content.decode()
    assert client.get(reverse("refer:check"))["Location"] == reverse("refer:form")
    assert Referral.objects.count() == 0


@override_settings(REFERRAL_SUBMISSIONS_PER_HOUR=2)
def test_too_many_referrals_from_one_address_are_refused_until_later(client, register):
    for n in range(2):
        token = f"token-{n}-" + "b" * 40
        assert send(client, form_data(register, submission_token=token)).status_code == 302
    refused = send(client, form_data(register, submission_token="token-3-" + "b" * 40))
    assert refused.status_code == 429
    assert "try again in an hour" in refused.content.decode().lower()
    assert Referral.objects.count() == 2
    # Another address is not affected.
    other = client.post(
        reverse("refer:check"), {"submission_token": "token-3-" + "b" * 40}, REMOTE_ADDR="192.0.2.10"
    )
    assert other.status_code == 302
    assert Referral.objects.count() == 3


def test_a_post_without_the_csrf_token_is_refused(register):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("refer:form"), form_data(register))
    assert response.status_code == 403
    assert Referral.objects.count() == 0


def test_the_confirmation_page_without_a_referral_goes_back_to_the_form(client, register):
    assert client.get(reverse("refer:sent"))["Location"] == reverse("refer:form")
