"""An IG officer's page for a person: who they are, their requests, and who has looked at their record,
month by month ("who looked at this child's record last month")."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from dsr import audit
from dsr.audit.models import AuditEvent
from dsr.registers.models import Role
from dsr.rights import services
from tests.factories import member
from tests.rights.populated import a_parent, text_of


def page_url(person) -> str:
    return reverse("rights:person", args=[person.pk])


def section(response, start: str, end: str | None = None) -> str:
    html = response.content.decode()
    part = html[html.index(f'id="{start}"') :]
    return text_of(part[: part.index(f'id="{end}"')] if end else part)


def test_the_page_shows_who_the_person_is_and_is_an_audited_read(ig_client, person, ig_officer):
    response = ig_client.get(page_url(person))
    assert response.status_code == 200
    identity = section(response, "identity", "subject-access")
    assert "Jamie Rivers" in identity
    assert person.nhs_number_formatted in identity
    assert "On the register" in identity
    read = AuditEvent.objects.get(action="view")
    assert (read.user_id, read.person_id, read.record_type) == (
        ig_officer.pk,
        person.pk,
        "information_rights_record",
    )


def test_the_page_lists_requests_with_links_to_them(ig_client, person, ig_officer):
    request = services.record_subject_access_request(person=person, requester=a_parent(), by=ig_officer)
    response = ig_client.get(page_url(person))
    assert reverse("rights:subject_access", args=[person.pk, request.pk]) in response.content.decode()
    assert "No rectification requests." in section(response, "rectification", "retention")


@pytest.fixture
def last_months_visitors(person, register):
    """A keyworker who looked in October 2026 and a professional who looked in November."""
    keyworker = member(register, Role.KEYWORKER, first_name="Sam", last_name="Okafor")
    professional = member(register, Role.PROFESSIONAL, first_name="Helen", last_name="Marsh")
    with time_machine.travel(datetime.datetime(2026, 10, 14, 10, tzinfo=datetime.UTC), tick=False):
        audit.record_read(by=keyworker, record=person, what="person_record")
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        audit.record_read(by=professional, record=person, what="person_record")


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_who_looked_at_the_record_last_month(ig_client, person, last_months_visitors):
    response = ig_client.get(page_url(person), {"month": "2026-10"})
    shown = section(response, "access")
    assert "in October 2026" in shown
    assert "14 October 2026 at 11:00 Sam Okafor Keyworker Viewed the person's record" in shown
    assert "Helen Marsh" not in shown
    assert "Priya Shah" not in shown  # added Jamie in November

    everything = section(ig_client.get(page_url(person)), "access")
    assert "Helen Marsh Panel member or professional Viewed the person's record" in everything
    assert "Sam Okafor" in everything
    assert "Grace Adeyemi Information governance officer Viewed the information requests page" in everything


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_the_audit_trail_link_is_filtered_to_the_person_and_month(ig_client, person, last_months_visitors):
    html = ig_client.get(page_url(person), {"month": "2026-10"}).content.decode()
    link = (
        f"/governance/audit/?person={person.pk}&amp;since-day=1&amp;since-month=10&amp;since-year=2026"
        "&amp;until-day=31&amp;until-month=10&amp;until-year=2026"
    )
    assert link in html
    trail = ig_client.get(link.replace("&amp;", "&"))
    assert trail.status_code == 200
    assert text_of(trail.content.decode()).count("Viewed the person's record") == 1


def test_the_access_list_says_what_was_done_in_plain_words_and_names_the_users(
    ig_client, person, coordinator, other_register
):
    as_coordinator = Client()
    as_coordinator.force_login(coordinator)
    as_coordinator.get(reverse("people:change_rating", args=[person.pk]))  # a form page about Jamie
    visitor = member(other_register, Role.COORDINATOR, first_name="Olu", last_name="Bello")
    audit.record_read(by=visitor, record=person, what="person_record")

    shown = section(ig_client.get(page_url(person)), "access")

    assert "Priya Shah Register coordinator Created the person's record" in shown
    assert "Priya Shah Register coordinator Changed the rating" in shown
    assert "Priya Shah Register coordinator Viewed the person's record" in shown
    assert "Olu Bello Viewed the person's record" in shown  # not a member of the register: no role here
    for code_name in (
        "riskrating",
        "change_rating",
        "change rating",
        "person_record",
        "Listed",
        "Viewed add",
    ):
        assert code_name not in shown


def test_a_month_with_no_visits_says_so(ig_client, person):
    response = ig_client.get(page_url(person), {"month": "2025-01"})
    assert "No one looked at or changed the record in January 2025." in section(response, "access")


def test_the_retention_section_is_on_the_page(ig_client, person):
    assert "Retention" in section(ig_client.get(page_url(person)), "retention", "access")


def test_an_ig_officer_of_another_register_gets_page_not_found(client, other_register, person):
    client.force_login(member(other_register, Role.IG))
    assert client.get(page_url(person)).status_code == 404


@pytest.mark.parametrize("visits", [2, 30])
def test_the_page_runs_the_same_queries_whatever_the_number_of_visits_and_requests(
    ig_client, person, register, ig_officer, django_assert_num_queries, visits
):
    for _ in range(visits):
        audit.record_read(by=member(register, Role.PROFESSIONAL), record=person, what="person_record")
        services.record_subject_access_request(person=person, requester=a_parent(), by=ig_officer)
    with django_assert_num_queries(QUERIES_ON_PERSON_PAGE):
        assert ig_client.get(page_url(person)).status_code == 200


# session, user, memberships, the person, their time on the register, subject access and rectification
# requests, the legal hold in force, the read event, the events count and page, the visitors' memberships,
# savepoint and release.
QUERIES_ON_PERSON_PAGE = 14
