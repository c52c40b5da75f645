import datetime

import pytest

from dsr.audit.models import AuditEvent
from dsr.people.models import Rating
from dsr.people.values import CircumstancesUpdate
from dsr.ratings.models import RiskFactor
from dsr.ratings.services import record_rating
from tests.factories import make_person
from tests.pages import detail_url


def test_person_page_shows_key_safety_information_before_the_rating_history(coordinator_client, person):
    from dsr.people import services

    services.update_circumstances(
        person=person,
        circumstances=CircumstancesUpdate(key_safety_information="Do not approach quickly"),
        by=person.ratings.first().rated_by,
    )
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Do not approach quickly" in html
    assert html.index("Key safety information") < html.index("Rating history")


def test_person_page_shows_nhs_number_as_three_three_four(coordinator_client, register, coordinator):
    person = make_person(register=register, by=coordinator, nhs_number="9434765919")
    response = coordinator_client.get(detail_url(person))
    assert "943 476 5919" in response.content.decode()


def test_person_page_shows_overdue_review(coordinator_client, register, coordinator):
    person = make_person(
        register=register, by=coordinator, joined_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Overdue by" in html


def test_viewing_a_person_writes_a_read_event(coordinator_client, person, coordinator):
    coordinator_client.get(detail_url(person))
    event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, person_id=person.pk).get()
    assert event.user_id == coordinator.pk
    assert event.source == AuditEvent.Source.WEB
    assert event.path == detail_url(person)


@pytest.mark.parametrize("history_length", [1, 20, 25])
def test_person_page_runs_the_same_queries_whatever_the_history_length(
    client, register, coordinator, django_assert_num_queries, history_length
):
    person = make_person(register=register, by=coordinator)
    factors = list(RiskFactor.objects.all()[:3])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for n in range(history_length):
        record_rating(
            person=person,
            rating=Rating.RED,
            rationale=f"Entry {n}",
            factors=factors,
            next_review_due=datetime.date(2027, 1, 1),
            by=coordinator,
            rated_at=start + datetime.timedelta(days=n),
        )
    client.force_login(coordinator)
    with django_assert_num_queries(QUERIES_ON_PERSON_PAGE):
        response = client.get(detail_url(person))
    assert response.status_code == 200


# session, user, memberships, person, then one query per section of the record (documents with
# their uploaders included; reviews; actions; escalations; meetings), the rating history's risk
# factors, the audit line and (for a coordinator) who has looked at the record.
QUERIES_ON_PERSON_PAGE = 22


def test_coordinator_sees_who_has_looked_at_the_record(client, person, coordinator, register):
    from dsr.registers.models import Role
    from tests.factories import member

    colleague = member(register, Role.PROFESSIONAL, username="helen", first_name="Helen", last_name="Marsh")
    client.force_login(colleague)
    first_look = client.get(detail_url(person)).content.decode()
    assert "Who has looked at this record" not in first_look
    client.force_login(coordinator)
    html = client.get(detail_url(person)).content.decode()
    section = html[html.index('id="access"') :]
    assert "Helen Marsh" in section  # by name, not by the name she signs in with
    assert "Viewed the person&#39;s record" in section
    assert "person record" not in section
