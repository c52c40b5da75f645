"""Signing in through the organisation's OpenID Connect provider (NHS CIS2, Microsoft Entra ID), end to end
against a stand-in provider: the first sign-in makes an account with no access, the same person comes back
to the same account, and the provider's second factor counts only when its ID token says it asked for one.
What is refused: test_openid_connect_refusals.py."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.registers.models import Role
from tests.factories import MembershipFactory, member
from tests.second_factor import authenticator_app
from tests.signin.openid_connect import (
    CALLBACK,
    LOGIN,
    NAME,
    at_provider,
    configure,
    query,
    sign_in,
    signed_in_id,
    start,
)

User = get_user_model()
EMAIL = "alex.taylor@example.org"


def the_user() -> User:
    return User.objects.get(socialaccount__uid="standin-0001")


def test_the_sign_in_page_offers_the_organisations_sign_in_as_a_form_that_posts(client, oidc):
    page = client.get(reverse("login")).content.decode()
    assert f'<form method="post" action="{LOGIN}">' in page
    assert f"Sign in with {NAME}" in page
    assert "Or sign in with a username and password" in page


def test_without_an_issuer_there_is_no_organisation_sign_in_and_its_pages_are_not_found(client, db):
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    assert client.get(LOGIN).status_code == 404
    assert client.post(LOGIN).status_code == 404
    assert client.get(CALLBACK, {"code": "a-code", "state": "a-state"}).status_code == 404


def test_signing_in_sends_the_browser_to_the_provider_with_pkce_and_a_nonce(client, oidc):
    authorize = start(client)
    assert authorize.startswith(f"{oidc.url}/authorize?")
    sent = query(authorize)
    assert sent["client_id"] == oidc.client_id
    assert sent["redirect_uri"] == f"http://testserver{CALLBACK}"
    assert sent["response_type"] == "code"
    assert set(sent["scope"].split()) == {"openid", "profile", "email"}
    assert sent["code_challenge_method"] == "S256"
    assert len(sent["code_challenge"]) == 43  # a SHA-256, base64url without padding
    assert len(sent["nonce"]) >= 32 and len(sent["state"]) >= 16
    assert start(Client()) != authorize  # a fresh state, nonce and challenge each time


def test_the_page_at_the_sign_in_address_only_shows_a_button_that_posts(client, oidc):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post">' in page and "Continue" in page
    assert "socialaccount_states" not in client.session  # nothing started


def test_starting_a_sign_in_without_the_forms_csrf_token_is_refused(oidc):
    assert Client(enforce_csrf_checks=True).post(LOGIN).status_code == 403


def test_the_request_cannot_ask_to_link_the_provider_to_whoever_is_signed_in(client, oidc, coordinator):
    client.force_login(coordinator)
    authorize = client.post(f"{LOGIN}?process=connect&scope=offline_access")["Location"]
    assert set(query(authorize)["scope"].split()) == {"openid", "profile", "email"}
    response = client.get(at_provider(authorize))
    assert response.status_code == 302
    assert signed_in_id(client) == str(the_user().pk) != str(coordinator.pk)
    assert not SocialAccount.objects.filter(user=coordinator).exists()


def test_a_first_sign_in_makes_an_account_with_no_access(client, oidc, register):
    response = sign_in(client)

    assert response.status_code == 302 and response["Location"] == "/"
    user = the_user()
    assert signed_in_id(client) == str(user.pk)
    assert (user.username, user.email, user.first_name, user.last_name) == (EMAIL, EMAIL, "Alex", "Taylor")
    assert not user.has_usable_password()
    assert not user.memberships.exists() and not user.is_staff
    assert "There is nothing for you to see here yet" in client.get("/").content.decode()
    assert client.get(reverse("people:list")).status_code == 403


def test_the_account_a_first_sign_in_makes_is_in_the_audit_trail(client, oidc):
    sign_in(client)
    user = the_user()
    event = AuditEvent.objects.get(record_type="user", record_id=str(user.pk))
    assert (event.action, event.user_id, event.register_id) == (AuditEvent.Action.CREATE, user.pk, None)


def test_a_returning_person_is_the_same_user(oidc):
    sign_in(Client())
    first = the_user()
    again = Client()
    sign_in(again)
    assert signed_in_id(again) == str(first.pk)
    assert User.objects.count() == 1
    account = SocialAccount.objects.get()
    assert (account.provider, account.uid) == (f"oidc:{oidc.url}", "standin-0001")


def test_a_first_sign_in_never_becomes_a_local_account_with_the_same_username_or_email(
    client, oidc, register
):
    local = member(register, Role.COORDINATOR, username=EMAIL.upper(), email=EMAIL)
    sign_in(client)
    user = the_user()
    assert user.pk != local.pk and signed_in_id(client) == str(user.pk)
    assert user.username == f"{EMAIL}-2"
    assert not user.memberships.exists()
    assert not SocialAccount.objects.filter(user=local).exists()
    local.refresh_from_db()
    assert local.has_usable_password() and local.username == EMAIL.upper()


def test_the_user_can_be_named_by_a_claim_only_the_userinfo_holds(db, client, settings, standin):
    """CIS2 gives the user's UID in its userinfo, not in the ID token."""
    configure(settings, standin, username_claim="uid")
    standin.userinfo_only = {"uid": "555012345678"}
    sign_in(client)
    assert the_user().username == "555012345678"


def test_after_signing_in_the_person_goes_where_they_were_going(client, oidc):
    response = sign_in(client, next_url=reverse("mfa_index"))
    assert response["Location"] == reverse("mfa_index")


def give_role(role: str, register) -> None:
    """The person signs in once, then an administrator gives them a role."""
    sign_in(Client())
    MembershipFactory(user=the_user(), register=register, role=role)


@pytest.mark.parametrize(
    ("amr", "acr", "counted"),
    [
        (["pwd", "mfa"], None, True),
        (["pwd"], None, False),
        (["pwd", "otp"], None, False),  # a method not configured to count
        (["pwd"], "AAL3_ANY", True),
        (["pwd"], "AAL1_USERPASS", False),
    ],
)
def test_a_second_factor_at_the_provider_opens_records_without_the_apps_own(
    client, settings, standin, register, person, amr, acr, counted
):
    configure(settings, standin, second_factor_acr=["AAL3_ANY"])
    give_role(Role.COORDINATOR, register)
    standin.amr, standin.acr = amr, acr

    sign_in(client)
    page = client.get(reverse("people:detail", kwargs={"person_id": person.pk}))

    if counted:
        assert page.status_code == 200
    else:
        assert page.status_code == 302 and page["Location"].startswith(reverse("mfa_index"))


def test_someone_with_the_apps_own_second_factor_enters_its_code_after_the_provider(
    client, oidc, register, person
):
    give_role(Role.COORDINATOR, register)
    app = authenticator_app(the_user())

    response = sign_in(client)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_id(client) is None
    client.post(reverse("mfa_authenticate"), {"code": app.now()})

    assert client.get(reverse("people:detail", kwargs={"person_id": person.pk})).status_code == 200


def test_an_account_an_administrator_switched_off_cannot_sign_in(client, oidc):
    sign_in(Client())
    User.objects.filter(pk=the_user().pk).update(is_active=False)
    response = sign_in(client)
    assert response.status_code == 403
    assert "Your account is switched off" in response.content.decode()
    assert signed_in_id(client) is None
