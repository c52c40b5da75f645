"""What a sign-in through OpenID Connect refuses: an ID token that is forged, for another client, expired,
for another sign-in or unsigned; a callback used twice or in another browser; a code used twice or with
another sign-in's PKCE verifier; a provider that errs or cannot be reached. Each ends on the NHS.UK page
that says sign-in did not work (never a 500), with nobody signed in, and is logged without personal data."""

import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dsr.operations.logs import JsonFormatter
from dsr.signin.oidc_standin import TOKEN_SECONDS
from tests.signin.openid_connect import (
    CALLBACK,
    LOGIN,
    assert_refused,
    at_provider,
    configure,
    query,
    sign_in,
    signed_in_id,
    start,
    with_query,
)

User = get_user_model()


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    handler = Lines()
    logger = logging.getLogger("dsr.signin")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def reasons(lines: list[str]) -> list[str]:
    return [json.loads(line)["error"] for line in lines]


NOT_ALLOWED = "the ID token is not signed with an algorithm allowed (RS256, PS256, ES256)"


@pytest.mark.parametrize(
    ("misbehaviour", "value", "reason"),
    [
        ("sign_with_unknown_key", True, "the ID token's signature does not match the provider's key"),
        ("wrong_audience", True, "the ID token is for another client"),
        ("expired", True, "the ID token has expired"),
        ("wrong_nonce", True, "the ID token's nonce is not the one this sign-in sent"),
        ("algorithm", "HS256", NOT_ALLOWED),  # signed with the client secret, which the app also holds
        ("algorithm", "none", NOT_ALLOWED),
        (
            "userinfo_about_someone_else",
            True,
            "the provider's userinfo is about someone other than the ID token",
        ),
    ],
)
def test_an_id_token_that_does_not_check_out_signs_nobody_in(
    client, oidc, log_lines, misbehaviour, value, reason
):
    setattr(oidc, misbehaviour, value)
    response = sign_in(client)
    assert_refused(response, client)
    assert reasons(log_lines) == [reason]
    assert not User.objects.exists()


def test_an_id_token_expired_by_less_than_a_minute_is_still_taken(client, oidc, time_machine):
    """A minute's leeway, for clocks a little out between the provider and the app."""
    time_machine.move_to("2030-01-01 12:00:00", tick=False)
    callback = at_provider(start(client))
    time_machine.shift(TOKEN_SECONDS + 50)
    assert client.get(callback).status_code == 302
    assert signed_in_id(client) is not None


STATE_NOT_FOUND = "no sign-in is waiting for this state: used already, too old, or started in another browser"


def test_a_callback_used_a_second_time_is_refused(client, oidc, log_lines):
    callback = at_provider(start(client))
    assert client.get(callback).status_code == 302
    first = signed_in_id(client)

    again = client.get(callback)
    assert again.status_code == 400
    elsewhere = Client()
    assert_refused(elsewhere.get(callback), elsewhere)
    assert oidc.signed_in == ["standin-0001"] and signed_in_id(client) == first
    assert reasons(log_lines) == [STATE_NOT_FOUND, STATE_NOT_FOUND]


def test_a_callback_brought_to_another_browser_is_refused(oidc):
    """Someone cannot sign a victim's browser in to their own account with their own callback."""
    started = Client()
    callback = at_provider(start(started))
    victim = Client()
    assert_refused(victim.get(callback), victim)
    assert oidc.signed_in == []


def test_a_callback_without_its_state_is_refused(client, oidc):
    callback = at_provider(start(client))
    assert_refused(client.get(with_query(callback, code=query(callback)["code"])), client)


def test_a_code_used_twice_is_refused(oidc):
    first = Client()
    used = at_provider(start(first))
    first.get(used)
    client = Client()
    own = at_provider(start(client))
    response = client.get(with_query(own, code=query(used)["code"], state=query(own)["state"]))
    assert_refused(response, client)
    assert oidc.refused == ["code"]


def test_a_code_for_another_sign_in_fails_its_pkce_check(oidc):
    """A code someone else was given, brought to this browser's sign-in, was for their PKCE challenge."""
    theirs = at_provider(start(Client()))
    client = Client()
    own = at_provider(start(client))
    response = client.get(with_query(own, code=query(theirs)["code"], state=query(own)["state"]))
    assert_refused(response, client)
    assert oidc.refused == ["code_verifier"]


def test_cancelling_at_the_provider_says_the_person_did_not_sign_in(client, oidc):
    oidc.authorize_error = "access_denied"
    response = sign_in(client)
    assert response.status_code == 200
    assert "You did not sign in" in response.content.decode()
    assert signed_in_id(client) is None


def test_an_error_from_the_provider_is_refused(client, oidc):
    oidc.authorize_error = "server_error"
    assert_refused(sign_in(client), client)


def test_a_provider_that_cannot_be_reached_is_an_error_page_not_a_500(db, client, settings, standin):
    configure(settings, standin, server_url="http://127.0.0.1:9")
    assert_refused(client.post(LOGIN), client)


def test_a_discovery_document_naming_another_issuer_is_refused(db, client, settings, standin):
    """The provider at the configured address must say it is the configured issuer."""
    configure(settings, standin, server_url=standin.url.replace("127.0.0.1", "localhost"))
    assert_refused(client.post(LOGIN), client)


def test_the_callback_of_a_sign_in_never_started_is_refused(client, oidc):
    assert_refused(client.get(CALLBACK, {"code": "a-code", "state": "a-state"}), client)


def test_a_refused_sign_in_is_logged_with_why_and_without_who(client, oidc, log_lines):
    oidc.expired = True
    sign_in(client)
    assert len(log_lines) == 1
    assert (
        json.loads(log_lines[0])["message"]
        == "Sign-in through OpenID Connect refused: the ID token has expired"
    )
    assert "alex" not in log_lines[0].lower() and "standin-0001" not in log_lines[0]
