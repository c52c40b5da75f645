"""A register of thousands: the agenda is built in a fixed number of queries, every item still audited on its
own, and the pages of a meeting show it a part at a time."""

import datetime
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dsr import audit
from dsr.audit import chain, redaction
from dsr.audit.models import AuditEvent
from dsr.audit.verification import verify_chain
from dsr.meetings import views
from dsr.meetings.models import AgendaItem, Attendee, Meeting
from dsr.people.models import Person
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.meetings.conftest import item_url, new_meeting
from tests.referrals.data import make_referral

pytestmark = pytest.mark.django_db


def agenda_numbers(response) -> list[int]:
    """The numbers of the items the agenda page lists."""
    return [
        int(n) for n in re.findall(r'<li class="dsr-agenda__item" id="item-(\d+)"', response.content.decode())
    ]


def test_each_item_of_a_new_agenda_has_the_audit_event_recording_it_would_have(seeded, register, coordinator):
    from tests.referrals.data import make_referral

    make_referral(register, family_name="Waiting")
    meeting = new_meeting(coordinator, register)
    items = list(meeting.items.select_related("meeting", "person"))
    events = {
        event.record_id: event
        for event in AuditEvent.objects.filter(record_type="agendaitem", action=AuditEvent.Action.CREATE)
    }
    assert len(items) == 7 and set(events) == {str(item.pk) for item in items}

    with transaction.atomic():
        # What recording each item on its own writes, to compare with.
        one_by_one = {
            str(item.pk): audit.record_change(by=coordinator, record=item, action=AuditEvent.Action.CREATE)
            for item in items
        }
        transaction.set_rollback(True)
    fields = ["user_id", "username", "register_id", "person_id", "action", "record_type", "changes", "source"]
    for record_id, event in events.items():
        expected = one_by_one[record_id]
        assert {name: getattr(event, name) for name in fields} == {
            name: getattr(expected, name) for name in fields
        }
        assert event.signature == chain.signature(event)  # signed as it was written
        assert redaction.holds(event)  # each value salted, as erasure needs
    referral_item = next(item for item in items if item.referral_id)
    assert events[str(referral_item.pk)].person_id is None
    assert events[str(referral_item.pk)].register_id == register.pk


def test_the_new_agenda_is_sealed_into_the_audit_chain_and_the_chain_verifies(
    seeded, register, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = new_meeting(coordinator, register)
    items = {str(pk) for pk in meeting.items.values_list("pk", flat=True)}
    sealed = AuditEvent.objects.filter(record_id__in=items, chain_position__isnull=False)
    assert sealed.count() == len(items) == 6
    assert not AuditEvent.objects.filter(chain_position__isnull=True).exists()
    verdict = verify_chain()
    assert verdict.intact, verdict.problems


@pytest.mark.parametrize("size", [0, 30])
def test_creating_a_meeting_runs_the_same_queries_however_large_the_register(
    seeded, register, coordinator, django_assert_num_queries, django_capture_on_commit_callbacks, size
):
    for n in range(size):
        make_person(register=register, by=coordinator, rating="red", family_name=f"Extra{n:02d}")
        if n % 10 == 0:
            member(register, Role.PROFESSIONAL, username=f"panel{n}")
    with django_assert_num_queries(QUERIES_CREATE):
        meeting = new_meeting(coordinator, register)
    assert meeting.items.count() == 6 + size
    assert Attendee.objects.filter(meeting=meeting).count() == 1 + size // 10

    # Sealing the agenda's events into the chain once it commits: the same queries too.
    chain.seal_events()  # what was waiting
    with (
        django_assert_num_queries(QUERIES_CREATE + QUERIES_SEAL),
        django_capture_on_commit_callbacks(execute=True),
    ):
        new_meeting(coordinator, register, held_on=timezone.localdate() + datetime.timedelta(days=1))
    assert not AuditEvent.objects.filter(chain_position__isnull=True).exists()


QUERIES_CREATE = 18
QUERIES_SEAL = 7  # the chain head, the waiting events, their signatures, their places, the head; a savepoint


def test_an_agenda_of_hundreds_is_sealed_in_the_queries_of_a_short_one(
    register, coordinator, django_assert_num_queries, django_capture_on_commit_callbacks
):
    new_meeting(coordinator, register)
    chain.seal_events()
    born = timezone.localdate() - datetime.timedelta(days=30 * 365)
    Person.objects.bulk_create(
        Person(
            register=register,
            given_name="Red",
            family_name=f"Many{n:03d}",
            date_of_birth=born,
            current_rating="red",
        )
        for n in range(600)  # more events than sealing once took at a time
    )
    with django_capture_on_commit_callbacks() as after_commit:
        meeting = new_meeting(coordinator, register, held_on=timezone.localdate() + datetime.timedelta(1))
    assert meeting.items.count() == 600
    with django_assert_num_queries(QUERIES_SEAL):
        for callback in after_commit:
            callback()
    sealed = AuditEvent.objects.filter(record_type="agendaitem", chain_position__isnull=False)
    assert sealed.count() == 600
    assert not AuditEvent.objects.filter(chain_position__isnull=True).exists()
    verdict = verify_chain()
    assert verdict.intact, verdict.problems


def test_a_meeting_whose_agenda_cannot_be_recorded_is_not_created_at_all(
    seeded, register, coordinator, monkeypatch
):
    def audit_fails(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(audit, "record_changes", audit_fails)
    with pytest.raises(RuntimeError):
        new_meeting(coordinator, register)
    assert not Meeting.objects.exists()
    assert not AgendaItem.objects.exists()
    assert not AuditEvent.objects.filter(record_type__in=["meeting", "agendaitem"]).exists()


@pytest.fixture
def pages_of_three(monkeypatch):
    monkeypatch.setattr(views, "AGENDA_PAGE_SIZE", 3)


@pytest.fixture
def long_meeting(seeded, register, coordinator):
    """The seeded agenda with two more red people: escalated (1), red (2 to 4), amber, blue, reviews overdue,
    actions overdue (5 to 8)."""
    for name in ("Reed", "Redding"):
        make_person(register=register, by=coordinator, rating="red", family_name=name)
    return new_meeting(coordinator, register)


def test_the_agenda_comes_a_page_at_a_time_under_its_headings(
    long_meeting, coordinator_client, pages_of_three
):
    url = reverse("meetings:agenda", args=[long_meeting.pk])
    first = coordinator_client.get(url)
    page = first.content.decode()
    assert agenda_numbers(first) == [1, 2, 3]
    assert "Agenda (8 items)" in page
    assert "Items 1 to 3 of 8, page 1 of 3" in page
    assert "<h3>Escalated to the oversight panel</h3>" in page and "<h3>Red</h3>" in page
    assert "?page=2#agenda" in page and "Page 2 of 3" in page
    # Every heading, with how many items it has and where it starts.
    assert '<a href="?page=1#item-2">Red</a>: 3 items, from item 2 (page 1)' in page
    assert '<a href="?page=3#item-8">Actions overdue</a>: 1 item, from item 8 (page 3)' in page

    second = coordinator_client.get(url, {"page": 2})
    assert agenda_numbers(second) == [4, 5, 6]
    assert "<h3>Red (continued)</h3>" in second.content.decode()
    assert "<h3>Amber</h3>" in second.content.decode()
    assert agenda_numbers(coordinator_client.get(url, {"page": 3})) == [7, 8]
    assert agenda_numbers(coordinator_client.get(url, {"page": "99"})) == [7, 8]  # the last page


def test_viewing_a_page_of_the_agenda_audits_who_was_on_that_page(
    long_meeting, coordinator_client, pages_of_three
):
    coordinator_client.get(reverse("meetings:agenda", args=[long_meeting.pk]), {"page": 2})
    event = AuditEvent.objects.filter(record_type="meeting_agenda").latest("at")
    on_page = long_meeting.items.filter(position__in=[4, 5, 6]).order_by("position")
    assert event.changes["shown"] == [str(item.person_id) for item in on_page]
    assert event.changes["page"] == 2


def test_every_page_of_the_agenda_runs_the_same_queries(
    long_meeting, coordinator_client, pages_of_three, django_assert_num_queries
):
    from tests.meetings.test_agenda import QUERIES_AGENDA

    url = reverse("meetings:agenda", args=[long_meeting.pk])
    coordinator_client.get(url)
    for page in (1, 2, 3):
        with django_assert_num_queries(QUERIES_AGENDA):
            coordinator_client.get(url, {"page": page})


def test_an_item_moved_onto_another_page_is_shown_where_it_went(
    long_meeting, coordinator_client, pages_of_three
):
    url = reverse("meetings:agenda", args=[long_meeting.pk])
    fourth = long_meeting.items.get(position=4)
    response = coordinator_client.post(f"{url}?page=2", {"do": "up", "item": fourth.pk})
    assert response["Location"] == f"{url}#item-3"  # page 1
    fourth.refresh_from_db()
    assert fourth.position == 3
    removed = long_meeting.items.get(position=7)
    response = coordinator_client.post(f"{url}?page=3", {"do": "remove", "item": removed.pk})
    assert response["Location"] == f"{url}?page=3#agenda"


def test_the_running_page_lists_the_items_around_the_one_discussed(
    long_meeting, coordinator_client, monkeypatch
):
    monkeypatch.setattr(views, "AROUND_ITEM", 4)
    monkeypatch.setattr(views, "BEFORE_ITEM", 1)
    items = list(long_meeting.items.select_related("person"))
    page = coordinator_client.get(item_url(items[4])).content.decode()
    agenda = page.split('aria-label="Agenda"')[1].split("</ol>")[0]
    assert re.findall(r">(\d+)\. ", agenda) == ["4", "5", "6", "7"]
    assert "Item 5 of 8" in page
    assert 'id="whole-agenda"' in page and "The whole agenda (8 items)" in page
    assert f'href="{item_url(items[3])}"><span class="nhsuk-pagination__title">Previous item' in page
    assert f'href="{item_url(items[5])}"><span class="nhsuk-pagination__title">Next item' in page

    last = coordinator_client.get(item_url(items[7])).content.decode()
    agenda = last.split('aria-label="Agenda"')[1].split("</ol>")[0]
    assert re.findall(r">(\d+)\. ", agenda) == ["5", "6", "7", "8"]  # filled from before near the end
    assert "Next item" not in last


def test_finishing_a_long_meeting_counts_every_item_not_discussed_and_names_the_first(
    long_meeting, coordinator_client, monkeypatch
):
    monkeypatch.setattr(views, "UNDISCUSSED_NAMED", 2)
    first, second, third = list(long_meeting.items.select_related("person"))[:3]
    coordinator_client.post(
        item_url(first), {"save": "notes", "notes-discussion": "Seen", "notes-decisions": ""}
    )
    page = coordinator_client.get(reverse("meetings:finish", args=[long_meeting.pk])).content.decode()
    undiscussed = page.split('id="undiscussed"')[1].split("</ul>")[0]
    assert "7 of 8 items not discussed" in undiscussed
    assert "The first 2 of them are below" in undiscussed
    assert re.findall(r'<li><a href="([^"]+)"', undiscussed) == [item_url(second), item_url(third)]


def test_a_page_of_the_agenda_with_only_referrals_on_it_is_audited_with_the_same_queries(
    client, other_register, django_assert_num_queries
):
    """A register with many referrals waiting has agenda pages of referrals only: the page still writes its
    audit event, naming the referrals shown, in the same queries as a page of people."""
    from tests.meetings.test_agenda import QUERIES_AGENDA

    coordinator = member(other_register, Role.COORDINATOR)
    referrals = [make_referral(other_register, given_name=name) for name in ("Ada", "Ben")]
    meeting = new_meeting(coordinator, other_register)
    client.force_login(coordinator)
    url = reverse("meetings:agenda", args=[meeting.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES_AGENDA):
        page = client.get(url).content.decode()
    assert "Ada" in page and "Ben" in page
    event = AuditEvent.objects.filter(record_type="meeting_agenda").latest("at")
    assert event.register_id == other_register.pk
    assert event.changes["shown"] == []
    assert sorted(event.changes["referrals"]) == sorted(str(r.pk) for r in referrals)
