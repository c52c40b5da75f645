"""Taking a person off the register: they leave the working list and their episode ends."""

import datetime
import re

import pytest
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import format_date, today
from dsr.people.models import Episode, Person
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.pages import audit_changes, date_fields, detail_url, error_summary, field_error

LIST = reverse("people:list")


def leave_url(person) -> str:
    return reverse("people:remove_from_register", kwargs={"person_id": person.pk})


def stored(person) -> dict:
    """The person's status, episodes and the audit trail, to show that a refused form changed nothing."""
    return {
        "status": Person.objects.get(pk=person.pk).status,
        "episodes": list(Episode.objects.filter(person=person).values_list("pk", "left_on", "left_reason")),
        "audit changes": audit_changes(),
    }


@pytest.fixture
def person(register, coordinator):
    """Jamie, on the register for the last 90 days."""
    joined = datetime.datetime.combine(
        today() - datetime.timedelta(days=90), datetime.time(12), tzinfo=datetime.UTC
    )
    return make_person(
        register=register, by=coordinator, given_name="Jamie", family_name="Rivers", joined_at=joined
    )


def test_leaving_ends_the_episode_and_takes_the_person_off_the_register_list(coordinator_client, person):
    assert "Rivers, Jamie" in coordinator_client.get(LIST).content.decode()
    left_on = today() - datetime.timedelta(days=1)

    response = coordinator_client.post(
        leave_url(person), {**date_fields("left_on", left_on), "reason": " Moved out of area "}
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    listing = coordinator_client.get(LIST).content.decode()
    assert "Jamie Rivers has left the register" in listing
    assert "Rivers, Jamie" not in listing
    person.refresh_from_db()
    assert person.status == Person.Status.LEFT
    episode = Episode.objects.get(person=person)
    assert (episode.left_on, episode.left_reason) == (left_on, "Moved out of area")


def test_leaving_is_audited_on_the_person_and_the_episode(coordinator_client, person, coordinator):
    last_before = AuditEvent.objects.order_by("id").last().id

    coordinator_client.post(
        leave_url(person), {**date_fields("left_on", today()), "reason": "Moved out of area"}
    )

    changed = AuditEvent.objects.filter(id__gt=last_before, action=AuditEvent.Action.CHANGE)
    assert set(changed.values_list("record_type", flat=True)) == {"person", "episode"}
    assert set(changed.values_list("user_id", flat=True)) == {coordinator.pk}
    assert changed.get(record_type="person").changes == {"status": ["active", "left"]}


def test_person_who_left_still_has_a_record_saying_so(coordinator_client, person):
    coordinator_client.post(
        leave_url(person), {**date_fields("left_on", today()), "reason": "Moved out of area"}
    )

    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Jamie has left the register" in html
    assert f"Left {format_date(today())}: Moved out of area" in html
    assert "Change the rating" not in html


@pytest.mark.parametrize("reason", ["", "   "])
def test_leaving_without_a_reason_is_refused(coordinator_client, person, reason):
    before = stored(person)

    response = coordinator_client.post(
        leave_url(person), {**date_fields("left_on", today()), "reason": reason}
    )

    message = "Enter why this person is leaving the register"
    assert response.status_code == 200
    assert field_error(response, "reason") == message
    assert ("#id_reason", message) in error_summary(response)
    assert stored(person) == before
    assert "Rivers, Jamie" in coordinator_client.get(LIST).content.decode()


def test_leaving_before_joining_is_refused(coordinator_client, person):
    before = stored(person)
    joined_on = Episode.objects.get(person=person).joined_on

    response = coordinator_client.post(
        leave_url(person),
        {**date_fields("left_on", joined_on - datetime.timedelta(days=1)), "reason": "Error"},
    )

    assert field_error(response, "left_on") == "The date must be on or after the day they joined"
    assert stored(person) == before


def test_leaving_in_the_future_is_refused(coordinator_client, person):
    before = stored(person)

    response = coordinator_client.post(
        leave_url(person),
        {**date_fields("left_on", today() + datetime.timedelta(days=1)), "reason": "Moving"},
    )

    assert field_error(response, "left_on") == "The date must not be in the future"
    assert stored(person) == before


def test_leaving_twice_is_refused(coordinator_client, person):
    coordinator_client.post(
        leave_url(person), {**date_fields("left_on", today()), "reason": "Moved out of area"}
    )
    before = stored(person)

    response = coordinator_client.post(
        leave_url(person), {**date_fields("left_on", today()), "reason": "Again"}
    )

    assert response.status_code == 403
    assert "has left the register" in response.content.decode()
    assert stored(person) == before


def test_leaving_page_warns_what_happens_to_the_record(coordinator_client, person):
    html = coordinator_client.get(leave_url(person)).content.decode()

    assert "They will leave every working list" in html
    assert re.search(rf'id="left_on-day"[^>]*value="{today().day}"', html)


def test_professional_may_not_take_someone_off_the_register(client, register, person):
    client.force_login(member(register, Role.PROFESSIONAL))
    before = stored(person)

    response = client.post(
        leave_url(person), {**date_fields("left_on", today()), "reason": "Moved out of area"}
    )

    assert response.status_code == 403
    assert stored(person) == before
