"""Today's work: each role starts on what is due or overdue for them, most urgent first."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from dsr.actions import services as action_services
from dsr.audit.models import AuditEvent
from dsr.dates import years_before
from dsr.meetings import services as meeting_services
from dsr.meetings.models import Meeting
from dsr.people import services
from dsr.people.models import Person
from dsr.people.values import CareTeamMember
from dsr.registers.models import Role
from dsr.reviews import services as review_services
from dsr.workspace import today
from tests.factories import make_person, member
from tests.referrals.data import make_referral

TODAY = reverse("today")
STARTED = datetime.date(2026, 3, 2)  # a Monday: the people join and are rated that day
ON = STARTED + datetime.timedelta(days=22)  # the day the page is opened


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC), tick=False
    )


def keyworker_for(person, user, *, by, on):
    services.add_involvement(
        person=person,
        by=by,
        member=CareTeamMember(
            name=user.get_full_name() or user.username,
            role="Keyworker",
            organisation=None,
            contact="",
            user=user,
            is_keyworker=True,
            is_care_coordinator=False,
            is_lead_professional=False,
            started_on=on,
        ),
    )


@pytest.fixture
def world(register, other_register, coordinator):
    """On 2 March 2026: Ruby (red: review in 14 days, a C(E)TR within 28), Amir (amber: review in 28 days),
    Gina (green, escalated, an action due on 25 March and one in May), Tom (turning 18 on 15 June), and, in
    another register, Olive (red). A referral arrives on 22 March."""
    with at(STARTED):
        red = make_person(
            register=register, by=coordinator, given_name="Ruby", family_name="Red", rating="red"
        )
        amber = make_person(register=register, by=coordinator, given_name="Amir", family_name="Amber")
        green = make_person(
            register=register, by=coordinator, given_name="Gina", family_name="Green", rating="green"
        )
        turning = make_person(
            register=register,
            by=coordinator,
            given_name="Tom",
            family_name="Turner",
            rating="green",
            born=years_before(datetime.date(2026, 6, 15), 18),
        )
        meeting_services.escalate(person=green, reason="Placement at risk of breaking down", by=coordinator)
        soon = action_services.add_action(
            person=green,
            description="Find a short break placement",
            owner_name="Priya Shah",
            owner=coordinator,
            due_on=ON + datetime.timedelta(days=1),
            by=coordinator,
        )
        action_services.add_action(
            person=green,
            description="Plan the summer holidays",
            owner_name="Priya Shah",
            due_on=datetime.date(2026, 5, 20),
            by=coordinator,
        )
        other_coordinator = member(other_register, Role.COORDINATOR)
        olive = make_person(register=other_register, by=other_coordinator, given_name="Olive", rating="red")
        Meeting.objects.create(
            register=register,
            kind=Meeting.Kind.REGISTER,
            held_on=ON + datetime.timedelta(days=3),
            starts_at=datetime.time(10, 0),
            created_by=coordinator,
        )
    with at(ON):
        referral = make_referral(register, given_name="Rhys", family_name="Newman")
    return {
        "red": red,
        "amber": amber,
        "green": green,
        "turning": turning,
        "olive": olive,
        "action": soon,
        "referral": referral,
    }


def due_rows(html: str) -> list[str]:
    """The rows of the "due" table as text: 'when | what | who'."""
    table = html[html.index('id="due"') : html.index("</table>", html.index('id="due"'))]
    rows = re.findall(r"<tr role=\"row\" class=\"nhsuk-table__row\">(.*?)</tr>", table, re.S)
    text = [re.sub(r"<[^>]+>", " ", r) for r in rows]
    return [
        re.sub(r"\s+", " ", t.replace("Due ", "").replace("What ", "").replace("Who ", "")).strip()
        for t in text
    ]


def test_signing_in_lands_on_today(coordinator_client):
    assert coordinator_client.get(reverse("home"))["Location"] == TODAY


def test_a_coordinator_sees_what_is_due_this_week_or_overdue_most_overdue_first(coordinator_client, world):
    with at(ON):
        rows = due_rows(coordinator_client.get(TODAY).content.decode())
    assert rows[0].startswith("Overdue by 8 days")
    assert "Review of the rating" in rows[0] and "Ruby Red" in rows[0]
    assert any("Action (yours): Find a short break placement" in r and "Gina Green" in r for r in rows)
    assert any("C(E)TR" in r and "Ruby Red" in r for r in rows)
    assert any("Review of the rating" in r and "Amir Amber" in r for r in rows)
    assert any("Offer a consultation (target 7 days)" in r and "Rhys Newman" in r for r in rows)
    everything = " ".join(rows)
    assert "Plan the summer holidays" not in everything  # due in May
    assert "Olive" not in everything  # another register
    assert "Gina Green" in everything and "Review of the rating for Gina" not in everything


def test_each_thing_due_links_to_where_it_is_done(coordinator_client, world):
    with at(ON):
        html = coordinator_client.get(TODAY).content.decode()
    action = world["action"]
    assert reverse("actions:update", kwargs={"person_id": action.person_id, "action_id": action.pk}) in html
    assert reverse("people:detail", kwargs={"person_id": world["red"].pk}) in html
    assert reverse("referrals:detail", kwargs={"referral_id": world["referral"].pk}) in html


def test_escalations_meetings_and_people_turning_18_are_listed(coordinator_client, world):
    with at(ON):
        html = coordinator_client.get(TODAY).content.decode()
    escalated = html[html.index('id="escalated"') :]
    assert "Gina Green" in escalated[: escalated.index("</ul>")]
    assert "Placement at risk of breaking down" in html
    meetings = html[html.index('id="next-meetings"') :]
    assert "Monthly dynamic support register meeting</a>, 27 March 2026 at 10:00" in meetings
    turning = html[html.index('id="turning-adult"') :]
    assert "Tom Turner</a>: 18 on 15 June 2026" in turning[: turning.index("</ul>")]


def test_a_referral_not_yet_near_its_target_waits(coordinator_client, world):
    with at(ON - datetime.timedelta(days=30)):
        make_referral(world["red"].register, given_name="Early", family_name="Bird")
    with at(ON - datetime.timedelta(days=30)):
        html = coordinator_client.get(TODAY).content.decode()
    assert "Early Bird" in html  # due within the week it arrived
    with at(ON):
        html = coordinator_client.get(TODAY).content.decode()
    assert "Early Bird" in html and "Overdue by 23 days" in html


def test_a_keyworker_sees_contacts_due_with_their_caseload_and_their_own_actions(
    client, register, coordinator, world
):
    keyworker = member(register, Role.KEYWORKER, first_name="Sam", last_name="Okafor")
    with at(STARTED):
        keyworker_for(world["amber"], keyworker, by=coordinator, on=STARTED)
        action_services.add_action(
            person=world["amber"],
            description="Ring the school",
            owner_name="Sam Okafor",
            owner=keyworker,
            due_on=ON,
            by=coordinator,
        )
    client.force_login(keyworker)
    with at(ON):
        rows = due_rows(client.get(TODAY).content.decode())
    # Amber: a contact every 14 days from the allocation on 2 March, so due on 16 March.
    assert rows[0].startswith("Overdue by 8 days") and "Contact" in rows[0] and "Amir Amber" in rows[0]
    assert any(r.startswith("Today") and "Action (yours): Ring the school" in r for r in rows)
    everything = " ".join(rows)
    assert "Ruby Red" not in everything and "Gina Green" not in everything


def test_a_referrer_sees_their_referrals_and_where_each_has_got_to(client, register):
    referrer = member(register, Role.REFERRER)
    make_referral(register, by=referrer, given_name="Kai", family_name="Patel")
    make_referral(register, given_name="Someone", family_name="Else")
    client.force_login(referrer)
    assert client.get(reverse("home"))["Location"] == TODAY
    html = client.get(TODAY).content.decode()
    table = html[html.index('id="my-referrals"') :]
    assert "Kai Patel" in table and "Received" in table
    assert "Someone Else" not in html


def test_people_shown_are_audited_as_a_list(coordinator_client, coordinator, world):
    with at(ON):
        coordinator_client.get(TODAY)
    event = AuditEvent.objects.get(action=AuditEvent.Action.LIST, record_type="todays_work")
    assert event.user_id == coordinator.pk
    assert set(event.changes["shown"]) == {str(world[k].pk) for k in ("red", "amber", "green", "turning")}
    assert event.changes["referrals"] == [str(world["referral"].pk)]  # in the same event, one a register


def test_roles_without_a_day_of_work_here_are_refused(client, register):
    client.force_login(member(register, Role.ANALYST))
    assert client.get(TODAY).status_code == 403


@pytest.mark.parametrize("size", [2, 12])
def test_today_runs_the_same_queries_whatever_the_number_of_people(
    client, register, coordinator, django_assert_num_queries, size
):
    keyworker = member(register, Role.KEYWORKER)
    with at(STARTED):
        for n in range(size):
            person = make_person(register=register, by=coordinator, given_name=f"Q{n}", rating="red")
            keyworker_for(person, keyworker, by=coordinator, on=STARTED)
            meeting_services.escalate(person=person, reason="Stuck", by=coordinator)
            action_services.add_action(
                person=person, description="Call", owner_name="K", owner=keyworker, due_on=ON, by=coordinator
            )
            make_referral(register, given_name=f"R{n}")
    for user, queries in ((coordinator, QUERIES_FOR_A_COORDINATOR), (keyworker, QUERIES_FOR_A_KEYWORKER)):
        client.force_login(user)
        with at(ON), django_assert_num_queries(queries):
            assert client.get(TODAY).status_code == 200
    # The same once everyone's due date is worked out, as it is after every change and every night.
    with at(ON):
        assert review_services.refresh_every_due_date() == size
    client.force_login(coordinator)
    with at(ON), django_assert_num_queries(QUERIES_FOR_A_COORDINATOR):
        assert client.get(TODAY).status_code == 200


# session, user, memberships; the people most urgently due; they and those not yet worked out, each with
# what their rating requires; how many are due in all; those escalated or turning 18; actions; referrals;
# meetings; one audit line (the people and referrals shown); the savepoint and its release around the request.
QUERIES_FOR_A_COORDINATOR = 13
# session, user, memberships; actions; caseload; one audit line; the savepoint and its release.
QUERIES_FOR_A_KEYWORKER = 8


def test_a_register_with_more_due_than_a_page_shows_the_most_urgent_and_audits_only_them(
    coordinator_client, world, monkeypatch
):
    """Thousands can be due in a large register: the page shows the most urgent, says how many there are in
    all, points to the register list sorted most overdue first, and audits only the people it showed."""
    monkeypatch.setattr(today, "SHOWN_DUE", 1)
    with at(ON):
        html = coordinator_client.get(TODAY).content.decode()
    rows = due_rows(html)
    assert len(rows) == 1 and "Ruby Red" in rows[0]
    assert re.search(
        r"The 1 most urgent \(something is due for \d+ people\): the <a href=\"[^\"]+\?sort=overdue\">", html
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.LIST, record_type="todays_work")
    # Ruby, whose rating review is the most overdue; Gina (escalated) and Tom (turning 18) are listed below.
    assert set(event.changes["shown"]) == {str(world[k].pk) for k in ("red", "green", "turning")}
    assert event.changes["referrals"] == []


def test_the_page_lists_the_same_whether_due_dates_are_worked_out_or_not(coordinator_client, world):
    """Due dates kept on each person (worked out at night and after every change) let the page read the most
    urgent people from an index; a person not yet worked out is worked out by the page itself."""
    with at(ON):
        before = due_rows(coordinator_client.get(TODAY).content.decode())
        review_services.refresh_due_dates(Person.objects.all())
        assert Person.objects.filter(due_on__isnull=True).count() == 0
        after = due_rows(coordinator_client.get(TODAY).content.decode())
        Person.objects.filter(pk=world["red"].pk).update(due_on=None)
        one_not_worked_out = due_rows(coordinator_client.get(TODAY).content.decode())
    assert before == after == one_not_worked_out
    assert any("C(E)TR" in r and "Ruby Red" in r for r in after)


def test_with_due_dates_worked_out_the_most_urgent_people_are_shown(coordinator_client, world, monkeypatch):
    with at(ON):
        review_services.refresh_due_dates(Person.objects.all())
        monkeypatch.setattr(today, "SHOWN_DUE", 1)
        html = coordinator_client.get(TODAY).content.decode()
    rows = due_rows(html)
    assert len(rows) == 1 and "Ruby Red" in rows[0] and "Review of the rating" in rows[0]
    # Ruby and Amir have something due within the week; Gina's action is counted among the actions.
    assert "(something is due for 2 people)" in html
