"""Running a meeting item by item: notes saved as typed, decisions recorded as the register's normal records
linked to the meeting, and the minutes (on screen and as a PDF) showing them."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dsr.actions.models import Action
from dsr.audit.models import AuditEvent
from dsr.dates import format_date
from dsr.meetings.models import AgendaItem, Escalation
from dsr.ratings.models import RiskRating
from dsr.reviews.models import Review
from tests.meetings.conftest import item_url, new_meeting
from tests.pages import date_fields, detail_url, national_factors

pytestmark = pytest.mark.django_db


def test_run_starts_at_the_first_item_not_yet_discussed(meeting, coordinator_client):
    first, second = list(meeting.items.all())[:2]
    first.discussed = True
    first.save()
    response = coordinator_client.get(reverse("meetings:run", args=[meeting.pk]))
    assert response["Location"] == item_url(second)


def test_notes_save_and_move_to_the_next_item(meeting, coordinator_client):
    first, second = list(meeting.items.all())[:2]
    response = coordinator_client.post(
        item_url(first),
        {
            "save": "next",
            "notes-discussion": "Placement at risk",
            "notes-decisions": "Keep red",
        },
    )
    assert response["Location"] == item_url(second)
    first.refresh_from_db()
    assert (first.discussion, first.decisions, first.discussed) == ("Placement at risk", "Keep red", True)


def test_with_htmx_the_next_item_is_swapped_in_without_a_reload(meeting, coordinator_client):
    first, second = list(meeting.items.all())[:2]
    response = coordinator_client.post(
        item_url(first),
        {"save": "next", "notes-discussion": "Seen", "notes-decisions": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == item_url(second)
    html = response.content.decode()
    assert html.lstrip().startswith("{%") is False and "<html" not in html  # only the item panel
    assert second.person.full_name in html and "Notes saved" in html


def test_autosave_keeps_the_notes_as_they_are_typed(meeting, coordinator_client):
    item = meeting.items.first()
    response = coordinator_client.post(
        reverse("meetings:autosave", args=[meeting.pk, item.pk]),
        {"notes-discussion": "Mum says school is", "notes-decisions": ""},
    )
    assert response.status_code == 200 and response.content.decode().startswith("Saved at ")
    item.refresh_from_db()
    assert item.discussion == "Mum says school is" and not item.discussed


def test_autosave_refuses_over_long_notes_and_keeps_what_was_saved(meeting, coordinator_client):
    item = meeting.items.first()
    item.discussion = "Kept"
    item.save()
    response = coordinator_client.post(
        reverse("meetings:autosave", args=[meeting.pk, item.pk]), {"notes-discussion": "x" * 8001}
    )
    assert response.status_code == 422
    item.refresh_from_db()
    assert item.discussion == "Kept"


def test_a_rating_decided_at_the_meeting_is_a_normal_rating_entry_linked_to_it(
    meeting, seeded, coordinator, coordinator_client
):
    item = meeting.items.get(person=seeded["amber"])
    response = coordinator_client.post(
        item_url(item),
        {
            "save": "rating",
            "rating-rating": "red",
            "rating-rationale": "Placement breaking down",
            "rating-risk_factors": national_factors(1),
            **date_fields("rating-next_review_due", timezone.localdate() + datetime.timedelta(days=14)),
        },
    )
    assert response.status_code == 302
    entry = RiskRating.objects.get(person=seeded["amber"], meeting=meeting)
    assert (entry.rating, entry.rated_by, entry.rationale) == ("red", coordinator, "Placement breaking down")
    seeded["amber"].refresh_from_db()
    assert seeded["amber"].current_rating == "red"
    page = coordinator_client.get(detail_url(seeded["amber"])).content.decode()
    assert "at the monthly dynamic support register meeting on" in page


def test_a_rating_without_a_rationale_is_refused_and_nothing_changes(meeting, seeded, coordinator_client):
    item = meeting.items.get(person=seeded["amber"])
    response = coordinator_client.post(
        item_url(item),
        {"save": "rating", "rating-rating": "red", "rating-risk_factors": national_factors(1)},
    )
    assert response.status_code == 200
    assert "Enter why you chose this rating" in response.content.decode()
    assert not RiskRating.objects.filter(meeting=meeting).exists()


def test_an_action_agreed_at_the_meeting_is_in_its_owners_list(meeting, seeded, register, coordinator_client):
    from dsr.registers.models import Role
    from tests.factories import member

    owner = member(register, Role.PROFESSIONAL, username="owner", first_name="Sam", last_name="Okafor")
    item = meeting.items.get(person=seeded["red"])
    response = coordinator_client.post(
        item_url(item),
        {
            "save": "action",
            "action-description": "Convene a community C(E)TR",
            "action-owner_name": "Sam Okafor",
            "action-owner": owner.pk,
            **date_fields("action-due_on", timezone.localdate() + datetime.timedelta(days=7)),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(meeting=meeting)
    assert (action.person, action.owner) == (seeded["red"], owner)
    coordinator_client.force_login(owner)
    assert "Convene a community C(E)TR" in coordinator_client.get(reverse("actions:mine")).content.decode()


def test_arranging_a_cetr_plans_one_on_the_record(meeting, seeded, coordinator_client):
    item = meeting.items.get(person=seeded["red"])
    day = timezone.localdate() + datetime.timedelta(days=20)
    response = coordinator_client.post(
        item_url(item), {"save": "review", **date_fields("review-review_on", day)}
    )
    assert response.status_code == 302
    review = Review.objects.get(meeting=meeting)
    assert (review.person, review.kind, review.setting, review.status, review.review_on) == (
        seeded["red"],
        "cetr",
        "community",
        "planned",
        day,
    )


def test_escalating_and_closing_an_escalation_at_the_meeting(meeting, seeded, coordinator_client):
    item = meeting.items.get(person=seeded["red"])
    coordinator_client.post(item_url(item), {"save": "escalate", "escalate-reason": "No C(E)TR in 40 days"})
    escalation = Escalation.objects.get(person=seeded["red"])
    assert (escalation.meeting, escalation.is_open) == (meeting, True)
    response = coordinator_client.post(item_url(item), {"save": "escalate", "escalate-reason": "Again"})
    assert Escalation.objects.filter(person=seeded["red"]).count() == 1
    other = meeting.items.get(person=seeded["escalated"])
    coordinator_client.post(item_url(other), {"save": "close", "close-outcome": "Panel to fund a placement"})
    closed = Escalation.objects.get(person=seeded["escalated"])
    assert (closed.is_open, closed.outcome, closed.closed_at_meeting) == (
        False,
        "Panel to fund a placement",
        meeting,
    )
    assert response.status_code in (200, 302)


def test_a_finished_meeting_can_no_longer_be_changed(meeting, coordinator_client):
    item = meeting.items.first()
    coordinator_client.post(reverse("meetings:finish", args=[meeting.pk]), {"confirm": "yes"})
    meeting.refresh_from_db()
    assert meeting.is_finished
    response = coordinator_client.post(
        reverse("meetings:autosave", args=[meeting.pk, item.pk]), {"notes-discussion": "Late"}
    )
    assert response.status_code == 409
    item.refresh_from_db()
    assert item.discussion == ""


def test_minutes_show_attendance_notes_and_decisions_and_the_pdf_says_the_same(
    meeting, seeded, coordinator, coordinator_client
):
    attendee = meeting.attendees.get(user=coordinator)
    coordinator_client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {"present": [attendee.pk], "guest-name": "Dr Lin", "guest-organisation": "CAMHS"},
    )
    item = meeting.items.get(person=seeded["red"])
    coordinator_client.post(
        item_url(item),
        {"save": "notes", "notes-discussion": "Family under strain", "notes-decisions": "Stay red"},
    )
    coordinator_client.post(
        item_url(item),
        {
            "save": "action",
            "action-description": "Book respite",
            "action-owner_name": "Sam Okafor",
            **date_fields("action-due_on", timezone.localdate() + datetime.timedelta(days=7)),
        },
    )
    page = coordinator_client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    for text in ("Priya Shah", "Dr Lin (CAMHS)", "Family under strain", "Stay red", "Book respite"):
        assert text in page
    response = coordinator_client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"].split(", ")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "Dr Lin (CAMHS)",
        "Rhys Red",
        "Family under strain",
        "Stay red",
        "Book respite",
        "Sam Okafor",
    ):
        assert expected in text
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, record_type="meeting_minutes").exists()


def test_a_persons_page_shows_their_own_section_of_the_minutes_and_no_one_elses(
    meeting, seeded, coordinator_client
):
    red = meeting.items.get(person=seeded["red"])
    amber = meeting.items.get(person=seeded["amber"])
    coordinator_client.post(
        item_url(red), {"save": "notes", "notes-discussion": "About Rhys only", "notes-decisions": ""}
    )
    coordinator_client.post(
        item_url(amber), {"save": "notes", "notes-discussion": "About Asha only", "notes-decisions": ""}
    )
    page = coordinator_client.get(detail_url(seeded["red"])).content.decode()
    assert "About Rhys only" in page
    assert "About Asha only" not in page


def test_what_a_meeting_said_about_a_referral_follows_the_person_once_it_is_accepted(
    register, coordinator, coordinator_client
):
    from dsr.audit import records
    from dsr.meetings import services
    from dsr.ratings.models import RiskFactor
    from dsr.referrals.services import accept_referral
    from tests.referrals.data import make_referral

    referral = make_referral(register, given_name="Nia", family_name="Newcome")
    meeting = new_meeting(coordinator, register)
    services.save_notes(
        item=meeting.items.get(referral=referral),
        discussion="Eligible; parents ask for a consultation first",
        decisions="",
        by=coordinator,
    )
    person = accept_referral(
        referral=referral,
        reason="Meets the criteria",
        rating="amber",
        rationale="Placement at risk",
        factors=RiskFactor.objects.filter(register__isnull=True)[:2],
        by=coordinator,
    )
    page = coordinator_client.get(detail_url(person)).content.decode()
    assert "Eligible; parents ask for a consultation first" in page
    kind = records.kind_for(AgendaItem)
    assert [i.discussion for i in kind.records_of(person)] == [
        "Eligible; parents ask for a consultation first"
    ]


def test_the_running_page_runs_the_same_queries_for_few_or_many_items(
    seeded, register, coordinator, coordinator_client, django_assert_num_queries
):
    from tests.factories import make_person

    small = new_meeting(coordinator, register)
    for n in range(8):
        make_person(register=register, by=coordinator, rating="red", family_name=f"Extra{n}")
    large = new_meeting(coordinator, register)
    small_item = small.items.get(person=seeded["red"])
    large_item = large.items.get(person=seeded["red"])
    coordinator_client.get(item_url(small_item))
    with django_assert_num_queries(QUERIES_ITEM):
        coordinator_client.get(item_url(small_item))
    with django_assert_num_queries(QUERIES_ITEM):
        coordinator_client.get(item_url(large_item))
    with django_assert_num_queries(QUERIES_MINUTES):
        coordinator_client.get(reverse("meetings:minutes", args=[small.pk]))
    with django_assert_num_queries(QUERIES_MINUTES):
        coordinator_client.get(reverse("meetings:minutes", args=[large.pk]))


QUERIES_ITEM = 23
QUERIES_MINUTES = 15


def test_discussing_an_amber_person_at_a_meeting_meets_their_mdt_requirement(
    meeting, seeded, coordinator_client
):
    item = meeting.items.get(person=seeded["amber"])
    before = coordinator_client.get(detail_url(seeded["amber"])).content.decode()
    assert "Amber: MDT meeting or C(E)TR needed" in before
    coordinator_client.post(
        item_url(item), {"save": "notes", "notes-discussion": "Discussed", "notes-decisions": ""}
    )
    after = coordinator_client.get(detail_url(seeded["amber"])).content.decode()
    assert f"Amber: MDT meeting or C(E)TR on {format_date(timezone.localdate())}" in after
    listed = coordinator_client.get(reverse("people:list")).content.decode()
    assert f"Amber: MDT meeting or C(E)TR on {format_date(timezone.localdate())}" in listed


def test_a_filed_persons_item_is_withheld_from_panel_members_but_not_coordinators(
    meeting, seeded, coordinator, professional, client
):
    from dsr.governance.retention import file_person
    from dsr.meetings import services
    from dsr.people import services as people_services

    red = seeded["red"]
    services.save_notes(
        item=meeting.items.get(person=red), discussion="Placement at risk", decisions="", by=coordinator
    )
    services.finish(meeting=meeting, by=coordinator, confirmed=True)
    people_services.remove_from_register(
        person=red, left_on=timezone.localdate(), reason="Moved", by=coordinator
    )
    file_person(person=red, rule="Filed a year after leaving", by=None)

    client.force_login(professional)
    minutes_url = reverse("meetings:minutes", args=[meeting.pk])
    for url in (minutes_url, reverse("meetings:agenda", args=[meeting.pk])):
        page = client.get(url).content.decode()
        assert "A filed record" in page
        assert "Rhys Red" not in page and "Placement at risk" not in page
        assert "Asha Amber" in page  # everyone else is as before
    pdf = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "A filed record" in text and "Rhys Red" not in text and "Placement at risk" not in text

    client.force_login(coordinator)
    page = client.get(minutes_url).content.decode()
    assert "Rhys Red" in page and "Placement at risk" in page
