"""The running page is one form: whichever button is pressed, the notes typed go with it and are saved with
the decision in one transaction, so nothing typed is lost without JavaScript. And the minutes say each thing
once, without empty headings."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dsr.actions.models import Action
from dsr.meetings import services
from dsr.ratings.models import RiskRating
from tests.meetings.conftest import item_url
from tests.pages import date_fields, national_factors

pytestmark = pytest.mark.django_db


def an_action(description: str = "Book respite") -> dict:
    return {
        "save": "action",
        "action-description": description,
        "action-owner_name": "Sam Okafor",
        **date_fields("action-due_on", timezone.localdate() + datetime.timedelta(days=7)),
    }


def test_notes_typed_are_saved_with_the_decision_recorded(meeting, seeded, coordinator_client):
    item = meeting.items.get(person=seeded["red"])
    response = coordinator_client.post(
        item_url(item),
        {**an_action(), "notes-discussion": "Family exhausted", "notes-decisions": "Respite to be booked"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.discussion, item.decisions, item.discussed) == (
        "Family exhausted",
        "Respite to be booked",
        True,
    )
    assert Action.objects.get(meeting=meeting).description == "Book respite"


def test_the_running_page_is_one_form_holding_the_notes_and_every_decision(
    meeting, seeded, coordinator_client
):
    url = item_url(meeting.items.get(person=seeded["red"]))
    page = coordinator_client.get(url).content.decode()
    form = page.split(f'<form method="post" action="{url}"')[1].split("</form>")[0]
    for field in ("notes-discussion", "notes-decisions", "rating-rationale", "action-description"):
        assert f'name="{field}"' in form
    buttons = re.findall(r'<button[^>]*name="save"[^>]*value="([a-z]+)"', form)
    assert {"next", "notes", "rating", "action", "review", "escalate"} <= set(buttons)


def test_a_decision_with_a_problem_saves_nothing_and_keeps_the_notes_typed(
    meeting, seeded, coordinator_client
):
    item = meeting.items.get(person=seeded["amber"])
    response = coordinator_client.post(
        item_url(item),
        {
            "save": "rating",
            "rating-rating": "red",
            "rating-risk_factors": national_factors(1),
            "notes-discussion": "Typed before the rating",
            "notes-decisions": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter why you chose this rating" in page
    assert "Typed before the rating" in page  # back in its box, as typed
    item.refresh_from_db()
    assert item.discussion == "" and not RiskRating.objects.filter(meeting=meeting).exists()


def test_notes_and_the_decision_are_saved_together_or_not_at_all(
    meeting, seeded, coordinator, coordinator_client
):
    item = meeting.items.get(person=seeded["escalated"])
    response = coordinator_client.post(
        item_url(item),
        {
            "save": "escalate",
            "escalate-reason": "Again",
            "notes-discussion": "Said twice",
            "notes-decisions": "",
        },
    )
    assert "already escalated to the oversight panel" in response.content.decode()
    item.refresh_from_db()
    assert (item.discussion, item.discussed) == ("", False)


def test_a_decision_sent_without_notes_leaves_the_notes_as_they_were(
    meeting, seeded, coordinator, coordinator_client
):
    item = meeting.items.get(person=seeded["red"])
    services.save_notes(item=item, discussion="Said earlier", decisions="", by=coordinator)
    coordinator_client.post(item_url(item), an_action())
    item.refresh_from_db()
    assert item.discussion == "Said earlier"


# Minutes


def minutes_text(client, meeting) -> tuple[str, str]:
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    pdf = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    return page, " ".join(text.split())


def test_the_minutes_say_why_each_item_was_there_once(meeting, seeded, coordinator_client):
    page, pdf = minutes_text(coordinator_client, meeting)
    for shown in (page, pdf):
        assert "Red: C(E)TR overdue by 12 days" in shown
        assert "Red: Red:" not in shown
        assert "Escalated to the oversight panel: Escalated:" not in shown


def test_the_minutes_leave_out_headings_with_nothing_under_them(
    meeting, seeded, coordinator, coordinator_client
):
    red = meeting.items.get(person=seeded["red"])
    amber = meeting.items.get(person=seeded["amber"])
    coordinator_client.post(item_url(red), an_action("Convene a C(E)TR"))  # an action only
    services.save_notes(item=amber, discussion="Stable", decisions="", discussed=True, by=coordinator)
    page, pdf = minutes_text(coordinator_client, meeting)

    red_section = page.split(f'id="minutes-item-{red.position}"')[1].split('class="dsr-minutes-item"')[0]
    assert "<h4>Actions</h4>" in red_section and "Convene a C(E)TR" in red_section
    assert "<h4>Decisions</h4>" not in red_section and "<h4>Discussion</h4>" not in red_section
    assert "<ul>\n    </ul>" not in red_section

    amber_section = page.split(f'id="minutes-item-{amber.position}"')[1].split('class="dsr-minutes-item"')[0]
    assert "<h4>Discussion</h4>" in amber_section and "<h4>Decisions</h4>" not in amber_section

    others = [i for i in meeting.items.all() if i.pk not in (red.pk, amber.pk)]
    other = page.split(f'id="minutes-item-{others[0].position}"')[1].split('class="dsr-minutes-item"')[0]
    assert "Not discussed." in other and "<h4>" not in other
    assert "Decisions Actions" not in pdf
