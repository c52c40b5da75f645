"""The privacy notice, the accessibility statement and the cookies page: open to every visitor, linked
from the footer of every page (the public referral form and the sign-in page included), and saying what
each register publishes about itself."""

import pytest
from django.conf import settings

from tests.factories import OrganisationFactory, RegisterFactory

FOOTER_LINKS = ('href="/privacy/"', 'href="/accessibility/"', 'href="/cookies/"')


@pytest.mark.parametrize("url", ["/sign-in/", "/refer/", "/privacy/", "/accessibility/", "/cookies/"])
def test_the_footer_links_the_privacy_notice_accessibility_statement_and_cookies(db, client, url):
    RegisterFactory(name="Kent and Medway")
    page = client.get(url, follow=True).content.decode()
    footer = page[page.index('class="nhsuk-footer') :]
    assert all(link in footer for link in FOOTER_LINKS)


def test_the_privacy_notice_names_each_published_registers_team_officer_and_retention(db, client):
    register = RegisterFactory(
        name="Kent and Medway",
        team_name="Kent DSR team",
        team_phone="01622 000000",
        team_email="dsr@kent.example.nhs.uk",
        data_protection_officer="Alex Green, dpo@kent.example.nhs.uk",
        erase_after_months=72,
    )
    register.organisations.add(OrganisationFactory(name="NHS Kent and Medway ICB"))
    RegisterFactory(name="Not yet live", published=False)
    page = client.get("/privacy/").content.decode()
    assert "Run by NHS Kent and Medway ICB." in page
    assert "Contact the team: Kent DSR team, phone 01622 000000, email dsr@kent.example.nhs.uk." in page
    assert "Data protection officer: Alex Green, dpo@kent.example.nhs.uk." in page
    assert "kept for 72 months after someone leaves" in page
    assert "Not yet live" not in page
    assert "Article 9(2)(h)" in page


def test_a_register_without_an_officer_says_how_to_reach_one(db, client):
    RegisterFactory(name="Kent and Medway", data_protection_officer="", erase_after_months=1)
    page = client.get("/privacy/").content.decode()
    assert "Data protection officer: ask the register&#39;s team how to reach them." in page
    assert "kept for 1 month after" in page


def test_the_cookies_page_names_the_cookies_the_service_really_sets(db, client):
    page = client.get("/cookies/").content.decode()
    assert settings.SESSION_COOKIE_NAME in page
    assert settings.CSRF_COOKIE_NAME in page
    assert "we do not ask you to accept cookies" in page


def test_the_cookies_page_lists_every_cookie_a_signed_in_visit_sets(db, client, django_user_model):
    """A sign-in and a form set only the cookies the page names."""
    client.get("/sign-in/")
    client.post("/sign-in/", {"login": "nobody", "password": "wrong"})
    page = client.get("/cookies/").content.decode()
    assert set(client.cookies) <= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    assert all(name in page for name in client.cookies)


def test_the_accessibility_statement_gives_the_standard_how_to_report_and_enforcement(db, client):
    RegisterFactory(name="Kent and Medway", team_email="dsr@kent.example.nhs.uk")
    page = client.get("/accessibility/").content.decode()
    assert "Web Content Accessibility Guidelines version 2.2" in page
    assert "Kent and Medway: Kent and Medway, email dsr@kent.example.nhs.uk" in page
    assert "Equality Advisory and Support Service" in page
