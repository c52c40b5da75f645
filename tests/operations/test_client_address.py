"""The address a request came from: from X-Forwarded-For only as far as the deployment's proxies vouch
for it, and the same address for the audit trail, the record of failed sign-ins and the referral rate
limit."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.client_address import client_address
from tests.factories import member
from tests.referrals.data import form_data, send

CLIENT = "198.51.100.7"
PROXY = "10.0.0.2"


def address(settings, proxies: int, forwarded: str | None, remote: str = PROXY) -> str | None:
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # No proxy trusted: the header is whatever the client chose to send, and is ignored.
        (0, None, PROXY),
        (0, "203.0.113.9", PROXY),
        # One proxy appends the address it received the request from.
        (1, CLIENT, CLIENT),
        # A client that sends its own header cannot choose the address: the proxy's entry is last.
        (1, f"203.0.113.9, {CLIENT}", CLIENT),
        # Two proxies: the first appends the client, the second appends the first proxy.
        (2, f"{CLIENT}, 10.0.0.1", CLIENT),
        (2, f"203.0.113.9, {CLIENT}, 10.0.0.1", CLIENT),
        # A request that did not pass through every proxy (fewer entries) is taken as it connected.
        (2, CLIENT, PROXY),
        (1, None, PROXY),
        (1, "", PROXY),
        # Proxies that add a port (Azure Application Gateway does), and IPv6.
        (1, f"{CLIENT}:50412", CLIENT),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Something that is not an address is not believed.
        (1, "unknown", PROXY),
        (1, "Jamie Rivers", PROXY),
    ],
)
def test_the_client_is_as_many_entries_from_the_right_as_there_are_trusted_proxies(
    settings, proxies, forwarded, expected
):
    assert address(settings, proxies, forwarded) == expected


def test_the_audit_trail_records_the_address_behind_the_proxy(settings, coordinator_client, person):
    settings.TRUSTED_PROXY_COUNT = 1
    coordinator_client.get(
        f"/people/{person.pk}/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.9, {CLIENT}"
    )
    event = AuditEvent.objects.filter(person_id=person.pk, action=AuditEvent.Action.VIEW).latest("pk")
    assert event.ip_address == CLIENT


def test_a_failed_sign_in_is_recorded_against_the_client_not_the_proxy(settings, client, register):
    """The lockout itself counts the account, from any address (tests/signin/); what was tried from
    where is recorded with the client's address."""
    settings.TRUSTED_PROXY_COUNT = 1
    member(register, "coordinator", username="priya", password="correct-horse-battery")
    client.post(
        reverse("login"),
        {"login": "priya", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"192.0.2.55, {CLIENT}",
    )
    assert AccessAttempt.objects.get(username="priya").ip_address == CLIENT


def send_referral(register, forwarded: str, n: int):
    """One family sends a referral through the public form, behind the proxy."""
    headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}
    token = f"token-{n}-" + "c" * 40
    client = Client()
    return send(client, form_data(register, submission_token=token), **headers)


def test_the_referral_limit_counts_the_client_not_the_proxy(settings, register):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REFERRAL_SUBMISSIONS_PER_HOUR = 2
    answers = [send_referral(register, f"192.0.2.{n}, {CLIENT}", n).status_code for n in range(3)]
    assert answers == [302, 302, 429]  # a made-up leftmost entry does not give a fresh limit

    assert send_referral(register, "203.0.113.200", 3).status_code == 302
