"""A form sent twice (a double click, the back button and "send" again, a connection that dropped before
the answer came) saves once, and the second send is taken to what the first one made."""

import datetime
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.db import OperationalError, connections
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from dsr.actions.models import Action
from dsr.dates import today
from dsr.documents.models import Document
from dsr.meetings.models import AgendaItem, Escalation, Meeting
from dsr.people.models import Admission, Consent, ContactLog, Involvement, Person
from dsr.ratings.models import RiskRating
from dsr.referrals.models import Referral
from dsr.registers.models import Role
from dsr.reviews import services as review_services
from dsr.reviews.models import Recommendation, Review
from dsr.reviews.services import ReviewDetails
from dsr.rights.models import RectificationRequest, SubjectAccessRequest
from dsr.submissions.once import ALREADY_SENT, FIELD
from tests.factories import member, national_risk_factors
from tests.governance.test_documents import pdf
from tests.meetings.conftest import new_meeting
from tests.pages import date_fields, detail_url, error_summary
from tests.people.test_add_person import form_data as add_person_form
from tests.people.test_admissions import admission_form
from tests.people.test_care_team import involvement_form
from tests.people.test_change_rating import form_data as rating_form
from tests.people.test_consent import consent_form
from tests.people.test_contacts_and_circumstances import contact_form
from tests.referrals.data import make_referral
from tests.referrals.test_accept import acceptance
from tests.reviews.test_review_pages import review_form
from tests.rights.populated import NOT_COMPETENT
from tests.rights.test_requests import request_form

ADD_PERSON = reverse("people:add")
IN_TWO_WEEKS = today() + datetime.timedelta(days=14)


def token_on(response, form: str = "") -> str:
    """The token a form page was rendered with; on a page of several forms, the one of the form named."""
    html = response.content.decode()
    if form:
        found = re.search(
            rf'name="form" value="{form}">\s*<input type="hidden" name="{FIELD}" value="([^"]+)"', html
        )
        return found.group(1)
    (token,) = re.findall(rf'name="{FIELD}" value="([^"]+)"', html)
    return token


class Records:
    """What the forms are about: Jamie, on Priya's register. A review, a meeting and a referral are made
    when a form first needs one."""

    def __init__(self, person: Person, coordinator):
        self.person = person
        self.coordinator = coordinator

    @cached_property
    def review(self) -> Review:
        return review_services.record_review(
            person=self.person,
            details=ReviewDetails(kind="cetr", setting="community", review_on=today(), status="took_place"),
            by=self.coordinator,
        )

    @cached_property
    def item(self) -> AgendaItem:
        """Jamie's item on today's register meeting, which the coordinator is running."""
        return new_meeting(self.coordinator, self.person.register).items.get(person=self.person)

    @cached_property
    def referral(self) -> Referral:
        return make_referral(self.person.register)

    def item_url(self) -> str:
        return reverse("meetings:item", args=[self.item.meeting_id, self.item.pk])


@dataclass(frozen=True)
class Form:
    """A form that makes something: its page, what the user sends, and the records of what it makes."""

    url: Callable[[Records], str]
    data: Callable[[Records], dict]
    made: Callable[[Records], QuerySet]
    ig_officer: bool = False
    on_the_page: str = ""  # the form's name, on a page of several forms


FORMS = {
    "add a person": Form(
        url=lambda r: ADD_PERSON,
        data=lambda r: add_person_form(nhs_number=""),
        made=lambda r: Person.objects.filter(family_name="Lee"),
    ),
    "change the rating": Form(
        url=lambda r: reverse("people:change_rating", args=[r.person.pk]),
        data=lambda r: rating_form(**date_fields("next_review_due", IN_TWO_WEEKS)),
        made=lambda r: RiskRating.objects.filter(person=r.person),
    ),
    "add someone to the care team": Form(
        url=lambda r: reverse("people:add_involvement", args=[r.person.pk]),
        data=lambda r: involvement_form(),
        made=lambda r: Involvement.objects.filter(person=r.person),
    ),
    "record consent": Form(
        url=lambda r: reverse("people:add_consent", args=[r.person.pk]),
        data=lambda r: consent_form(today()),
        made=lambda r: Consent.objects.filter(person=r.person),
    ),
    "record an admission": Form(
        url=lambda r: reverse("people:record_admission", args=[r.person.pk]),
        data=lambda r: admission_form(),
        made=lambda r: Admission.objects.filter(person=r.person),
    ),
    "log a contact": Form(
        url=lambda r: reverse("people:log_contact", args=[r.person.pk]),
        data=lambda r: contact_form(),
        made=lambda r: ContactLog.objects.filter(person=r.person),
    ),
    "plan a review": Form(
        url=lambda r: reverse("reviews:add", args=[r.person.pk]),
        data=lambda r: review_form(IN_TWO_WEEKS),
        made=lambda r: Review.objects.filter(person=r.person),
    ),
    "add a recommendation of a review": Form(
        url=lambda r: reverse("reviews:add_recommendation", args=[r.person.pk, r.review.pk]),
        data=lambda r: {
            "text": "Refer to the sensory integration service",
            "owner_name": "Ola Ade",
            **date_fields("due_on", IN_TWO_WEEKS),
        },
        made=lambda r: Recommendation.objects.filter(review__person=r.person),
    ),
    "add an action": Form(
        url=lambda r: reverse("actions:add", args=[r.person.pk]),
        data=lambda r: {
            "description": "Book a sensory assessment",
            "owner_name": "Sam Okafor",
            **date_fields("due_on", IN_TWO_WEEKS),
        },
        made=lambda r: Action.objects.filter(person=r.person),
    ),
    "create a meeting": Form(
        url=lambda r: reverse("meetings:new"),
        data=lambda r: {
            "kind": "register",
            **date_fields("held_on", IN_TWO_WEEKS),
            "starts_at": "14:30",
            "location": "Microsoft Teams",
            "chair": "Dr Adeyemi",
        },
        made=lambda r: Meeting.objects.all(),
    ),
    "record a subject access request": Form(
        url=lambda r: reverse("rights:add_subject_access", args=[r.person.pk]),
        data=lambda r: request_form(),
        made=lambda r: SubjectAccessRequest.objects.filter(person=r.person),
        ig_officer=True,
    ),
    "record a rectification request": Form(
        url=lambda r: reverse("rights:add_rectification", args=[r.person.pk]),
        data=lambda r: {
            "requester_name": "Morgan Rivers",
            "requester_relationship": "parent",
            **date_fields("received_on", today()),
            **NOT_COMPETENT,
            "what_is_wrong": "The school named is the old one",
        },
        made=lambda r: RectificationRequest.objects.filter(person=r.person),
        ig_officer=True,
    ),
    "upload a document": Form(
        url=lambda r: reverse("governance:upload_document", args=[r.person.pk]),
        data=lambda r: {"kind": "speech_and_language", "title": "Speech and language report", "file": pdf()},
        made=lambda r: Document.objects.filter(person=r.person),
    ),
    "accept a referral": Form(
        url=lambda r: reverse("referrals:accept", args=[r.referral.pk]),
        data=lambda r: acceptance(),
        made=lambda r: Person.objects.filter(referrals=r.referral),
    ),
    "rate at a meeting": Form(
        url=Records.item_url,
        data=lambda r: {
            "save": "rating",
            "rating-rating": "red",
            "rating-rationale": "Placement breaking down",
            "rating-risk_factors": [str(f.pk) for f in national_risk_factors()[:1]],
            **date_fields("rating-next_review_due", IN_TWO_WEEKS),
        },
        made=lambda r: RiskRating.objects.filter(person=r.person, meeting=r.item.meeting),
    ),
    "agree an action at a meeting": Form(
        url=Records.item_url,
        data=lambda r: {
            "save": "action",
            "action-description": "Convene a community C(E)TR",
            "action-owner_name": "Sam Okafor",
            **date_fields("action-due_on", IN_TWO_WEEKS),
        },
        made=lambda r: Action.objects.filter(person=r.person, meeting=r.item.meeting),
    ),
    "arrange a C(E)TR at a meeting": Form(
        url=Records.item_url,
        data=lambda r: {"save": "review", **date_fields("review-review_on", IN_TWO_WEEKS)},
        made=lambda r: Review.objects.filter(person=r.person, meeting=r.item.meeting),
    ),
    "escalate at a meeting": Form(
        url=Records.item_url,
        data=lambda r: {"save": "escalate", "escalate-reason": "No C(E)TR in 40 days"},
        made=lambda r: Escalation.objects.filter(person=r.person, meeting=r.item.meeting),
    ),
}


@pytest.fixture
def records(person, coordinator) -> Records:
    return Records(person, coordinator)


@pytest.fixture
def ig_officer(register):
    return member(register, Role.IG, username="ig", first_name="Grace", last_name="Adeyemi")


@pytest.mark.parametrize("name", FORMS)
def test_a_form_sent_twice_saves_once_and_the_second_send_shows_what_the_first_made(
    name, client, records, ig_officer
):
    form = FORMS[name]
    client.force_login(ig_officer if form.ig_officer else records.coordinator)
    url = form.url(records)
    token = token_on(client.get(url), form.on_the_page)
    before = form.made(records).count()

    first = client.post(url, {**form.data(records), FIELD: token})
    second = client.post(url, {**form.data(records), FIELD: token})

    assert form.made(records).count() == before + 1
    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == first["Location"]
    assert ALREADY_SENT in client.get(second["Location"]).content.decode()


@pytest.mark.parametrize(
    "refused",
    [
        pytest.param(lambda jamie: {"given_name": ""}, id="by the form: a missing name"),
        pytest.param(lambda jamie: {"nhs_number": jamie.nhs_number}, id="by the service: a duplicate"),
    ],
)
def test_a_refused_form_claims_nothing_so_the_corrected_one_with_the_same_token_saves(
    refused, coordinator_client, person
):
    token = token_on(coordinator_client.get(ADD_PERSON))

    response = coordinator_client.post(ADD_PERSON, {**add_person_form(**refused(person)), FIELD: token})
    assert response.status_code == 200 and error_summary(response)
    assert not Person.objects.filter(family_name="Lee").exists()

    response = coordinator_client.post(ADD_PERSON, {**add_person_form(nhs_number=""), FIELD: token})
    lee = Person.objects.get(family_name="Lee")
    assert response["Location"] == detail_url(lee)
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Person added to the register" in page and ALREADY_SENT not in page


def test_a_token_someone_else_sent_neither_leads_to_what_they_made_nor_stops_this_form(
    coordinator_client, coordinator, other_register
):
    """Someone signs in on a browser where another user left a form page open, and sends it."""
    token = token_on(coordinator_client.get(ADD_PERSON))
    theirs = coordinator_client.post(ADD_PERSON, {**add_person_form(nhs_number=""), FIELD: token})
    elsewhere = Client()
    elsewhere.force_login(member(other_register, Role.COORDINATOR, username="barking"))
    form = {**add_person_form(nhs_number="", family_name="Okoro"), FIELD: token}

    first = elsewhere.post(ADD_PERSON, form)
    page = elsewhere.get(first["Location"]).content.decode()
    again = elsewhere.post(ADD_PERSON, form)

    okoro = Person.objects.get(family_name="Okoro")
    assert (okoro.register, first["Location"], again["Location"]) == (
        other_register,
        detail_url(okoro),
        detail_url(okoro),
    )
    assert first["Location"] != theirs["Location"]
    lee = Person.objects.get(family_name="Lee")
    assert "Person added to the register" in page and ALREADY_SENT not in page and str(lee.pk) not in page


def sent_until_answered(browser: Client, url: str, data: dict):
    """Post as someone who tries again while the database is busy, as its busy page asks."""
    for attempt in range(50):
        try:
            response = browser.post(url, data)
        except OperationalError:  # SQLite has one writer at a time: "database table is locked"
            response = None
        if response is not None and response.status_code != 503:
            return response
        time.sleep(0.01 * (attempt + 1))
    raise AssertionError("The database stayed busy")


@pytest.mark.django_db(transaction=True)
def test_the_add_person_form_sent_twice_at_the_same_moment_makes_one_person(coordinator):
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(coordinator)
    token = token_on(browsers[0].get(ADD_PERSON))
    factors = [str(factor.pk) for factor in national_risk_factors()[:2]]
    form = {**add_person_form(nhs_number="", risk_factors=factors), FIELD: token}
    together = threading.Barrier(len(browsers))
    answers, errors = [], []

    def send(browser: Client) -> None:
        try:
            together.wait(timeout=10)
            answers.append(sent_until_answered(browser, ADD_PERSON, form))
        except BaseException as error:  # noqa: BLE001 (reported to the main thread)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    lee = Person.objects.get(family_name="Lee")
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, detail_url(lee))] * 2
    pages = [browser.get(detail_url(lee)).content.decode() for browser in browsers]
    assert sorted(ALREADY_SENT in page for page in pages) == [False, True]
