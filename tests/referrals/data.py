"""Referral answers and referrals made through the same service the pages use."""

import datetime
from typing import Any

from django.urls import reverse

from dsr.dates import today, years_before
from dsr.referrals import services
from dsr.referrals.models import Referral
from dsr.referrals.values import ReferralAnswers


def referral_values(**overrides: Any) -> ReferralAnswers:
    """A parent's self-referral of a 12-year-old with a diagnosis of autism, as the service takes it."""
    values = {
        "route": "parent",
        "helper_relationship": "",
        "given_name": "Alex",
        "family_name": "Morgan",
        "date_of_birth": years_before(today(), 12) - datetime.timedelta(days=40),
        "nhs_number": "",
        "address": "1 High Street, Maidstone",
        "postcode": "ME14 1AA",
        "contact_name": "Sam Morgan",
        "contact_email": "sam.morgan@example.com",
        "contact_phone": "",
        "autism": "diagnosed",
        "learning_disability": "neither",
        "waiting_since": None,
        "services_involved": "School SENCO, CAMHS",
        "concerns": ["staying_safe", "services_breaking_down"],
        "concerns_detail": "Alex has been excluded from school and the family are struggling.",
        "referrer_name": "",
        "referrer_role": "",
        "referrer_organisation": "",
        "referrer_email": "",
        "referrer_phone": "",
        "consent_given_by": "parent",
        "consent_given_by_name": "Sam Morgan",
        "consent_given_on": today(),
        "consent_method": "electronic",
    }
    values.update(overrides)
    return ReferralAnswers(**values)


def professional_values(**overrides: Any) -> ReferralAnswers:
    return referral_values(
        route="professional",
        referrer_name="Dana Okafor",
        referrer_role="Social worker",
        referrer_organisation="Kent County Council",
        referrer_email="dana.okafor@example.org",
        consent_method="verbal",
        **overrides,
    )


def make_referral(register, by=None, **overrides: Any) -> Referral:
    return services.submit_referral(register=register, answers=referral_values(**overrides), by=by)


def form_data(register=None, **overrides: Any) -> dict[str, Any]:
    """The public form as a browser posts it."""
    born = years_before(today(), 12) - datetime.timedelta(days=40)
    data = {
        "submission_token": "token-" + "a" * 40,
        "route": "parent",
        "given_name": "Alex",
        "family_name": "Morgan",
        "date_of_birth[day]": str(born.day),
        "date_of_birth[month]": str(born.month),
        "date_of_birth[year]": str(born.year),
        "nhs_number": "",
        "address": "1 High Street, Maidstone",
        "postcode": "me14 1aa",
        "contact_name": "Sam Morgan",
        "contact_email": "sam.morgan@example.com",
        "autism": "diagnosed",
        "learning_disability": "neither",
        "services_involved": "School SENCO",
        "concerns": ["staying_safe", "risk_of_harm"],
        "concerns_detail": "Things are getting harder at home.",
        "consent_given_by": "parent",
        "consent_given_by_name": "Sam Morgan",
        "consent_confirmed": "true",
        "website": "",
    }
    if register is not None:
        data["register"] = str(register.pk)
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def answer_pages(client, data: dict[str, Any], start: str = "refer:form", **headers: Any):
    """Answer the referral form's pages in turn, from its first, as a browser would, each page sent with
    `data` (a page keeps only its own questions); returns the last response: the move to check your
    answers, or a page showing what is wrong."""
    url = reverse(start)
    for _ in range(12):
        response = client.post(url, data, **headers)
        if response.status_code != 302 or any(end in response["Location"] for end in ("/check/", "/sent/")):
            return response
        url = response["Location"]
    raise AssertionError(f"The form never reached check your answers: stuck at {url}")


def send(client, data: dict[str, Any], start: str = "refer:form", check: str = "refer:check", **headers: Any):
    """Fill in every page, then send the referral from check your answers; returns the last response."""
    response = answer_pages(client, data, start, **headers)
    if response.status_code != 302 or "/check/" not in response["Location"]:
        return response
    return client.post(reverse(check), {"submission_token": data["submission_token"]}, **headers)
