"""Choosing the register to work in, from the form in the page header."""

import re

import pytest
from django.urls import reverse

from dsr.access import SESSION_KEY
from dsr.registers.models import Role
from tests.factories import MembershipFactory, RegisterFactory, make_person

LIST = reverse("people:list")
SWITCH = reverse("switch_register")
REGISTER_HEADING = '<th role="columnheader" scope="col">Register</th>'


def rows(response) -> list[tuple[str, str | None]]:
    """(person id, the Register cell or None) for each row of the register list."""
    html = response.content.decode()
    found = []
    for row in re.findall(r'<tr role="row" class="nhsuk-table__row">(.*?)</tr>', html, flags=re.S):
        person_id = re.search(r'href="/people/([0-9a-f-]{36})/"', row).group(1)
        register = re.search(r'aria-hidden="true">Register </span>([^<]*)</td>', row)
        found.append((person_id, register.group(1).strip() if register else None))
    return found


def header_form(response) -> tuple[str, dict[str, str], list[str]]:
    """The register switch in the page header: where it posts, its hidden fields, and the choices."""
    html = response.content.decode()
    form = re.search(
        r'<form class="dsr-register-switch" action="([^"]+)" method="post">(.*?)</form>', html, re.S
    )
    assert form, "The page has no register switch"
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    choices = re.findall(r'<option value="([^"]+)"', form.group(2))
    return form.group(1), hidden, choices


@pytest.fixture
def both(register, other_register, coordinator):
    """The coordinator works in two registers, with one person in each."""
    MembershipFactory(user=coordinator, register=other_register, role=Role.COORDINATOR)
    here = make_person(register=register, by=coordinator, family_name="Here")
    there = make_person(register=other_register, by=coordinator, family_name="There")
    return here, there


def switch(client, register_value: str):
    """Post the header form as shown on the register list."""
    action, hidden, choices = header_form(client.get(LIST))
    assert register_value in choices
    return client.post(action, {**hidden, "register": register_value})


def test_switching_register_shows_only_that_registers_people(
    coordinator_client, register, other_register, both
):
    here, there = both
    response = switch(coordinator_client, str(register.pk))
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert rows(coordinator_client.get(LIST)) == [(str(here.pk), None)]
    switch(coordinator_client, str(other_register.pk))
    assert rows(coordinator_client.get(LIST)) == [(str(there.pk), None)]
    switch(coordinator_client, str(register.pk))
    assert rows(coordinator_client.get(LIST)) == [(str(here.pk), None)]


def test_all_my_registers_shows_everyone_with_a_register_column(
    coordinator_client, register, other_register, both
):
    here, there = both
    switch(coordinator_client, "all")
    response = coordinator_client.get(LIST)
    assert REGISTER_HEADING in response.content.decode()
    assert sorted(rows(response)) == sorted(
        [(str(here.pk), register.short_name), (str(there.pk), other_register.short_name)]
    )


def test_one_register_at_a_time_has_no_register_column(coordinator_client, both):
    assert REGISTER_HEADING not in coordinator_client.get(LIST).content.decode()


def test_the_header_offers_only_the_users_registers_and_all(
    coordinator_client, register, other_register, both
):
    RegisterFactory(name="Somewhere else")
    _, _, choices = header_form(coordinator_client.get(LIST))
    assert sorted(choices) == sorted([str(register.pk), str(other_register.pk), "all"])


@pytest.mark.parametrize("wanted", ["not a member", "not a number"])
def test_switching_to_a_register_the_user_is_not_in_is_refused_and_changes_nothing(
    coordinator_client, register, both, wanted
):
    here, there = both
    switch(coordinator_client, str(register.pk))
    value = str(RegisterFactory(name="Not theirs").pk) if wanted == "not a member" else "abc"
    response = coordinator_client.post(SWITCH, {"register": value, "next": LIST}, follow=True)
    assert "You are not a member of that register" in response.content.decode()
    assert coordinator_client.session[SESSION_KEY] == register.pk
    assert rows(response) == [(str(here.pk), None)]


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/people/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_switching_never_sends_the_user_to_another_site(coordinator_client, other_register, both, next_url):
    response = coordinator_client.post(SWITCH, {"register": str(other_register.pk), "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_switching_drops_the_filters_of_the_register_being_left(coordinator_client, other_register, both):
    response = coordinator_client.post(
        SWITCH, {"register": str(other_register.pk), "next": f"{LIST}?rating=red"}
    )
    assert response["Location"] == LIST
