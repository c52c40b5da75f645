"""The outbox: a coordinator reads the messages of their register, and only theirs."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.notifications import services
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.notifications.conftest import tell_family

OUTBOX = reverse("notifications:outbox")


def subjects_listed(response) -> list[str]:
    return re.findall(r'<a href="/notifications/[0-9a-f-]{36}/">([^<]*)</a>', response.content.decode())


def detail_url(notification) -> str:
    return reverse("notifications:detail", kwargs={"notification_id": notification.pk})


@pytest.fixture
def elsewhere(other_register):
    """A message in another register, about someone there."""
    coordinator = member(other_register, Role.COORDINATOR)
    person = make_person(register=other_register, by=coordinator, given_name="Olu", family_name="Outsider")
    return tell_family(person, by=coordinator, reference="OTHER-1")


def test_the_outbox_lists_the_registers_messages_newest_first_and_no_others(
    coordinator_client, person, coordinator, elsewhere
):
    tell_family(person, by=coordinator, reference="FIRST")
    tell_family(person, by=coordinator, reference="SECOND")

    response = coordinator_client.get(OUTBOX)

    assert response.status_code == 200
    assert subjects_listed(response) == [
        "We have received the referral for Jamie Rivers (reference SECOND)",
        "We have received the referral for Jamie Rivers (reference FIRST)",
    ]
    page = response.content.decode()
    assert "morgan.rivers@example.org" in page
    assert "Referral received" in page
    assert "Queued" in page
    assert "Outsider" not in page and "OTHER-1" not in page


def test_a_message_opens_to_show_what_was_sent(coordinator_client, person, coordinator):
    notification = tell_family(person, by=coordinator)

    page = coordinator_client.get(detail_url(notification)).content.decode()

    assert "<h1>We have received the referral for Jamie Rivers (reference DSR-7KQ2)</h1>" in page
    assert "<p>Hello Morgan Rivers,</p>" in page
    assert "The reference number is DSR-7KQ2." in page
    assert "Waiting to be sent" in page


def test_what_a_referrer_typed_is_shown_as_text_never_as_markup(coordinator_client, person, coordinator):
    notification = tell_family(person, by=coordinator, name="<script>alert(1)</script>")

    for url in (OUTBOX, detail_url(notification)):
        page = coordinator_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_message_in_another_register_does_not_exist_for_the_coordinator(coordinator_client, elsewhere):
    assert coordinator_client.get(detail_url(elsewhere)).status_code == 404


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.KEYWORKER, Role.IG, Role.ANALYST, Role.REFERRER])
def test_only_coordinators_read_the_outbox(client, register, person, coordinator, role):
    notification = tell_family(person, by=coordinator)
    client.force_login(member(register, role))
    assert client.get(OUTBOX).status_code == 403
    assert client.get(detail_url(notification)).status_code == 403


def test_reading_the_outbox_and_a_message_is_audited(coordinator_client, person, coordinator, register):
    notification = tell_family(person, by=coordinator)

    coordinator_client.get(OUTBOX)
    coordinator_client.get(detail_url(notification))

    listed = AuditEvent.objects.get(action=AuditEvent.Action.LIST, record_type="notification_outbox")
    assert listed.username == "coordinator"
    assert listed.register_id == register.pk
    assert listed.changes["shown"] == [str(notification.pk)]
    read = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, record_type="notification")
    assert read.record_id == str(notification.pk)
    assert read.person_id == person.pk


@pytest.mark.parametrize("size", [1, 30])
def test_the_outbox_runs_the_same_queries_whatever_the_number_of_messages(
    coordinator_client, person, coordinator, django_assert_num_queries, size
):
    for n in range(size):
        tell_family(person, by=coordinator, reference=f"R{n}")
    with django_assert_num_queries(QUERIES_ON_OUTBOX):
        response = coordinator_client.get(OUTBOX)
    assert len(subjects_listed(response)) == size


# session, user, memberships, message count, page rows (with register and referral), audit line,
# and the savepoint and its release around the request's transaction.
QUERIES_ON_OUTBOX = 8


def what_happened(page: str) -> list[str]:
    """The "What happened" cells of the outbox, newest first."""
    cells = re.findall(r'aria-hidden="true">What happened </span>([^<]*)</td>', page)
    return [" ".join(cell.split()) for cell in cells]


def test_each_message_says_what_really_became_of_it_and_only_emailed_mail_has_a_sent_time(
    coordinator_client, person, coordinator, standin
):
    kept = tell_family(person, by=coordinator, reference="KEPT")
    with override_settings(NOTIFY_API_KEY=""):
        services.send_notification(notification_id=kept.pk)
    emailed = tell_family(person, by=coordinator, reference="EMAILED")
    services.send_notification(notification_id=emailed.pk)
    refused = tell_family(person, by=coordinator, reference="REFUSED")
    with override_settings(NOTIFY_EMAIL_TEMPLATE_ID="00000000-0000-4000-8000-000000000000"):
        services.send_notification(notification_id=refused.pk)
    tell_family(person, by=coordinator, reference="WAITING")

    page = coordinator_client.get(OUTBOX).content.decode()

    happened = what_happened(page)
    assert happened[0] == "Not sent yet"
    assert happened[1] == "Failed after 1 attempt"
    assert happened[2].startswith("Sent ")
    assert happened[3].startswith("Kept in outbox ")
    assert re.findall(r'class="nhsuk-tag[^"]*"\s*>\s*([^<]*?)\s*<', page) == [
        "Waiting to be sent",
        "Failed",
        "Sent",
        "Kept in outbox",
    ]
    kept_page = coordinator_client.get(detail_url(kept)).content.decode()
    assert "Kept in outbox" in kept_page
    assert "Sent " not in kept_page
