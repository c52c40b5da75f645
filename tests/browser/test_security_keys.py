"""A security key (WebAuthn: a FIDO2 key, Windows Hello) as the second factor, with Chromium's own
virtual authenticator standing in for the key."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from dsr.registers.models import Role
from tests.browser.conftest import assert_no_serious_accessibility_problems
from tests.browser.pages import Header, SignInPage, sign_in
from tests.factories import member

pytestmark = pytest.mark.browser


def plug_in_a_security_key(page: Page) -> None:
    """A key that is always there and always touched, as Chromium's DevTools offer for testing."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_coordinator_adds_a_security_key_and_signs_in_with_it_instead_of_a_code(page, register):
    coordinator = member(register, Role.COORDINATOR, username="priya")
    plug_in_a_security_key(page)
    sign_in(page, coordinator.username)

    page.goto("/account/security/webauthn/add/")
    assert_no_serious_accessibility_problems(page)
    page.get_by_label("Name of the key").fill("Blue key")
    page.get_by_role("button", name="Add the key").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Add a security key")
    key = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Blue key"

    page.goto("/account/security/")
    expect(page.get_by_text("1 added")).to_be_visible()
    Header(page).sign_out()

    SignInPage(page).enter_password(coordinator.username)
    expect(page.get_by_role("heading", name="Use a security key instead")).to_be_visible()
    assert_no_serious_accessibility_problems(page)
    page.get_by_role("button", name="Use my security key").click()

    Header(page).expect_signed_in()
    expect(page).to_have_url(re.compile(r"/today/$"))
