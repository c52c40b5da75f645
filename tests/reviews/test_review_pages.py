"""Planning and recording reviews through the pages, and what a person's rating requires where they appear."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from dsr.actions.models import Action
from dsr.audit.models import AuditEvent
from dsr.people import services as people_services
from dsr.people.values import AdmissionDetails
from dsr.registers.models import Role
from dsr.reviews import services
from dsr.reviews.models import Review
from dsr.reviews.services import ReviewDetails
from tests.factories import make_person, member
from tests.pages import audit_changes, date_fields, detail_url, error_summary, field_error
from tests.rights.populated import text_of

D = datetime.date
FIXED = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
TODAY = D(2026, 3, 1)


def add_url(person) -> str:
    return reverse("reviews:add", kwargs={"person_id": person.pk})


def review_form(review_on: datetime.date, **fields) -> dict:
    return {
        "kind": "cetr",
        "setting": "community",
        "status": "planned",
        "consent": "not_yet",
        **date_fields("review_on", review_on),
        **fields,
    }


@pytest.fixture
def adult_register(db):
    from tests.factories import RegisterFactory

    return RegisterFactory(name="Adults and young people", short_name="Adults", max_age=64)


@time_machine.travel(FIXED, tick=False)
def test_a_coordinator_plans_a_cetr_and_sees_it_on_the_record(coordinator_client, person):
    before = audit_changes()
    response = coordinator_client.post(
        add_url(person), review_form(D(2026, 3, 20), **date_fields("invitations_sent_on", D(2026, 3, 1)))
    )
    review = Review.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:detail", args=[person.pk, review.pk])
    assert (review.kind, review.setting, review.invitations_sent_on) == ("cetr", "community", D(2026, 3, 1))
    assert audit_changes() == before + 1
    page = text_of(coordinator_client.get(detail_url(person)).content.decode())
    assert "20 March 2026 CETR on 20 March 2026 Community Planned" in page


LAEP_TOOK_PLACE = {
    "admission_recommended": "true",
    "psychiatrist": "Dr Ana Costa",
    "psychiatrist_decision": "Admission is not needed: intensive support at home instead",
}


@time_machine.travel(FIXED, tick=False)
@pytest.mark.parametrize(
    ("born", "review_on", "kind", "refusal"),
    [
        # 18 on 2 March 2026. The day before: a CETR or a LAEP, not a CTR.
        (D(2008, 3, 2), D(2026, 3, 1), "cetr", ""),
        (D(2008, 3, 2), D(2026, 3, 1), "laep", ""),
        (
            D(2008, 3, 2),
            D(2026, 3, 1),
            "ctr",
            "Alex is 17 on the date of the review, 1 March 2026, and their 18th birthday is 2 March 2026: "
            "choose a CETR. A CTR is for a review from the 18th birthday",
        ),
        # The 18th birthday and the day after: a CTR, not a CETR nor a LAEP, though they are 17 today.
        (D(2008, 3, 2), D(2026, 3, 2), "ctr", ""),
        (
            D(2008, 3, 2),
            D(2026, 3, 2),
            "cetr",
            "Alex is 18 on the date of the review, 2 March 2026, and their 18th birthday is 2 March 2026: "
            "choose a CTR. A CETR is for a review before the 18th birthday",
        ),
        (
            D(2008, 3, 2),
            D(2026, 3, 3),
            "laep",
            "Alex is 18 on the date of the review, 3 March 2026, and their 18th birthday is 2 March 2026: "
            "a LAEP is only for under-18s, choose a CTR",
        ),
        (D(2008, 3, 2), D(2026, 3, 3), "ctr", ""),
        # Born on 29 February 2008: 18 on 1 March 2026 (today), still 17 on 28 February.
        (D(2008, 2, 29), D(2026, 2, 28), "cetr", ""),
        (
            D(2008, 2, 29),
            D(2026, 3, 1),
            "cetr",
            "Alex is 18 on the date of the review, 1 March 2026, and their 18th birthday is 1 March 2026: "
            "choose a CTR. A CETR is for a review before the 18th birthday",
        ),
        # 18 today, but 17 on the day of a LAEP held last month: it is recorded after the birthday.
        (D(2008, 2, 20), D(2026, 2, 10), "laep", ""),
        (D(2008, 2, 20), D(2026, 2, 10), "cetr", ""),
    ],
)
def test_the_type_of_review_follows_the_age_on_the_review_date_not_today(
    client, adult_register, born, review_on, kind, refusal
):
    coordinator = member(adult_register, Role.COORDINATOR)
    person = make_person(register=adult_register, by=coordinator, born=born)
    client.force_login(coordinator)
    before = audit_changes()
    status = "took_place" if review_on <= TODAY else "planned"
    laep = LAEP_TOOK_PLACE if kind == "laep" else {}
    response = client.post(add_url(person), review_form(review_on, kind=kind, status=status, **laep))
    if refusal:
        assert response.status_code == 200
        assert field_error(response, "kind") == refusal
        assert ("#kind", refusal) in error_summary(response)
        assert not Review.objects.filter(person=person).exists()
        assert audit_changes() == before
    else:
        assert response.status_code == 302
        assert Review.objects.get(person=person).kind == kind


@time_machine.travel(FIXED, tick=False)
def test_the_form_offers_every_type_names_the_18th_birthday_and_chooses_none_in_advance(
    client, adult_register
):
    coordinator = member(adult_register, Role.COORDINATOR)
    child = make_person(register=adult_register, by=coordinator, born=D(2008, 6, 1))
    adult = make_person(register=adult_register, by=coordinator, born=D(2000, 6, 1))
    client.force_login(coordinator)
    child_form = client.get(add_url(child)).content.decode()
    assert (
        "Alex's 18th birthday is 1 June 2026. A review before that day is a CETR, and from that day a CTR."
        in text_of(child_form)
    )
    adult_form = client.get(add_url(adult)).content.decode()
    assert "Alex's 18th birthday is 1 June 2018." in text_of(adult_form)
    for form in (child_form, adult_form):
        assert "Local Area Emergency Protocol" in form  # a LAEP held before the birthday can be recorded
        assert "The psychiatrist's decision (LAEP only)" in text_of(form)
        assert not re.search(r'name="kind"[^>]*checked', form)


@time_machine.travel(FIXED, tick=False)
def test_changing_a_reviews_date_past_the_18th_birthday_is_refused_with_the_birthday(client, adult_register):
    coordinator = member(adult_register, Role.COORDINATOR)
    person = make_person(register=adult_register, by=coordinator, born=D(2008, 3, 20))
    review = services.record_review(
        person=person,
        details=ReviewDetails(kind="cetr", setting="community", review_on=D(2026, 3, 19)),
        by=coordinator,
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("reviews:change", args=[person.pk, review.pk]), review_form(D(2026, 3, 24), kind="cetr")
    )
    assert field_error(response, "kind").startswith(
        "Alex is 18 on the date of the review, 24 March 2026, and their 18th birthday is 20 March 2026"
    )
    review.refresh_from_db()
    assert review.review_on == D(2026, 3, 19)


@time_machine.travel(FIXED, tick=False)
def test_a_laep_needs_admission_recommended_and_the_psychiatrists_final_decision(coordinator_client, person):
    response = coordinator_client.post(add_url(person), review_form(TODAY, kind="laep", status="took_place"))
    assert field_error(response, "admission_recommended").startswith("A LAEP is for a child in crisis")
    assert (
        field_error(response, "psychiatrist_decision")
        == "Enter the psychiatrist's name and decision: it is final"
    )
    response = coordinator_client.post(
        add_url(person),
        review_form(
            TODAY,
            kind="laep",
            status="took_place",
            admission_recommended="true",
            psychiatrist="Dr Ana Costa",
            psychiatrist_decision="Admission is not needed: intensive support at home instead",
        ),
    )
    review = Review.objects.get(person=person)
    page = text_of(coordinator_client.get(response["Location"]).content.decode())
    assert review.kind == "laep"
    assert "The psychiatrist's decision (final) Dr Ana Costa: Admission is not needed" in page


@time_machine.travel(FIXED, tick=False)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(coordinator_client, person):
    before = audit_changes()
    response = coordinator_client.post(
        add_url(person),
        {
            "kind": "cetr",
            "setting": "inpatient",
            "status": "took_place",
            "consent": "best_interests",
            **date_fields("review_on", D(2026, 3, 20)),
            **date_fields("papers_shared_on", D(2026, 3, 25)),
        },
    )
    assert response.status_code == 200
    assert field_error(response, "admission") == "Choose the admission this review is about"
    assert Review.objects.count() == 0
    assert audit_changes() == before
    response = coordinator_client.post(
        add_url(person), {"kind": "cetr", "review_on[day]": "31", "review_on[month]": "2"}
    )
    assert response.status_code == 200
    assert field_error(response, "review_on")
    assert Review.objects.count() == 0


@time_machine.travel(FIXED, tick=False)
def test_the_review_page_says_when_preparation_is_late_and_records_the_read(
    coordinator_client, person, coordinator
):
    review = services.record_review(
        person=person,
        details=ReviewDetails(kind="cetr", setting="community", review_on=D(2026, 3, 10)),
        by=coordinator,
    )
    url = reverse("reviews:detail", args=[person.pk, review.pk])
    page = text_of(coordinator_client.get(url).content.decode())
    assert "Invitations have not been sent: they were due by 24 February 2026" in page
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, record_type="review", record_id=str(review.pk)
    ).exists()


@time_machine.travel(FIXED, tick=False)
def test_a_recommendation_becomes_an_action_in_its_owners_list(
    client, coordinator_client, person, coordinator, register
):
    professional = member(register, Role.PROFESSIONAL, first_name="Ola", last_name="Ade")
    review = services.record_review(
        person=person,
        details=ReviewDetails(kind="cetr", setting="community", review_on=TODAY, status="took_place"),
        by=coordinator,
    )
    response = coordinator_client.post(
        reverse("reviews:add_recommendation", args=[person.pk, review.pk]),
        {
            "text": "Refer to the sensory integration service",
            "owner_name": "Ola Ade",
            "owner": professional.pk,
            **date_fields("due_on", D(2026, 3, 31)),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(person=person)
    assert (action.review, action.recommendation.text, action.owner) == (
        review,
        "Refer to the sensory integration service",
        professional,
    )
    assert "Refer to the sensory integration service Ola Ade 31 March 2026 Open" in text_of(
        coordinator_client.get(response["Location"]).content.decode()
    )
    client.force_login(professional)
    assert "Refer to the sensory integration service" in client.get(reverse("actions:mine")).content.decode()


@time_machine.travel(FIXED, tick=False)
def test_a_red_person_without_a_cetr_shows_it_overdue_on_their_page_and_the_list(
    client, register, coordinator
):
    with time_machine.travel(datetime.datetime(2026, 1, 23, 12, tzinfo=datetime.UTC), tick=False):
        person = make_person(register=register, by=coordinator, rating="red", given_name="Robin")
    client.force_login(coordinator)
    page = text_of(client.get(detail_url(person)).content.decode())
    assert "What the rating requires Red: C(E)TR overdue by 9 days; keyworker referral needed" in page
    listed = text_of(client.get(reverse("people:list")).content.decode())
    assert "Red: C(E)TR overdue by 9 days; keyworker referral needed" in listed
    services.record_review(
        person=person,
        details=ReviewDetails(
            kind="cetr", setting="community", review_on=D(2026, 2, 27), status="took_place"
        ),
        by=coordinator,
    )
    listed = text_of(client.get(reverse("people:list")).content.decode())
    assert "Red: C(E)TR on 27 February 2026; keyworker referral needed" in listed


@time_machine.travel(FIXED, tick=False)
def test_a_blue_child_shows_the_post_admission_review_and_visit_due(client, register, coordinator):
    person = make_person(register=register, by=coordinator)
    people_services.record_admission(
        person=person,
        admission=AdmissionDetails(
            hospital="Littlebrook", admitted_on=D(2026, 2, 10), legal_status="informal", out_of_area=True
        ),
        by=coordinator,
    )
    client.force_login(coordinator)
    expected = "Blue: post-admission C(E)TR overdue by 5 days; oversight visit due by 24 March 2026"
    assert expected in text_of(client.get(detail_url(person)).content.decode())
    assert expected in text_of(client.get(reverse("people:list")).content.decode())


@pytest.mark.parametrize("size", [2, 12])
def test_the_list_runs_the_same_queries_whatever_the_reviews_and_actions(
    client, register, coordinator, django_assert_num_queries, size
):
    from dsr.actions import services as action_services
    from tests.people.test_register_list import QUERIES_ON_REGISTER_LIST

    for n in range(size):
        person = make_person(
            register=register, by=coordinator, given_name=f"Q{n}", rating=["red", "blue"][n % 2]
        )
        review = services.record_review(
            person=person,
            details=ReviewDetails(kind="cetr", setting="community", review_on=D.today(), status="took_place"),
            by=coordinator,
        )
        action_services.add_action(
            person=person,
            description="Call",
            owner_name="Sam",
            due_on=D.today() - datetime.timedelta(days=3),
            review=review,
            by=coordinator,
        )
    client.force_login(coordinator)
    with django_assert_num_queries(QUERIES_ON_REGISTER_LIST):
        response = client.get(reverse("people:list"))
    assert "1 overdue action" in text_of(response.content.decode())
