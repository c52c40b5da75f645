"""The local GOV.UK Notify stand-in accepts what Notify accepts and refuses what Notify refuses."""

import time

import jwt
import pytest
import requests
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from dsr.notifications.notify_standin import EMAIL_PATH, NotifyStandIn


@pytest.fixture
def notify():
    with NotifyStandIn() as standin:
        yield standin


def send(standin: NotifyStandIn, api_key: str | None = None, **payload):
    client = NotificationsAPIClient(api_key or standin.api_key, base_url=standin.url)
    return client.send_email_notification(
        email_address=payload.get("email_address", "morgan.rivers@example.org"),
        template_id=payload.get("template_id", standin.template_id),
        personalisation=payload.get("personalisation", {"subject": "Hello", "body": "A message"}),
    )


def post_with_token(standin: NotifyStandIn, token: str) -> requests.Response:
    return requests.post(
        standin.url + EMAIL_PATH,
        json={"email_address": "m@example.org", "template_id": standin.template_id},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )


def test_an_email_from_the_official_client_is_accepted_with_notifys_answer(notify):
    answer = send(notify)

    assert answer["content"] == {
        "subject": "Hello",
        "body": "A message",
        "from_email": "dynamic.support.register@notifications.service.gov.uk",
        "one_click_unsubscribe_url": None,
    }
    assert answer["template"]["id"] == notify.template_id
    [email] = notify.received
    assert email.id == answer["id"]
    assert email.email_address == "morgan.rivers@example.org"


@pytest.mark.parametrize(
    "payload",
    [
        {"email_address": "not an address"},
        {"template_id": "3a7e8d2c-0000-4000-8000-000000000000"},
        {"personalisation": {"subject": "Hello"}},
    ],
)
def test_a_bad_request_is_refused_with_400(notify, payload):
    with pytest.raises(HTTPError) as refused:
        send(notify, **payload)
    assert refused.value.status_code == 400
    assert notify.received == []


def test_a_token_signed_with_another_secret_is_refused_with_403(notify):
    other_secret = "0b7c1c5e-7d55-4f3e-a1d2-6f5a8a9b0c1d"
    with pytest.raises(HTTPError) as refused:
        send(notify, api_key=f"key-{notify.service_id}-{other_secret}")
    assert refused.value.status_code == 403


@pytest.mark.parametrize(
    ("issuer", "issued_seconds_ago"),
    [
        (None, 0),  # no issuer
        ("another service", 0),
        ("this service", 90),  # too old
        ("this service", -90),  # from the future
    ],
)
def test_a_token_notify_would_not_accept_is_refused_with_403(notify, issuer, issued_seconds_ago):
    claims = {"iat": int(time.time()) - issued_seconds_ago}
    if issuer:
        another = "c0ffee00-0000-4000-8000-000000000000"
        claims["iss"] = notify.service_id if issuer == "this service" else another
    response = post_with_token(notify, jwt.encode(claims, notify.secret, algorithm="HS256"))
    assert response.status_code == 403
    assert response.json()["errors"][0]["error"] == "AuthError"


def test_a_request_without_a_token_is_refused_with_403(notify):
    response = requests.post(notify.url + EMAIL_PATH, json={}, timeout=5)
    assert response.status_code == 403


def test_failures_can_be_arranged_for_the_next_requests(notify):
    notify.fail_next(503, times=2)
    for _ in range(2):
        with pytest.raises(HTTPError) as failed:
            send(notify)
        assert failed.value.status_code == 503
    send(notify)
    assert notify.refused == [503, 503]
    assert len(notify.received) == 1
