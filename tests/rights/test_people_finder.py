"""An IG officer finds the person a request is about, by NHS number or name, in the registers they govern."""

import re

import pytest
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.rights.populated import text_of

FIND = reverse("rights:people")


def found(response) -> list[str]:
    """The names in the results table, as listed."""
    return [
        text_of(name)
        for name in re.findall(
            r'href="/governance/people/[0-9a-f-]{36}/">(.*?)</a>', response.content.decode()
        )
    ]


def test_an_nhs_number_typed_with_spaces_finds_the_person(ig_client, person):
    spaced = f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}"
    response = ig_client.get(FIND, {"q": spaced})
    assert found(response) == ["Rivers, Jamie"]
    row = text_of(response.content.decode().split('id="people"')[1])
    assert spaced in row
    assert "Children" in row  # the register's short name
    assert "On the register" in row


def test_a_name_finds_people_whatever_their_status(ig_client, person, register, coordinator):
    from dsr.dates import today
    from dsr.people import services

    left = make_person(register=register, by=coordinator, given_name="Jo", family_name="Rivers")
    services.remove_from_register(person=left, left_on=today(), reason="Moved away", by=coordinator)
    make_person(register=register, by=coordinator, given_name="Ola", family_name="Banks")
    response = ig_client.get(FIND, {"q": "rivers"})
    assert found(response) == ["Rivers, Jamie", "Rivers, Jo"]
    assert "Left the register" in text_of(response.content.decode())
    assert found(ig_client.get(FIND, {"q": "Jamie Rivers"})) == ["Rivers, Jamie"]


def test_people_in_other_registers_are_not_found(ig_client, person, other_register):
    elsewhere = make_person(
        register=other_register,
        by=member(other_register, Role.COORDINATOR),
        given_name="Olu",
        family_name="Rivers",
    )
    assert found(ig_client.get(FIND, {"q": "Rivers"})) == ["Rivers, Jamie"]
    assert found(ig_client.get(FIND, {"q": elsewhere.nhs_number})) == []


def test_nobody_is_listed_until_the_officer_searches(ig_client, person):
    response = ig_client.get(FIND)
    assert response.status_code == 200
    assert found(response) == []
    assert not AuditEvent.objects.filter(action="list").exists()


def test_a_search_is_audited_with_who_was_shown(ig_client, person, ig_officer):
    ig_client.get(FIND, {"q": "Rivers"})
    event = AuditEvent.objects.get(action="list")
    assert (event.user_id, event.record_type, event.register_id) == (
        ig_officer.pk,
        "information_rights_search",
        person.register_id,
    )
    assert event.changes == {"search": "Rivers", "page": 1, "shown": [str(person.pk)]}


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PROFESSIONAL, Role.ANALYST])
def test_other_roles_may_not_use_the_finder(client, register, role):
    client.force_login(member(register, role))
    assert client.get(FIND, {"q": "Rivers"}).status_code == 403


def test_results_come_a_page_at_a_time(ig_client, register, coordinator):
    for n in range(27):
        make_person(register=register, by=coordinator, given_name=f"P{n:02d}", family_name="Page")
    first = ig_client.get(FIND, {"q": "Page"})
    assert len(found(first)) == 25
    assert "?q=Page&amp;page=2" in first.content.decode()
    assert len(found(ig_client.get(FIND, {"q": "Page", "page": 2}))) == 2


@pytest.mark.parametrize("size", [2, 20])
def test_the_finder_runs_the_same_queries_whatever_the_number_found(
    ig_client, register, coordinator, django_assert_num_queries, size
):
    for n in range(size):
        make_person(register=register, by=coordinator, given_name=f"Q{n}", family_name="Same")
    with django_assert_num_queries(QUERIES_ON_FINDER):
        response = ig_client.get(FIND, {"q": "Same"})
    assert len(found(response)) == size


# session, user, memberships, count, page rows, audit line, and the savepoint and its release.
QUERIES_ON_FINDER = 8
