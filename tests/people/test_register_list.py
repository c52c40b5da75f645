import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from dsr.actions import services as action_services
from dsr.audit.models import AuditEvent
from dsr.people import services
from dsr.people.models import Rating
from dsr.people.values import AdmissionDetails, CareTeamMember
from dsr.ratings.models import RiskFactor
from dsr.ratings.services import record_rating
from dsr.registers.models import Role
from tests.factories import RegisterFactory, make_person, member

LIST = reverse("people:list")


@pytest.fixture
def register(db):
    """A register for ages 0 to 25, so children and adults can be listed together."""
    return RegisterFactory(name="Barking and Dagenham", short_name="Barking and Dagenham", max_age=25)


def names_listed(response) -> list[str]:
    """The people in the results table, in order, as 'Family, Given'."""
    html = response.content.decode()
    table = html[html.index('id="people"') :] if 'id="people"' in html else ""
    return re.findall(r'<a href="/people/[0-9a-f-]{36}/">([^<]+)</a>', table)


def rate(person, rating, *, due, by):
    record_rating(
        person=person,
        rating=rating,
        rationale="Reviewed at the monthly meeting",
        factors=RiskFactor.objects.all()[:1],
        next_review_due=due,
        by=by,
    )


@pytest.fixture
def people(register, coordinator):
    """Four people: a red child overdue, an amber child, a green adult, a blue adult."""
    today = datetime.date.today()
    red = make_person(
        register=register,
        by=coordinator,
        given_name="Ruby",
        family_name="Red",
        rating="red",
        joined_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
        born=today - datetime.timedelta(days=10 * 365),
    )
    amber = make_person(
        register=register,
        by=coordinator,
        given_name="Amir",
        family_name="Amber",
        rating="amber",
        born=today - datetime.timedelta(days=15 * 365),
    )
    green = make_person(
        register=register,
        by=coordinator,
        given_name="Gina",
        family_name="Green",
        rating="green",
        born=today - datetime.timedelta(days=20 * 365),
    )
    blue = make_person(
        register=register,
        by=coordinator,
        given_name="Bob",
        family_name="Blue",
        rating="amber",
        born=today - datetime.timedelta(days=22 * 365),
    )
    services.record_admission(
        person=blue,
        by=coordinator,
        admission=AdmissionDetails(
            hospital="Ashford ATU",
            admitted_on=today,
            legal_status="section_2",
            out_of_area=False,
            secure_service=False,
        ),
    )
    return {"red": red, "amber": amber, "green": green, "blue": blue}


def test_list_counts_people_by_rating_at_the_top(coordinator_client, people):
    html = coordinator_client.get(LIST).content.decode()
    for rating in ("Red", "Amber", "Green", "Blue"):
        assert re.search(rf'dsr-rating-count__number">1</span> {rating}', html), rating
    assert 'dsr-rating-count__number">4</span> in all' in html


def test_list_is_sorted_by_next_review_due_with_overdue_first(coordinator_client, people):
    listed = names_listed(coordinator_client.get(LIST))
    assert listed[0] == "Red, Ruby"
    assert "Overdue by" in coordinator_client.get(LIST).content.decode()


def test_list_can_be_sorted_by_last_name(coordinator_client, people):
    listed = names_listed(coordinator_client.get(LIST, {"sort": "name"}))
    assert listed == ["Amber, Amir", "Blue, Bob", "Green, Gina", "Red, Ruby"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"rating": "red"}, ["Red, Ruby"]),
        ({"rating": ["red", "blue"]}, ["Red, Ruby", "Blue, Bob"]),
        ({"age_group": "children"}, ["Red, Ruby", "Amber, Amir"]),
        ({"age_group": "adults"}, ["Green, Gina", "Blue, Bob"]),
        ({"overdue": "true"}, ["Red, Ruby"]),
        ({"q": "gina"}, ["Green, Gina"]),
        ({"q": "amir amber"}, ["Amber, Amir"]),
    ],
)
def test_list_filters(coordinator_client, people, query, expected):
    assert sorted(names_listed(coordinator_client.get(LIST, query))) == sorted(expected)


def test_search_by_nhs_number_allows_spaces(coordinator_client, people):
    number = people["green"].nhs_number
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    assert names_listed(coordinator_client.get(LIST, {"q": spaced})) == ["Green, Gina"]


def test_the_keyworker_filter_offers_each_keyworker_by_name_or_username(coordinator_client, register):
    named = member(register, Role.KEYWORKER, first_name="Sam", last_name="Okafor")
    unnamed = member(register, Role.KEYWORKER, username="kw-no-name", first_name="", last_name="")
    member(register, Role.ANALYST, first_name="Ana", last_name="Lyst")  # has no caseload
    html = coordinator_client.get(LIST).content.decode()
    offered = dict(re.findall(r'<option value="(\d+)"[^>]*>\s*([^<]*?)\s*</option>', html))
    assert offered[str(named.pk)] == "Sam Okafor"
    assert offered[str(unnamed.pk)] == "kw-no-name"
    assert "Ana Lyst" not in offered.values()


def test_the_keyworker_filter_shows_the_keyworker_chosen_and_names_as_they_are_now(
    coordinator_client, register
):
    """Each worker keeps the filter's HTML for the next page (it can offer hundreds of names): the next
    page still shows who was chosen, and a keyworker's new name."""
    sam = member(register, Role.KEYWORKER, first_name="Sam", last_name="Okafor")
    kim = member(register, Role.KEYWORKER, first_name="Kim", last_name="Ali")

    def chosen(response) -> list[str]:
        return re.findall(r'<option value="([^"]*)" selected\s*>', response.content.decode())

    assert chosen(coordinator_client.get(LIST, {"keyworker": sam.pk})) == [str(sam.pk)]
    assert chosen(coordinator_client.get(LIST, {"keyworker": kim.pk})) == [str(kim.pk)]
    assert chosen(coordinator_client.get(LIST)) == []
    kim.last_name = "Ali-Hassan"
    kim.save()
    assert "Kim Ali-Hassan" in coordinator_client.get(LIST).content.decode()


def test_filter_by_keyworker_and_by_no_keyworker(coordinator_client, register, coordinator, people):
    keyworker = member(register, Role.KEYWORKER, first_name="Sam", last_name="Okafor")
    services.add_involvement(
        person=people["amber"],
        by=coordinator,
        member=CareTeamMember(
            name="Sam Okafor",
            role="Keyworker",
            organisation=None,
            contact="",
            user=keyworker,
            is_keyworker=True,
            is_care_coordinator=False,
            is_lead_professional=False,
            started_on=datetime.date.today(),
        ),
    )
    assert names_listed(coordinator_client.get(LIST, {"keyworker": keyworker.pk})) == ["Amber, Amir"]
    assert "Amber, Amir" not in names_listed(coordinator_client.get(LIST, {"keyworker": "none"}))
    assert "Sam Okafor" in coordinator_client.get(LIST).content.decode()


def test_people_who_left_the_register_leave_the_list(coordinator_client, coordinator, people):
    services.remove_from_register(
        person=people["green"], left_on=datetime.date.today(), reason="Settled", by=coordinator
    )
    assert "Green, Gina" not in names_listed(coordinator_client.get(LIST))


def test_an_unknown_filter_value_is_ignored_not_an_error(coordinator_client, people):
    response = coordinator_client.get(
        LIST, {"rating": "purple", "age_group": "x", "page": "abc", "keyworker": "9"}
    )
    assert response.status_code == 200


def test_list_is_paginated(coordinator_client, register, coordinator):
    for n in range(30):
        make_person(register=register, by=coordinator, given_name=f"P{n:02d}", family_name="Paged")
    first = coordinator_client.get(LIST, {"sort": "name"})
    second = coordinator_client.get(LIST, {"sort": "name", "page": 2})
    assert names_listed(first) == [f"Paged, P{n:02d}" for n in range(25)]
    assert names_listed(second) == [f"Paged, P{n:02d}" for n in range(25, 30)]
    assert "Page 2 of 2" in first.content.decode()
    assert "sort=name&amp;page=2" in first.content.decode()


def test_a_later_page_goes_on_where_the_first_stopped(coordinator_client, register, coordinator):
    """Sorted by next review, soonest first: whoever joined earliest is due first."""
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for n in range(30):
        make_person(
            register=register,
            by=coordinator,
            given_name=f"P{n:02d}",
            family_name="Paged",
            joined_at=start - datetime.timedelta(days=n),
        )
    first = names_listed(coordinator_client.get(LIST))
    second = names_listed(coordinator_client.get(LIST, {"page": 2}))
    assert first + second == [f"Paged, P{n:02d}" for n in reversed(range(30))]


def test_listing_people_is_audited_with_who_was_shown(coordinator_client, coordinator, people):
    coordinator_client.get(LIST, {"rating": "red"})
    event = AuditEvent.objects.get(action=AuditEvent.Action.LIST)
    assert event.user_id == coordinator.pk
    assert event.changes["filters"] == {"rating": "red"}
    assert event.changes["shown"] == [str(people["red"].pk)]


def test_htmx_request_gets_only_the_results(coordinator_client, people):
    response = coordinator_client.get(LIST, {"rating": "red"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert names_listed(response) == ["Red, Ruby"]


@pytest.mark.parametrize("size", [3, 30])
def test_list_runs_the_same_queries_whatever_the_number_of_people(
    client, register, coordinator, django_assert_num_queries, size
):
    for n in range(size):
        person = make_person(register=register, by=coordinator, given_name=f"Q{n}")
        services.add_involvement(
            person=person,
            by=coordinator,
            member=CareTeamMember(
                name="Sam",
                role="Keyworker",
                organisation=None,
                contact="",
                user=None,
                is_keyworker=True,
                is_care_coordinator=False,
                is_lead_professional=False,
                started_on=datetime.date.today(),
            ),
        )
    client.force_login(coordinator)
    with django_assert_num_queries(QUERIES_ON_REGISTER_LIST):
        response = client.get(LIST, {"rating": ["amber", "red"], "age_group": "children"})
    assert response.status_code == 200


# session, user, memberships, keyworker choices, rating counts, page count, the page's people (ids), their
# rows, audit line and the savepoint and its release around the request's transaction.
QUERIES_ON_REGISTER_LIST = 11


@time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_age_group_boundary_is_the_eighteenth_birthday(coordinator_client, register, coordinator):
    make_person(register=register, by=coordinator, given_name="Seventeen", born=datetime.date(2008, 3, 2))
    make_person(register=register, by=coordinator, given_name="Eighteen", born=datetime.date(2008, 3, 1))
    children = names_listed(coordinator_client.get(LIST, {"age_group": "children"}))
    adults = names_listed(coordinator_client.get(LIST, {"age_group": "adults"}))
    assert children == ["Example, Seventeen"]
    assert adults == ["Example, Eighteen"]


def test_rating_counts_follow_a_rating_change(coordinator_client, coordinator, people):
    rate(people["green"], Rating.RED, due=datetime.date.today() + datetime.timedelta(days=7), by=coordinator)
    html = coordinator_client.get(LIST).content.decode()
    assert 'dsr-rating-count__number">2</span> Red' in html
    assert 'dsr-rating-count__number">0</span> Green' in html


def test_list_can_be_sorted_by_rating_red_first(coordinator_client, people):
    listed = names_listed(coordinator_client.get(LIST, {"sort": "rating"}))
    # Bob was rated amber, then admitted: blue.
    assert listed == ["Red, Ruby", "Amber, Amir", "Blue, Bob", "Green, Gina"]


def test_list_can_be_sorted_most_overdue_first_by_review_or_action(coordinator_client, coordinator, people):
    """Gina's review is months away, but an action of hers was due before Ruby's review was."""
    action_services.add_action(
        person=people["green"],
        description="Send the care plan",
        owner_name="Priya Shah",
        due_on=datetime.date(2025, 1, 1),
        by=coordinator,
    )
    listed = names_listed(coordinator_client.get(LIST, {"sort": "overdue"}))
    assert listed[:2] == ["Green, Gina", "Red, Ruby"]


@pytest.mark.parametrize("sort", ["overdue", "rating"])
def test_the_new_sorts_keep_the_lists_queries(client, register, coordinator, django_assert_num_queries, sort):
    for n in range(5):
        make_person(register=register, by=coordinator, given_name=f"S{n}")
    client.force_login(coordinator)
    with django_assert_num_queries(QUERIES_ON_REGISTER_LIST):
        assert client.get(LIST, {"sort": sort}).status_code == 200
