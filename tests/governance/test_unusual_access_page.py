"""An IG officer asks "did anyone open records they should not have yesterday?" and follows each answer to
the events behind it in the audit trail."""

import datetime
import html
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.registers.models import Role
from tests.factories import member
from tests.governance.test_unusual_access import WEDNESDAY, at, opened, records

PAGE = reverse("governance:unusual_access")
THURSDAY = WEDNESDAY + datetime.timedelta(days=1)


def on_thursday():
    return time_machine.travel(at(THURSDAY, 9), tick=False)


def period(since: datetime.date, until: datetime.date) -> dict[str, str]:
    return {
        "since-day": str(since.day),
        "since-month": str(since.month),
        "since-year": str(since.year),
        "until-day": str(until.day),
        "until-month": str(until.month),
        "until-year": str(until.year),
    }


def rows(page: str, kind: str) -> list[str]:
    """One table of findings as a sighted reader sees it: one line of text per row."""
    table = re.search(rf'data-kind="{kind}">.*?<tbody[^>]*>(.*?)</tbody>', page, re.S)
    body = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S) if table else []
    hidden = r'<span class="nhsuk-u-visually-hidden">.*?</span>'
    return [" ".join(re.sub(r"<[^>]+>", " ", re.sub(hidden, "", row)).split()) for row in body]


def links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="(/governance/audit/\?[^"]+)"', page)]


@pytest.fixture
def ig_officer(register):
    return member(register, Role.IG, username="grace", first_name="Grace", last_name="Adeyemi")


@pytest.fixture
def ig_client(client, ig_officer):
    client.force_login(ig_officer)
    return client


@pytest.fixture
def keyworker(register):
    return member(register, Role.KEYWORKER, username="sam", first_name="Sam", last_name="Okafor")


def test_yesterdays_findings_are_shown_each_linked_to_its_events_in_the_audit_trail(
    ig_client, register, keyworker, person
):
    opened(keyworker, person, at(WEDNESDAY, 22, 10), times=2)  # at night, and not on their caseload
    opened(keyworker, person, at(WEDNESDAY - datetime.timedelta(days=1), 23))  # the day before: not shown

    with on_thursday():
        page = ig_client.get(PAGE).content.decode()

    assert "2 findings on 2 December 2026." in page
    assert rows(page, "out_of_hours") == [
        "2 December 2026 Sam Okafor sam Opened 1 record, 2 times in all, outside working hours See the events"
    ]
    assert rows(page, "outside_caseload") == [
        "2 December 2026 Sam Okafor sam Opened the record of someone not on their caseload, 2 times "
        "See the events"
    ]
    assert rows(page, "many_records") == []
    assert "Working hours: 08:00 to 18:00, Monday to Friday, except bank holidays in England." in page
    assert "at least 3 times the user's daily average over the 28 days before" in page
    # Staff names and counts only: nothing that names the person.
    assert person.given_name not in page and person.nhs_number not in page
    out_of_hours, outside_caseload = links(page)
    with on_thursday():
        trail = ig_client.get(out_of_hours).content.decode()
        assert "2 events." in trail
        trail = ig_client.get(outside_caseload).content.decode()
        assert f"2 events about {person.full_name}." in trail
        assert f"person={person.pk}" in outside_caseload


def test_a_chosen_period_shows_each_day_in_it(ig_client, register, keyworker, person):
    professional = member(register, Role.PROFESSIONAL, username="helen")
    monday = WEDNESDAY - datetime.timedelta(days=2)
    opened(professional, records(register, 1)[0], at(monday, 6))
    opened(professional, records(register, 1)[0], at(WEDNESDAY, 6))

    with on_thursday():
        page = ig_client.get(PAGE, period(monday, WEDNESDAY)).content.decode()

    assert "2 findings from 30 November 2026 to 2 December 2026." in page
    assert [row.split(" helen")[0] for row in rows(page, "out_of_hours")] == [
        f"2 December 2026 {professional.get_full_name()}",
        f"30 November 2026 {professional.get_full_name()}",
    ]


def test_a_period_the_wrong_way_round_or_too_long_is_refused_and_yesterday_shown(ig_client, register):
    with on_thursday():
        backwards = ig_client.get(PAGE, period(WEDNESDAY, WEDNESDAY - datetime.timedelta(days=1)))
        too_long = ig_client.get(PAGE, period(WEDNESDAY - datetime.timedelta(days=40), WEDNESDAY))

    assert backwards.status_code == too_long.status_code == 200
    assert "The date to show unusual access to must be the same as or after the date from" in (
        backwards.content.decode()
    )
    assert "Choose a period of 31 days or fewer" in too_long.content.decode()
    assert "0 findings on 2 December 2026." in too_long.content.decode()


def test_an_ig_officer_sees_only_their_own_registers(ig_client, register, other_register, keyworker, person):
    elsewhere = member(other_register, Role.PROFESSIONAL, username="kim")
    opened(elsewhere, records(other_register, 1)[0], at(WEDNESDAY, 23))

    with on_thursday():
        page = ig_client.get(PAGE).content.decode()

    assert "0 findings on 2 December 2026." in page
    assert "kim" not in page and other_register.name not in page


def test_reading_the_page_is_audited_as_a_list_of_users(ig_client, ig_officer, register, keyworker, person):
    opened(keyworker, person, at(WEDNESDAY, 22))

    with on_thursday():
        ig_client.get(PAGE)

    event = AuditEvent.objects.get(record_type="unusual_access")
    assert (event.action, event.user_id, event.register_id, event.person_id) == (
        AuditEvent.Action.LIST,
        ig_officer.pk,
        register.pk,
        None,
    )
    assert event.changes == {"since": "2026-12-02", "until": "2026-12-02", "users": [keyworker.pk]}


@pytest.mark.parametrize("size", [1, 10])
def test_the_page_runs_the_same_queries_however_many_findings(
    ig_client, register, keyworker, person, django_assert_num_queries, size
):
    for n in range(size):
        helper = member(register, Role.PROFESSIONAL, username=f"helper{n}")
        for person_read in records(register, 20):
            opened(helper, person_read, at(WEDNESDAY, 7))
        opened(keyworker, person, at(WEDNESDAY, 21))

    # session, user, memberships, the four of the findings, the audit line, and the savepoint and its
    # release around the request's transaction
    with on_thursday(), django_assert_num_queries(QUERIES_ON_THE_PAGE):
        response = ig_client.get(PAGE)

    assert response.status_code == 200
    assert len(rows(response.content.decode(), "many_records")) == size


QUERIES_ON_THE_PAGE = 10


def test_ig_officers_find_the_page_in_the_header_and_others_do_not(ig_client, coordinator):
    link = f'href="{PAGE}"'
    others = Client()
    others.force_login(coordinator)
    with on_thursday():
        assert link in ig_client.get(PAGE).content.decode()
        assert link not in others.get(reverse("people:list")).content.decode()
