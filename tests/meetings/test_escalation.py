"""Escalation to the C(E)TR oversight panel: an explicit decision with its reason, from a person's page or a
meeting, open until the panel records its decision; the panel's next agenda puts the person first."""

import pytest
from django.urls import reverse

from dsr.meetings.models import Escalation
from dsr.registers.models import Role
from tests.factories import member
from tests.meetings.conftest import new_meeting
from tests.pages import detail_url

pytestmark = pytest.mark.django_db


def test_a_panel_member_escalates_from_the_persons_page_with_a_reason(client, register, person):
    professional = member(register, Role.PROFESSIONAL, username="panel")
    client.force_login(professional)
    url = reverse("meetings:escalate", args=[person.pk])
    assert "Escalate to the oversight panel" in client.get(detail_url(person)).content.decode()
    refused = client.post(url, {"escalate-reason": "  "})
    assert refused.status_code == 200
    assert "Enter why the oversight panel needs to see them" in refused.content.decode()
    assert not Escalation.objects.exists()
    response = client.post(url, {"escalate-reason": "Family at breaking point"})
    assert response.status_code == 302
    escalation = Escalation.objects.get(person=person)
    assert (escalation.reason, escalation.escalated_by, escalation.meeting) == (
        "Family at breaking point",
        professional,
        None,
    )
    page = client.get(detail_url(person)).content.decode()
    assert "Family at breaking point" in page and "Escalate to the oversight panel</a>" not in page


def test_the_oversight_panel_takes_the_escalated_person_first_and_the_coordinator_closes_it(
    coordinator_client, register, coordinator, person
):
    coordinator_client.post(
        reverse("meetings:escalate", args=[person.pk]), {"escalate-reason": "No placement"}
    )
    panel = new_meeting(coordinator, register, kind="oversight_panel")
    first = panel.items.first()
    assert (first.person, first.category) == (person, "escalated")
    escalation = Escalation.objects.get(person=person)
    url = reverse("meetings:close_escalation", args=[person.pk, escalation.pk])
    assert coordinator_client.post(url, {"close-outcome": ""}).status_code == 200
    assert (
        coordinator_client.post(url, {"close-outcome": "Funding agreed for a local placement"}).status_code
        == 302
    )
    escalation.refresh_from_db()
    assert (escalation.is_open, escalation.outcome) == (False, "Funding agreed for a local placement")
    later = new_meeting(coordinator, register, kind="oversight_panel")
    assert not later.items.filter(person=person, category="escalated").exists()


def test_an_action_overdue_past_the_threshold_offers_escalation_with_the_reason_filled_in(
    client, register, coordinator, person
):
    import datetime

    from django.utils import timezone

    from dsr.actions import services as action_services

    due = timezone.localdate() - datetime.timedelta(days=register.action_escalation_days + 5)
    action = action_services.add_action(
        person=person,
        description="Send the sensory report",
        owner_name="Sam Okafor",
        due_on=due,
        by=coordinator,
    )
    panel = member(register, Role.PROFESSIONAL, username="panel")
    offer = f"{reverse('meetings:escalate', args=[person.pk])}?action={action.pk}"

    client.force_login(panel)
    assert offer in client.get(detail_url(person)).content.decode()
    assert offer in client.get(reverse("actions:update", args=[person.pk, action.pk])).content.decode()
    form = client.get(offer).content.decode()
    days = register.action_escalation_days + 5
    assert f"Action overdue by {days} days: Send the sensory report (responsible: Sam Okafor" in form
    client.post(offer, {"escalate-reason": f"Action overdue by {days} days: Send the sensory report"})
    assert Escalation.objects.get(person=person).reason.startswith(f"Action overdue by {days} days")

    # An action that is not this person's is not found.
    assert client.get(f"{reverse('meetings:escalate', args=[person.pk])}?action=nonsense").status_code == 404
