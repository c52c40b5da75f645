"""A meeting is run only from its start time, finishes only when the coordinator confirms it (having seen what
was not discussed), and a meeting created by mistake can be cancelled: kept, marked and audited."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dsr.audit.models import AuditEvent
from dsr.meetings import services
from dsr.meetings.models import Meeting
from dsr.registers.models import Role
from tests.factories import member
from tests.meetings.conftest import item_url, new_meeting
from tests.pages import date_fields

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def next_month(seeded, register, coordinator):
    """A meeting a month from today, at 10:00."""
    return new_meeting(
        coordinator,
        register,
        held_on=timezone.localdate() + datetime.timedelta(days=30),
        starts_at=datetime.time(10, 0),
    )


# Before its start time


def test_a_meeting_next_month_cannot_be_run_today(next_month, coordinator, coordinator_client):
    item = next_month.items.first()
    response = coordinator_client.get(reverse("meetings:run", args=[next_month.pk]), follow=True)
    page = response.content.decode()
    day = next_month.held_on.strftime("%-d %B %Y")
    assert f"The meeting can be run from 10:00 on {day}, not before" in page
    assert response.redirect_chain[-1][0] == reverse("meetings:agenda", args=[next_month.pk])
    # Not offered on its agenda, which says when it can be.
    assert "Run the meeting" not in page
    assert f"The meeting can be run from 10:00 on {day}" in page

    # Nor by going straight to an item, saving notes or deciding something.
    agenda = reverse("meetings:agenda", args=[next_month.pk])
    assert coordinator_client.get(item_url(item))["Location"] == agenda
    notes = {"notes-discussion": "Too early", "notes-decisions": ""}
    assert coordinator_client.post(item_url(item), {"save": "notes", **notes}).status_code == 302
    autosave = coordinator_client.post(reverse("meetings:autosave", args=[next_month.pk, item.pk]), notes)
    assert autosave.status_code == 409
    item.refresh_from_db()
    assert (item.discussion, item.discussed) == ("", False)


def test_a_meeting_next_month_cannot_be_finished_today(next_month, coordinator, coordinator_client):
    response = coordinator_client.post(
        reverse("meetings:finish", args=[next_month.pk]), {"confirm": "yes"}, follow=True
    )
    assert "not before" in response.content.decode()
    next_month.refresh_from_db()
    assert next_month.status == Meeting.Status.PLANNED
    with pytest.raises(ValidationError, match="The meeting can be run from 10:00 on"):
        services.finish(meeting=next_month, by=coordinator, confirmed=True)


def test_the_meeting_can_be_run_from_its_start_time_on_its_day(seeded, register, coordinator):
    day = timezone.localdate() + datetime.timedelta(days=3)
    meeting = new_meeting(coordinator, register, held_on=day, starts_at=datetime.time(14, 30))
    item = meeting.items.first()
    with time_machine.travel(at(day, 14, 29)), pytest.raises(ValidationError, match="from 14:30 on"):
        services.save_notes(item=item, discussion="Early", decisions="", discussed=True, by=coordinator)
    with time_machine.travel(at(day, 14, 30)):
        services.save_notes(item=item, discussion="On time", decisions="", discussed=True, by=coordinator)
        item.refresh_from_db()
        assert item.discussion == "On time"


def test_decisions_are_refused_before_the_start_time(next_month, seeded, coordinator):
    item = next_month.items.get(person=seeded["red"])
    with pytest.raises(ValidationError, match="not before"):
        services.arrange_review(
            item=item, review_on=timezone.localdate() + datetime.timedelta(days=40), by=coordinator
        )
    with pytest.raises(ValidationError, match="not before"):
        services.escalate(person=seeded["red"], reason="Too early", by=coordinator, meeting=next_month)


# Finishing


def test_finish_asks_first_and_lists_each_item_not_yet_discussed(meeting, coordinator_client):
    first, *rest = list(meeting.items.select_related("person"))
    coordinator_client.post(
        item_url(first), {"save": "notes", "notes-discussion": "Seen", "notes-decisions": ""}
    )
    url = reverse("meetings:finish", args=[meeting.pk])
    page = coordinator_client.get(url).content.decode()
    assert f"{len(rest)} of {len(rest) + 1} items not discussed" in page
    for item in rest:
        assert f'href="{item_url(item)}"' in page and item.person.full_name in page
    assert first.person.full_name not in page.split('id="undiscussed"')[1].split("</ul>")[0]

    # Sent without the confirmation, nothing happens.
    response = coordinator_client.post(url, follow=True)
    assert "Confirm that the meeting has finished" in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.is_finished

    response = coordinator_client.post(url, {"confirm": "yes"}, follow=True)
    assert "Meeting finished: its minutes are ready" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.is_finished


def test_the_running_page_links_to_the_confirmation_instead_of_finishing(meeting, coordinator_client):
    page = coordinator_client.get(item_url(meeting.items.first())).content.decode()
    assert f'href="{reverse("meetings:finish", args=[meeting.pk])}"' in page
    assert f'action="{reverse("meetings:finish", args=[meeting.pk])}"' not in page


def test_finishing_unconfirmed_is_refused_by_the_service(meeting, coordinator):
    with pytest.raises(ValidationError, match="Confirm that the meeting has finished"):
        services.finish(meeting=meeting, by=coordinator, confirmed=False)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_the_confirmation_page_runs_the_same_queries_for_few_or_many_items(
    seeded, register, coordinator, coordinator_client, django_assert_num_queries
):
    from tests.factories import make_person

    small = new_meeting(coordinator, register)
    for n in range(6):
        make_person(register=register, by=coordinator, rating="red", family_name=f"Extra{n}")
    large = new_meeting(coordinator, register)
    coordinator_client.get(reverse("meetings:finish", args=[small.pk]))
    with django_assert_num_queries(QUERIES_FINISH):
        coordinator_client.get(reverse("meetings:finish", args=[small.pk]))
    with django_assert_num_queries(QUERIES_FINISH):
        coordinator_client.get(reverse("meetings:finish", args=[large.pk]))


QUERIES_FINISH = 10


# Cancelling


def test_a_meeting_made_by_mistake_is_cancelled_kept_and_audited(next_month, coordinator, coordinator_client):
    url = reverse("meetings:cancel", args=[next_month.pk])
    agenda = reverse("meetings:agenda", args=[next_month.pk])
    assert f'href="{url}"' in coordinator_client.get(agenda).content.decode()

    refused = coordinator_client.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert "Enter why the meeting is cancelled" in refused.content.decode()
    next_month.refresh_from_db()
    assert next_month.status == Meeting.Status.PLANNED

    response = coordinator_client.post(url, {"reason": "Created for the wrong month"}, follow=True)
    page = response.content.decode()
    assert "Meeting cancelled" in page and "Created for the wrong month" in page
    next_month.refresh_from_db()
    assert (next_month.status, next_month.cancelled_by, next_month.cancellation_reason) == (
        Meeting.Status.CANCELLED,
        coordinator,
        "Created for the wrong month",
    )
    assert next_month.cancelled_at is not None
    assert next_month.items.exists()  # kept, agenda and all
    event = AuditEvent.objects.filter(
        record_type="meeting", record_id=str(next_month.pk), action=AuditEvent.Action.CHANGE
    ).latest("at")
    assert event.changes["status"] == ["planned", "cancelled"]
    assert event.changes["cancellation_reason"] == ["", "Created for the wrong month"]

    listed = coordinator_client.get(reverse("meetings:list")).content.decode()
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*" + re.escape(agenda) + r".*?</tr>", listed, re.S).group(0)
    assert "Cancelled" in row


def test_a_cancelled_meeting_cannot_be_run_changed_or_cancelled_again(
    seeded, register, coordinator, coordinator_client
):
    meeting = new_meeting(coordinator, register)  # today: could otherwise be run now
    services.cancel(meeting=meeting, reason="Clashes with the bank holiday", by=coordinator)
    item = meeting.items.first()

    response = coordinator_client.get(reverse("meetings:run", args=[meeting.pk]), follow=True)
    page = response.content.decode()
    assert "The meeting was cancelled" in page
    assert "Run the meeting" not in page and "Cancel this meeting" not in page
    assert "Change the date, time, place or chair" not in page
    assert coordinator_client.get(item_url(item)).status_code == 302
    for attempt in (
        lambda: services.save_notes(item=item, discussion="x", decisions="", by=coordinator),
        lambda: services.finish(meeting=meeting, by=coordinator, confirmed=True),
        lambda: services.cancel(meeting=meeting, reason="Again", by=coordinator),
        lambda: services.add_item(meeting=meeting, person=seeded["green"], by=coordinator),
    ):
        with pytest.raises(ValidationError, match="cancelled"):
            attempt()
    assert coordinator_client.post(reverse("meetings:details", args=[meeting.pk])).status_code == 403


def test_a_meeting_that_has_been_held_is_finished_not_cancelled(meeting, coordinator, coordinator_client):
    item = meeting.items.first()
    services.save_notes(item=item, discussion="Talked about", decisions="", discussed=True, by=coordinator)
    with pytest.raises(ValidationError, match="finish it instead"):
        services.cancel(meeting=meeting, reason="Mistake", by=coordinator)
    page = coordinator_client.get(reverse("meetings:agenda", args=[meeting.pk])).content.decode()
    assert "Cancel this meeting" not in page


def test_a_panel_member_cannot_cancel_a_meeting(next_month, register, client):
    client.force_login(member(register, Role.PROFESSIONAL, username="panel2"))
    assert client.post(reverse("meetings:cancel", args=[next_month.pk]), {"reason": "No"}).status_code == 403
    next_month.refresh_from_db()
    assert next_month.status == Meeting.Status.PLANNED


def test_a_cancelled_meeting_is_not_the_last_one_the_next_is_proposed_from(register, coordinator):
    from dsr.meetings import selectors

    meeting = new_meeting(coordinator, register, held_on=timezone.localdate() + datetime.timedelta(days=5))
    services.cancel(meeting=meeting, reason="Wrong day", by=coordinator)
    assert selectors.last_held_on(register, "register") is None


# Creating: every field checked


def test_an_empty_create_form_names_each_missing_field_and_creates_nothing(register, coordinator_client):
    response = coordinator_client.post(reverse("meetings:new"), {})
    assert response.status_code == 200
    page = response.content.decode()
    for message in (
        "Choose the kind of meeting",
        "Enter the date of the meeting",
        "Enter the start time of the meeting, like 14:30",
    ):
        assert message in page
    assert not Meeting.objects.exists()


def test_the_create_form_does_not_choose_the_kind_of_meeting_for_you(register, coordinator_client):
    page = coordinator_client.get(reverse("meetings:new")).content.decode()
    assert not re.search(r'<input[^>]*name="kind"[^>]*checked', page)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "picnic"}, "kind", "Choose the kind of meeting"),
        ({"held_on": None}, "held_on", "Enter the date of the meeting"),
        ({"held_on": datetime.date(2020, 1, 1)}, "held_on", "must be today or in the future"),
        ({"starts_at": None}, "starts_at", "Enter the start time of the meeting"),
        ({"location": "x" * 201}, "location", "200 characters or fewer"),
        ({"chair": "x" * 201}, "chair", "200 characters or fewer"),
    ],
)
def test_the_service_checks_every_detail_and_creates_nothing(register, coordinator, change, field, message):
    from dsr.access import scope_of

    details = {
        "kind": "register",
        "held_on": timezone.localdate(),
        "starts_at": datetime.time(10),
        "location": "",
        "chair": "",
        **change,
    }
    with pytest.raises(ValidationError) as refused:
        scope = scope_of(coordinator, register)
        services.create_meeting(scope=scope, register=register, by=coordinator, **details)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Meeting.objects.exists()


def test_a_meeting_cannot_be_created_for_a_register_one_does_not_coordinate(
    register, other_register, coordinator
):
    from dsr.access import scope_of

    with pytest.raises(ValidationError) as refused:
        services.create_meeting(
            scope=scope_of(coordinator, register),
            register=other_register,
            kind="register",
            held_on=timezone.localdate(),
            starts_at=datetime.time(10),
            by=coordinator,
        )
    assert "register" in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_someone_coordinating_two_registers_chooses_which_the_meeting_is_for(
    register, other_register, coordinator, coordinator_client
):
    from dsr.registers.models import Membership

    Membership.objects.create(user=coordinator, register=other_register, role=Role.COORDINATOR)
    coordinator_client.post(reverse("switch_register"), {"register": "all"})
    details = {"kind": "register", **date_fields("held_on", timezone.localdate()), "starts_at": "10:00"}
    refused = coordinator_client.post(reverse("meetings:new"), details)
    assert "Choose the register the meeting is for" in refused.content.decode()
    assert not Meeting.objects.exists()
    coordinator_client.post(reverse("meetings:new"), {**details, "register": other_register.pk})
    assert Meeting.objects.get().register == other_register
