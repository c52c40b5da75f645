"""An IG officer answers "who was given access to our register last month, who asked, and who approved it"."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from dsr.administration import services
from dsr.registers.models import GrantRequest, Membership, Role
from tests.factories import UserFactory, member

PAGE = reverse("access:changes")


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC))


def period(since: datetime.date, until: datetime.date) -> dict[str, str]:
    return {
        "since-day": str(since.day),
        "since-month": str(since.month),
        "since-year": str(since.year),
        "until-day": str(until.day),
        "until-month": str(until.month),
        "until-year": str(until.year),
    }


def rows(response) -> list[str]:
    """The table of changes as a sighted reader sees it: one line of text per row."""
    page = response.content.decode()
    table = re.search(r'id="access-changes">.*?<tbody[^>]*>(.*?)</tbody>', page, re.S)
    body = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S) if table else []
    hidden = r'<span class="nhsuk-u-visually-hidden">.*?</span>'
    return [" ".join(re.sub(r"<[^>]+>", " ", re.sub(hidden, "", row)).split()) for row in body]


@pytest.fixture
def administrator(register):
    return member(register, Role.ADMIN, username="alex", is_staff=True, is_superuser=True)


@pytest.fixture
def ig_officer(register):
    return member(register, Role.IG, username="grace")


@pytest.fixture
def ig_client(client, ig_officer):
    client.force_login(ig_officer)
    return client


def test_the_page_lists_the_changes_in_the_period_chosen_and_none_outside_it(
    ig_client, administrator, ig_officer, register, other_register
):
    early, sam, kim = UserFactory(username="early"), UserFactory(username="sam"), UserFactory(username="kim")
    with on(datetime.date(2026, 10, 1)):
        services.set_role(user=early, register=register, role=Role.ANALYST, by=administrator)
    with on(datetime.date(2026, 10, 20)):
        grant = services.set_role(
            user=sam, register=register, role=Role.COORDINATOR, reason="New coordinator", by=administrator
        )
        services.decide(grant=grant, approve=True, by=ig_officer)
        services.set_role(user=kim, register=other_register, role=Role.ANALYST, by=administrator)
    with on(datetime.date(2026, 11, 15)):
        services.remove_membership(membership=Membership.objects.get(user=sam), by=administrator)

    response = ig_client.get(PAGE, period(datetime.date(2026, 10, 10), datetime.date(2026, 10, 31)))

    assert response.status_code == 200
    found = rows(response)
    assert len(found) == 3
    assert found[0].startswith("20 October 2026 at 11:00")
    assert [row.split(" ", 5)[5] for row in found] == [
        f"Granted sam Register coordinator in {register} grace",
        f"Approved sam Register coordinator in {register} grace",
        f"Requested sam Register coordinator in {register}. Why: New coordinator alex",
    ]
    assert "Changes from 10 October 2026 to 31 October 2026" in response.content.decode()
    assert "3 changes, most recent first." in response.content.decode()


def test_without_dates_the_page_shows_the_last_30_days(ig_client, administrator, register):
    with on(datetime.date(2026, 9, 1)):
        services.set_role(
            user=UserFactory(username="long_ago"), register=register, role="analyst", by=administrator
        )
    with on(datetime.date(2026, 10, 5)):
        services.set_role(
            user=UserFactory(username="lately"), register=register, role="analyst", by=administrator
        )
    with on(datetime.date(2026, 10, 20)):
        response = ig_client.get(PAGE)
    found = rows(response)
    assert len(found) == 1
    assert "lately" in found[0]
    assert 'value="20"' in response.content.decode()  # the dates shown are the ones used


def test_each_change_links_to_its_event_and_to_the_person_in_the_audit_trail(
    ig_client, administrator, register
):
    services.set_role(user=UserFactory(username="sam"), register=register, role="analyst", by=administrator)
    page = ig_client.get(PAGE).content.decode()
    event_link = re.search(r'href="(/governance/audit/\?event=\d+)"', page).group(1)
    assert "1 event." in ig_client.get(event_link).content.decode()
    assert re.search(r'href="/governance/audit/\?username=sam&amp;since-day=', page)


def test_waiting_requests_are_listed_first_with_a_link_to_decide_them(ig_client, administrator, register):
    grant = services.set_role(
        user=UserFactory(username="sam"),
        register=register,
        role="keyworker",
        reason="Keyworker",
        by=administrator,
    )
    page = ig_client.get(PAGE).content.decode()
    assert reverse("access:decide", args=[grant.pk]) in page
    assert "Keyworker in " in page
    decide = ig_client.get(reverse("access:decide", args=[grant.pk])).content.decode()
    assert "Save decision" in decide
    assert "Keyworker" in decide


def test_a_request_for_another_registers_access_does_not_exist_for_this_ig_officer(
    ig_client, administrator, other_register
):
    member(other_register, Role.ADMIN, username="elsewhere", is_staff=True, is_superuser=True)
    grant = services.set_role(
        user=UserFactory(), register=other_register, role="coordinator", reason="Theirs", by=administrator
    )
    assert ig_client.get(reverse("access:decide", args=[grant.pk])).status_code == 404
    assert (
        ig_client.post(reverse("access:decide", args=[grant.pk]), {"decision": "approve"}).status_code == 404
    )
    assert GrantRequest.objects.get().is_pending


def test_a_period_that_ends_before_it_starts_is_explained(ig_client):
    response = ig_client.get(PAGE, period(datetime.date(2026, 10, 31), datetime.date(2026, 10, 1)))
    assert response.status_code == 200
    assert (
        "The date to show changes to must be the same as or after the date from" in response.content.decode()
    )


def test_the_ig_officers_header_links_to_the_page(ig_client):
    page = ig_client.get(reverse("governance:audit_trail")).content.decode()
    assert f'href="{PAGE}"' in page
    assert "Access changes" in page


@pytest.mark.parametrize("changes", [1, 25])
def test_the_page_runs_a_fixed_number_of_queries_however_many_changes(
    ig_client, administrator, ig_officer, register, django_assert_num_queries, changes
):
    for n in range(changes):
        user = UserFactory()
        grant = services.set_role(
            user=user, register=register, role="professional", reason="Panel", by=administrator
        )
        if n % 2:
            services.decide(grant=grant, approve=True, by=ig_officer)
    services.set_role(
        user=UserFactory(), register=register, role="keyworker", reason="Waiting", by=administrator
    )
    # The session, the user, their memberships; the changes counted and one page of them; the requests
    # waiting; and the savepoint the request runs in.
    with django_assert_num_queries(8):
        assert ig_client.get(PAGE).status_code == 200
