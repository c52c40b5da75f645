"""A meeting's agenda is built from its register: every heading, nobody missed, nobody from elsewhere."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dsr.dates import months_after
from dsr.meetings.models import AgendaItem, Meeting
from dsr.referrals.models import Referral
from tests.meetings.conftest import new_meeting

pytestmark = pytest.mark.django_db


def agenda_of(meeting: Meeting) -> dict[str, str]:
    """Each item's person (or referral) name and the heading it is under."""
    found = {}
    for item in meeting.items.select_related("person", "referral"):
        name = item.person.family_name if item.person else f"referral {item.referral.family_name}"
        found[name] = item.category
    return found


def test_the_register_meeting_has_everyone_who_needs_discussing_under_their_heading(
    seeded, register, coordinator
):
    meeting = new_meeting(coordinator, register)
    assert agenda_of(meeting) == {
        "Escalated": "escalated",
        "Red": "red",
        "Amber": "amber",
        "Blue": "blue",
        "Review": "overdue_review",
        "Overdue": "overdue_action",
    }
    # Headings in agenda order, numbered from 1.
    assert list(meeting.items.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert [i.category for i in meeting.items.all()] == [
        "escalated",
        "red",
        "amber",
        "blue",
        "overdue_review",
        "overdue_action",
    ]


def test_each_item_says_why_it_is_on_the_agenda(seeded, register, coordinator):
    meeting = new_meeting(coordinator, register)
    reasons = {i.person.family_name: i.reasons for i in meeting.items.select_related("person")}
    assert reasons["Escalated"].startswith("Escalated: School placement breaking down")
    assert "Red: C(E)TR overdue by 12 days" in reasons["Red"]
    assert "rating review overdue by" in reasons["Red"]
    assert "post-admission C(E)TR overdue by 6 days" in reasons["Blue"]  # a child: within 14 days
    assert "oversight visit due by" in reasons["Blue"]
    assert reasons["Overdue"].endswith("1 action overdue")
    assert "rating review overdue by 10 days" in reasons["Review"]


def test_nobody_from_another_register_nor_anyone_who_left_is_on_the_agenda(seeded, register, coordinator):
    from dsr.people import services as people_services

    people_services.remove_from_register(
        person=seeded["amber"], left_on=timezone.localdate(), reason="Moved away", by=coordinator
    )
    meeting = new_meeting(coordinator, register)
    names = agenda_of(meeting)
    assert "Elsewhere" not in names
    assert "Amber" not in names
    assert "Green" not in names  # green with nothing due


def test_referrals_awaiting_a_decision_come_first(seeded, register, coordinator, other_register):
    from tests.referrals.data import make_referral as a_referral

    waiting = a_referral(register, family_name="Waiting")
    decided = a_referral(register, family_name="Decided")
    Referral.objects.filter(pk=decided.pk).update(state=Referral.State.DECIDED)
    a_referral(other_register, family_name="Elsewhere")
    meeting = new_meeting(coordinator, register)
    first = meeting.items.select_related("referral").first()
    assert (first.category, first.referral_id) == ("new_referral", waiting.pk)
    names = agenda_of(meeting)
    assert "referral Decided" not in names and "referral Elsewhere" not in names


def test_a_forum_discusses_its_own_age_group(register, coordinator):
    from tests.factories import make_person

    today = timezone.localdate()
    register.max_age = 25
    register.save()
    make_person(
        register=register,
        by=coordinator,
        rating="red",
        family_name="Child",
        born=today.replace(year=today.year - 15),
    )
    make_person(
        register=register,
        by=coordinator,
        rating="red",
        family_name="Adult",
        born=today.replace(year=today.year - 20),
    )
    children = new_meeting(coordinator, register, kind="forum_children")
    adults = new_meeting(coordinator, register, kind="forum_adults")
    assert set(agenda_of(children)) == {"Child"}
    assert set(agenda_of(adults)) == {"Adult"}


def test_the_oversight_panel_follows_escalations_inpatients_and_overdue_reviews(
    seeded, register, coordinator
):
    meeting = new_meeting(coordinator, register, kind="oversight_panel")
    assert agenda_of(meeting) == {
        "Escalated": "escalated",
        "Blue": "blue",
        "Red": "overdue_review",  # red, with its C(E)TR overdue
        "Review": "overdue_review",
        "Overdue": "overdue_action",
    }


def test_the_coordinator_reorders_adds_and_removes_items(seeded, register, coordinator, coordinator_client):
    meeting = new_meeting(coordinator, register)
    url = reverse("meetings:agenda", args=[meeting.pk])
    red = meeting.items.get(person=seeded["red"])
    assert coordinator_client.post(url, {"do": "up", "item": red.pk}).status_code == 302
    assert meeting.items.first().person == seeded["red"]
    found = coordinator_client.get(url, {"add-find": "gina"}).content.decode()
    assert f'value="{seeded["green"].pk}"' in found and "Gina Green (" in found
    response = coordinator_client.post(
        url, {"do": "add", "add-find": "gina", "add-person": seeded["green"].pk}, follow=True
    )
    assert "Gina Green added to the agenda" in response.content.decode()
    assert meeting.items.last().person == seeded["green"]
    green = meeting.items.last()
    coordinator_client.post(url, {"do": "remove", "item": green.pk})
    assert not meeting.items.filter(person=seeded["green"]).exists()
    assert list(meeting.items.values_list("position", flat=True)) == list(range(1, meeting.items.count() + 1))


def test_bringing_the_agenda_up_to_date_adds_only_who_has_come_to_need_discussing(
    seeded, register, coordinator, coordinator_client
):
    from dsr.ratings.models import RiskFactor
    from dsr.ratings.services import record_rating

    meeting = new_meeting(coordinator, register)
    before = list(meeting.items.order_by("position").values_list("person_id", "category"))
    for person in (seeded["green"], seeded["other_register"]):
        record_rating(
            person=person,
            rating="red",
            rationale="Two A&E attendances this week",
            factors=RiskFactor.objects.filter(register__isnull=True)[:2],
            next_review_due=timezone.localdate() + datetime.timedelta(days=7),
            by=coordinator,
        )
    url = reverse("meetings:agenda", args=[meeting.pk])
    response = coordinator_client.post(url, {"do": "update"}, follow=True)
    assert "1 added to the end of the agenda: Gina Green" in response.content.decode()
    after = list(meeting.items.order_by("position").values_list("person_id", "category"))
    assert after == [*before, (seeded["green"].pk, "red")]  # nothing moved, nobody twice, nobody else's
    assert list(meeting.items.values_list("position", flat=True)) == list(range(1, len(after) + 1))

    response = coordinator_client.post(url, {"do": "update"}, follow=True)
    assert "The agenda is up to date: nobody else needs discussing" in response.content.decode()
    assert meeting.items.count() == len(after)


def test_a_finished_meetings_agenda_is_not_brought_up_to_date(
    seeded, register, coordinator, coordinator_client
):
    from dsr.meetings import services

    meeting = new_meeting(coordinator, register)
    meeting.items.filter(person=seeded["red"]).delete()
    services.finish(meeting=meeting, by=coordinator, confirmed=True)
    response = coordinator_client.post(
        reverse("meetings:agenda", args=[meeting.pk]), {"do": "update"}, follow=True
    )
    assert "The meeting has finished: its minutes can no longer be changed" in response.content.decode()
    assert not meeting.items.filter(person=seeded["red"]).exists()


def test_the_search_for_someone_to_add_finds_only_people_of_the_register_not_on_the_agenda(
    seeded, register, coordinator, coordinator_client
):
    meeting = new_meeting(coordinator, register)
    url = reverse("meetings:agenda", args=[meeting.pk])

    def found(typed: str) -> str:
        return coordinator_client.get(url, {"add-find": typed}).content.decode()

    assert "Gina Green (" in found(seeded["green"].nhs_number[:6])  # by the start of the NHS number
    assert "Gina Green (" in found("GREEN gi")  # every word, in any name, any case
    on_agenda = found("Red")  # Rosa Red is on the agenda already
    assert "Nobody on the register matches &ldquo;Red&rdquo; who is not on the agenda already" in on_agenda
    assert 'name="add-person"' not in on_agenda
    elsewhere = seeded["other_register"]
    assert "Nobody on the register matches" in found(elsewhere.family_name)
    # Before a search, no one is listed.
    assert 'name="add-person"' not in coordinator_client.get(url).content.decode()


def test_a_search_that_finds_many_shows_the_first_and_asks_for_more_of_the_name(
    seeded, register, coordinator, coordinator_client
):
    from dsr.meetings.views import FOUND_TO_ADD
    from tests.factories import make_person

    for n in range(FOUND_TO_ADD + 1):
        make_person(register=register, by=coordinator, rating="green", family_name=f"Many{n:02}")
    meeting = new_meeting(coordinator, register)
    page = coordinator_client.get(reverse("meetings:agenda", args=[meeting.pk]), {"add-find": "many"})
    html = page.content.decode()
    assert html.count('name="add-person"') == FOUND_TO_ADD
    assert "Many00" in html and f"Many{FOUND_TO_ADD - 1:02}" in html and f"Many{FOUND_TO_ADD:02}" not in html
    assert "Only the first 10 people found are shown" in html


def test_the_people_a_search_shows_are_in_the_pages_audit_event(
    seeded, register, coordinator, coordinator_client
):
    from dsr.audit.models import AuditEvent

    meeting = new_meeting(coordinator, register)
    coordinator_client.get(reverse("meetings:agenda", args=[meeting.pk]), {"add-find": "Gina"})
    event = AuditEvent.objects.filter(record_type="meeting_agenda").latest("at")
    assert str(seeded["green"].pk) in event.changes["shown"]
    assert event.changes["search"] == "Gina"


def test_a_finished_meeting_offers_no_search_and_names_no_one_found(
    seeded, register, coordinator, coordinator_client
):
    from dsr.audit.models import AuditEvent
    from dsr.meetings import services

    meeting = new_meeting(coordinator, register)
    services.finish(meeting=meeting, by=coordinator, confirmed=True)
    html = coordinator_client.get(
        reverse("meetings:agenda", args=[meeting.pk]), {"add-find": "Gina"}
    ).content.decode()
    assert "Gina Green (" not in html and 'name="add-find"' not in html
    event = AuditEvent.objects.filter(record_type="meeting_agenda").latest("at")
    assert str(seeded["green"].pk) not in event.changes["shown"] and "search" not in event.changes


def test_adding_without_choosing_says_so_and_keeps_what_was_found(
    seeded, register, coordinator, coordinator_client
):
    meeting = new_meeting(coordinator, register)
    before = meeting.items.count()
    response = coordinator_client.post(
        reverse("meetings:agenda", args=[meeting.pk]), {"do": "add", "add-find": "Gina"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose the person to add" in html and "Gina Green (" in html
    assert meeting.items.count() == before


def test_a_search_too_long_is_refused_with_a_message(seeded, register, coordinator, coordinator_client):
    meeting = new_meeting(coordinator, register)
    response = coordinator_client.get(reverse("meetings:agenda", args=[meeting.pk]), {"add-find": "x" * 101})
    assert response.status_code == 200
    assert "Name or NHS number must be 100 characters or fewer" in response.content.decode()


def test_someone_from_another_register_cannot_be_added(seeded, register, coordinator, coordinator_client):
    meeting = new_meeting(coordinator, register)
    response = coordinator_client.post(
        reverse("meetings:agenda", args=[meeting.pk]),
        {"do": "add", "add-person": seeded["other_register"].pk},
    )
    assert response.status_code == 200
    assert "Choose a person on this list" in response.content.decode()
    assert not meeting.items.filter(person=seeded["other_register"]).exists()


def test_an_item_with_notes_stays_on_the_agenda(seeded, register, coordinator, coordinator_client):
    meeting = new_meeting(coordinator, register)
    red = meeting.items.get(person=seeded["red"])
    AgendaItem.objects.filter(pk=red.pk).update(discussion="Placement at risk")
    response = coordinator_client.post(
        reverse("meetings:agenda", args=[meeting.pk]), {"do": "remove", "item": red.pk}, follow=True
    )
    assert "has notes from the meeting, so it stays on the agenda" in response.content.decode()
    assert meeting.items.filter(pk=red.pk).exists()


def test_creating_a_meeting_proposes_a_month_after_the_last_one(register, coordinator, coordinator_client):
    today = timezone.localdate()
    Meeting.objects.create(
        register=register,
        kind="register",
        held_on=today - datetime.timedelta(days=10),
        created_by=coordinator,
    )
    response = coordinator_client.get(reverse("meetings:new"))
    from tests.pages import date_shown

    assert date_shown(response, "held_on") == months_after(today - datetime.timedelta(days=10), 1)


def test_the_coordinator_creates_a_meeting_with_its_time_and_place(register, coordinator_client):
    from tests.pages import date_fields

    response = coordinator_client.post(
        reverse("meetings:new"),
        {
            "kind": "oversight_panel",
            **date_fields("held_on", timezone.localdate()),
            "starts_at": "14:30",
            "location": "Microsoft Teams",
            "chair": "Dr Adeyemi",
        },
        follow=True,
    )
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.starts_at, meeting.location, meeting.chair) == (
        "oversight_panel",
        datetime.time(14, 30),
        "Microsoft Teams",
        "Dr Adeyemi",
    )
    page = response.content.decode()
    assert "Meeting created with 0 items on its agenda" in page and "14:30" in page


def test_the_coordinator_moves_a_meeting_until_it_has_finished(register, coordinator, coordinator_client):
    from dsr.audit.models import AuditEvent
    from dsr.meetings import services
    from tests.pages import date_fields

    meeting = new_meeting(coordinator, register)
    url = reverse("meetings:details", args=[meeting.pk])
    later = timezone.localdate() + datetime.timedelta(days=9)
    details = {**date_fields("held_on", later), "starts_at": "09:30", "location": "County Hall", "chair": ""}
    response = coordinator_client.post(url, details, follow=True)
    assert "Meeting details saved" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.starts_at, meeting.location) == (
        later,
        datetime.time(9, 30),
        "County Hall",
    )
    change = AuditEvent.objects.filter(record_type="meeting", action=AuditEvent.Action.CHANGE).latest("at")
    assert "held_on" in change.changes

    past = {**details, **date_fields("held_on", timezone.localdate() - datetime.timedelta(days=1))}
    refused = coordinator_client.post(url, past)
    assert refused.status_code == 200
    assert "The date of the meeting must be today or in the future" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.held_on == later

    begun = datetime.datetime.combine(later, datetime.time(9, 45), tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(begun):
        services.finish(meeting=meeting, by=coordinator, confirmed=True)
    assert coordinator_client.post(url, details).status_code == 403
    assert (
        "Change the date, time, place or chair"
        not in coordinator_client.get(reverse("meetings:agenda", args=[meeting.pk])).content.decode()
    )


def test_a_start_time_that_is_not_a_time_is_refused_with_a_message(register, coordinator_client):
    from tests.pages import date_fields

    response = coordinator_client.post(
        reverse("meetings:new"),
        {"kind": "register", **date_fields("held_on", timezone.localdate()), "starts_at": "half ten"},
    )
    assert response.status_code == 200
    assert "Enter the start time as hours and minutes, like 14:30" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_past_is_refused_with_a_message(register, coordinator_client):
    from tests.pages import date_fields

    response = coordinator_client.post(
        reverse("meetings:new"),
        {"kind": "register", **date_fields("held_on", timezone.localdate() - datetime.timedelta(days=1))},
    )
    assert response.status_code == 200
    assert "must be today or in the future" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_agenda_page_runs_the_same_queries_for_few_or_many_items(
    seeded, register, coordinator, coordinator_client, django_assert_num_queries
):
    from tests.factories import make_person

    small = new_meeting(coordinator, register)
    for n in range(8):
        make_person(register=register, by=coordinator, rating="red", family_name=f"Extra{n}")
    large = new_meeting(coordinator, register)
    assert large.items.count() > small.items.count() + 7
    coordinator_client.get(reverse("meetings:agenda", args=[small.pk]))
    with django_assert_num_queries(QUERIES_AGENDA):
        coordinator_client.get(reverse("meetings:agenda", args=[small.pk]))
    with django_assert_num_queries(QUERIES_AGENDA):
        coordinator_client.get(reverse("meetings:agenda", args=[large.pk]))
    # A search for someone to add is one query more, however many it finds.
    for meeting, typed in ((small, "Gina"), (large, "Extra")):
        with django_assert_num_queries(QUERIES_AGENDA + 1):
            coordinator_client.get(reverse("meetings:agenda", args=[meeting.pk]), {"add-find": typed})


# session, user, memberships; the meeting; the count, the page of items (with whether each person's record
# opens), the headings; attendees; whether any item is left to discuss; the audit event; the savepoint and
# its release.
QUERIES_AGENDA = 12


def test_a_referral_item_says_when_it_was_received():
    from dsr.meetings.agenda import referral_reason

    day = datetime.date(2026, 11, 13)
    assert referral_reason("Received", day, datetime.date(2026, 11, 23)) == (
        "Received 13 November 2026 (10 days ago)"
    )
    assert referral_reason("Awaiting meeting", day, datetime.date(2026, 11, 14)) == (
        "Awaiting meeting; received 13 November 2026 (1 day ago)"
    )
