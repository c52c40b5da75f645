"""Actions: agreed on a person's page, followed up until done or no longer needed, listed in "My actions"."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from dsr.actions import services
from dsr.actions.models import Action, ActionUpdate
from dsr.registers.models import Role
from tests.factories import MembershipFactory, make_person, member
from tests.pages import allocate, audit_changes, date_fields, detail_url, field_error
from tests.rights.populated import text_of

D = datetime.date
FIXED = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
TODAY = D(2026, 3, 1)
MINE = reverse("actions:mine")


def update_url(action) -> str:
    return reverse("actions:update", args=[action.person_id, action.pk])


def an_action(person, by, *, owner=None, due_on=TODAY, description="Book a sensory assessment") -> Action:
    return services.add_action(
        person=person, description=description, owner_name="Sam Okafor", owner=owner, due_on=due_on, by=by
    )


@time_machine.travel(FIXED)  # the clock ticks, so the history has an order
def test_an_action_goes_from_open_to_done_with_a_note_and_keeps_its_history(coordinator_client, person):
    response = coordinator_client.post(
        reverse("actions:add", args=[person.pk]),
        {
            "description": "Book a sensory assessment",
            "owner_name": "Sam Okafor",
            **date_fields("due_on", D(2026, 3, 14)),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(person=person)
    assert (action.status, action.due_on) == ("open", D(2026, 3, 14))
    before = audit_changes()
    response = coordinator_client.post(
        update_url(action), {"status": "done", "note": "Assessment booked for 2 April"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.status_note, action.closed_on) == (
        "done",
        "Assessment booked for 2 April",
        TODAY,
    )
    assert list(action.updates.values_list("status", "note")) == [
        ("open", ""),
        ("done", "Assessment booked for 2 April"),
    ]
    assert audit_changes() == before + 2  # the action's fields, and the history entry
    page = text_of(coordinator_client.get(update_url(action)).content.decode())
    assert "Agreed, due 14 March 2026" in page
    assert "Done. Assessment booked for 2 April" in page


@time_machine.travel(FIXED, tick=False)
def test_no_longer_needed_without_a_note_is_refused_and_nothing_changes(
    coordinator_client, person, coordinator
):
    action = an_action(person, coordinator)
    before = audit_changes()
    response = coordinator_client.post(update_url(action), {"status": "no_longer_needed", "note": "  "})
    assert response.status_code == 200
    assert field_error(response, "note") == "Enter why the action is no longer needed"
    action.refresh_from_db()
    assert action.status == "open"
    assert ActionUpdate.objects.filter(action=action).count() == 1
    assert audit_changes() == before


@time_machine.travel(FIXED)
def test_an_open_action_can_move_its_due_date_with_the_move_in_its_history(
    coordinator_client, person, coordinator
):
    action = an_action(person, coordinator)
    response = coordinator_client.post(
        update_url(action), {"status": "open", "note": "Waiting list", **date_fields("due_on", D(2026, 4, 1))}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.due_on) == ("open", D(2026, 4, 1))
    assert action.updates.last().due_on == D(2026, 4, 1)


@time_machine.travel(FIXED, tick=False)
def test_my_actions_lists_the_users_open_actions_overdue_first_and_offers_escalation(
    client, register, coordinator
):
    keyworker = member(register, Role.KEYWORKER)
    person = make_person(register=register, by=coordinator, given_name="Jamie", family_name="Rivers")
    allocate(person, keyworker, coordinator)
    an_action(person, coordinator, owner=keyworker, due_on=D(2026, 3, 20), description="Later one")
    an_action(person, coordinator, owner=keyworker, due_on=D(2026, 2, 25), description="Overdue one")
    an_action(person, coordinator, owner=keyworker, due_on=D(2026, 1, 1), description="Long overdue one")
    an_action(person, coordinator, owner=coordinator, description="Someone else's")
    done = an_action(person, coordinator, owner=keyworker, description="Done one")
    services.update_action(action=done, status="done", note="Done", by=coordinator)
    client.force_login(keyworker)
    page = text_of(client.get(MINE).content.decode())
    assert page.index("Long overdue one") < page.index("Overdue one") < page.index("Later one")
    assert "Someone else's" not in page and "Done one" not in page
    assert "Long overdue one Person Jamie Rivers" in page
    assert "Overdue by 59 days Offered for escalation to the oversight panel" in page
    assert "Overdue by 4 days Open" not in page and "Overdue by 4 days" in page


@time_machine.travel(FIXED, tick=False)
def test_my_actions_leaves_out_people_the_user_may_not_open(client, register, coordinator):
    keyworker = member(register, Role.KEYWORKER)
    person = make_person(register=register, by=coordinator)  # the keyworker is not allocated to them
    an_action(person, coordinator, owner=keyworker, description="Not for their eyes")
    client.force_login(keyworker)
    assert "Not for their eyes" not in client.get(MINE).content.decode()


@time_machine.travel(FIXED, tick=False)
def test_a_keyworker_updates_only_the_actions_they_own(client, register, coordinator):
    keyworker = member(register, Role.KEYWORKER)
    person = make_person(register=register, by=coordinator)
    allocate(person, keyworker, coordinator)
    theirs = an_action(person, coordinator, owner=keyworker)
    not_theirs = an_action(person, coordinator, owner=coordinator)
    client.force_login(keyworker)
    assert client.get(update_url(theirs)).status_code == 200
    assert client.post(update_url(not_theirs), {"status": "done", "note": "x"}).status_code == 403
    not_theirs.refresh_from_db()
    assert not_theirs.status == "open"
    page = client.get(detail_url(person)).content.decode()
    assert update_url(theirs) in page and update_url(not_theirs) not in page


@time_machine.travel(FIXED, tick=False)
def test_the_person_page_shows_overdue_actions_and_the_escalation_offer(
    coordinator_client, person, coordinator
):
    an_action(person, coordinator, due_on=D(2026, 1, 15), description="Chase the school")
    page = text_of(coordinator_client.get(detail_url(person)).content.decode())
    assert "Chase the school Sam Okafor 15 January 2026 Overdue by 45 days Offered for escalation" in page


@pytest.mark.parametrize("size", [1, 15])
def test_my_actions_runs_the_same_queries_whatever_the_number(
    client, register, coordinator, django_assert_num_queries, size
):
    for n in range(size):
        person = make_person(register=register, by=coordinator, given_name=f"P{n}")
        an_action(person, coordinator, owner=coordinator, due_on=D.today() - datetime.timedelta(days=n))
    client.force_login(coordinator)
    # session, user, memberships, the actions with their people, the audit line, and the savepoint and
    # its release around the request's transaction.
    with django_assert_num_queries(QUERIES_ON_MY_ACTIONS):
        response = client.get(MINE)
    assert response.status_code == 200


QUERIES_ON_MY_ACTIONS = 7


def test_only_people_who_work_with_the_register_can_own_an_action(register, coordinator_client, person):
    member(register, Role.PROFESSIONAL, username="panel", first_name="Helen", last_name="Marsh")
    member(register, Role.IG, username="ig", first_name="Grace", last_name="Adeyemi")
    member(register, Role.REFERRER, username="school", first_name="Tom", last_name="Whitfield")
    page = coordinator_client.get(reverse("actions:add", args=[person.pk])).content.decode()
    assert "Helen Marsh" in page and "Priya Shah" in page
    assert "Grace Adeyemi" not in page and "Tom Whitfield" not in page


def test_my_actions_lists_actions_in_every_register_whichever_one_the_user_is_working_in(
    client, register, other_register, coordinator
):
    from dsr.access import SESSION_KEY

    helen = member(register, Role.PROFESSIONAL, username="helen")
    MembershipFactory(user=helen, register=other_register, role=Role.PROFESSIONAL)
    here = make_person(register=register, by=coordinator, given_name="Here")
    elsewhere_coordinator = member(other_register, Role.COORDINATOR, username="else")
    there = make_person(register=other_register, by=elsewhere_coordinator, given_name="There")
    an_action(here, coordinator, owner=helen, description="Action on the first register")
    an_action(there, elsewhere_coordinator, owner=helen, description="Action on the other register")
    client.force_login(helen)
    session = client.session
    session[SESSION_KEY] = other_register.pk
    session.save()
    page = client.get(MINE).content.decode()
    assert "Action on the first register" in page
    assert "Action on the other register" in page
