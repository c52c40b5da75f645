"""Signing in: a password, then a second factor for everyone whose role shows identifiable data."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from dsr.registers.models import Role
from dsr.registers.personas import DEMO_PASSWORD
from tests.factories import make_person, member
from tests.second_factor import authenticator_app

SIGN_IN = reverse("login")
CODE = reverse("mfa_authenticate")


def password(client, username: str, secret: str = DEMO_PASSWORD, **extra):
    return client.post(SIGN_IN, {"login": username, "password": secret, **extra})


def test_a_coordinator_signs_in_with_a_password_then_a_code_from_their_app(client, register, coordinator):
    app = authenticator_app(coordinator)
    first = password(client, "coordinator")
    assert first.status_code == 302 and first["Location"] == CODE
    assert client.get(reverse("people:list")).status_code == 302  # not signed in yet

    page = client.get(CODE).content.decode()
    assert "Enter your security code" in page
    done = client.post(CODE, {"code": app.now()}, follow=True)

    assert done.redirect_chain[-1][0] == reverse("today")
    assert client.get(reverse("people:list")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message_and_signs_no_one_in(client, register, coordinator):
    authenticator_app(coordinator)
    password(client, "coordinator")
    response = client.post(CODE, {"code": "000000"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert client.get(reverse("people:list")).status_code == 302


def test_a_code_already_used_cannot_be_used_again(register, coordinator):
    app = authenticator_app(coordinator)
    code = app.now()
    first, second = Client(), Client()
    password(first, "coordinator")
    assert first.post(CODE, {"code": code}).status_code == 302
    password(second, "coordinator")
    assert second.post(CODE, {"code": code}).status_code == 200  # refused, shown again


def test_a_recovery_code_signs_in_once(client, register, coordinator):
    authenticator_app(coordinator)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(coordinator).generate_codes()
    password(client, "coordinator")
    assert client.post(CODE, {"code": codes[0]}).status_code == 302

    again = Client()
    password(again, "coordinator")
    assert again.post(CODE, {"code": codes[0]}).status_code == 200


def test_someone_with_no_second_factor_is_sent_to_set_one_up_and_reaches_nothing_else(
    client, register, coordinator, person
):
    password(client, "coordinator")
    page = client.get(reverse("people:detail", kwargs={"person_id": person.pk}))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("mfa_index"))
    assert "How you sign in" in client.get(reverse("mfa_index")).content.decode()
    for url in (reverse("people:list"), reverse("referrals:queue"), reverse("meetings:list")):
        assert client.get(url)["Location"].startswith(reverse("mfa_index"))


def test_setting_up_an_authenticator_app_without_javascript_opens_the_register(
    client, register, coordinator, person
):
    password(client, "coordinator")
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code, an image in the page itself

    import pyotp

    done = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()}, follow=True)

    codes_page = done.content.decode()
    assert "Your recovery codes" in codes_page
    assert len(re.findall(r"<li><code>\w+</code></li>", codes_page)) == 10
    assert client.get(reverse("people:detail", kwargs={"person_id": person.pk})).status_code == 200


def test_an_analyst_sees_only_figures_and_needs_no_second_factor(client, register):
    member(register, Role.ANALYST, username="figures")
    response = password(client, "figures")
    assert response["Location"] == "/"
    assert client.get(reverse("reports:summary")).status_code == 200


def test_an_administrator_needs_a_second_factor(client, register):
    member(register, Role.ADMIN, username="sysadmin", is_staff=True)
    password(client, "sysadmin")
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("mfa_index"))


def test_an_analyst_given_a_role_with_records_is_asked_for_a_second_factor_within_a_minute(
    client, register, coordinator, time_machine
):
    analyst = member(register, Role.ANALYST, username="figures")
    person = make_person(register=register, by=coordinator)
    password(client, "figures")
    client.get(reverse("reports:summary"))
    analyst.memberships.update(role=Role.PROFESSIONAL)  # a role with records, once approved

    time_machine.shift(61)
    page = client.get(reverse("people:detail", kwargs={"person_id": person.pk}))
    assert page["Location"].startswith(reverse("mfa_index"))


def test_five_wrong_passwords_from_different_addresses_lock_the_account(client, coordinator):
    authenticator_app(coordinator)
    for n in range(5):
        password(client, "coordinator", "wrong", REMOTE_ADDR=f"203.0.113.{n}")  # noqa: S106
    response = Client().post(
        SIGN_IN, {"login": "coordinator", "password": "dsr-demo"}, REMOTE_ADDR="198.51.100.1"
    )
    assert "Too many attempts to sign in" in response.content.decode()


def test_wrong_password_shows_an_error_summary(client, coordinator):
    response = password(client, "coordinator", "wrong")  # noqa: S106
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_passwords_are_stored_with_argon2(coordinator):
    assert coordinator.password.startswith("argon2")


def test_signing_out_needs_a_post_and_ends_the_session(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("logout"))
    assert client.get(reverse("people:list")).status_code == 302


@pytest.fixture
def time_machine():
    import time_machine as tm
    from django.utils import timezone

    with tm.travel(timezone.now(), tick=False) as clock:
        yield clock
