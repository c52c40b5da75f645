"""Recording subject access and rectification requests, and their answers, through the IG pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import today, years_before
from dsr.rights import services
from dsr.rights.deadlines import answer_due
from dsr.rights.models import RectificationRequest, SubjectAccessRequest
from tests.factories import make_person
from tests.pages import audit_changes, date_fields, error_summary, field_error
from tests.rights.populated import NOT_COMPETENT, a_parent, text_of


def request_form(**overrides) -> dict:
    """The subject access form as a browser posts it: a parent asking today for a child who is not
    competent to ask."""
    return {
        "requester_name": "Morgan Rivers",
        "requester_relationship": "parent",
        **date_fields("received_on", today()),
        **NOT_COMPETENT,
        "identity_checked": "true",
        "identity_check": "Passport seen at the office",
        "notes": "",
        **overrides,
    }


def add_url(person, kind: str = "subject_access") -> str:
    return reverse(f"rights:add_{kind}", kwargs={"person_id": person.pk})


def test_an_ig_officer_records_a_subject_access_request_with_its_deadline(ig_client, person, ig_officer):
    response = ig_client.post(add_url(person), request_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("rights:person", args=[person.pk])
    request = person.subject_access_requests.get()
    assert request.requester_name == "Morgan Rivers"
    assert request.due_on == answer_due(today())
    assert request.identity_checked and request.identity_check == "Passport seen at the office"
    assert request.status == "open" and request.recorded_by == ig_officer
    created = AuditEvent.objects.get(action="create", record_type="subjectaccessrequest")
    assert created.person_id == person.pk and created.username == "ig"
    assert created.changes["requester_name"] == [None, "Morgan Rivers"]
    page = ig_client.get(response["Location"])
    assert b"Subject access request recorded" in page.content


@pytest.mark.parametrize(
    ("relationship", "message"),
    [
        (
            "person",
            "Jamie was {age} when the request was received and was not judged competent: a child under 16 "
            "may ask for their own record only when competent to understand their rights. Otherwise a parent "
            "or guardian asks for them",
        ),
        (
            "representative",
            "Jamie was {age} when the request was received and was not judged competent, so cannot give a "
            "solicitor or advocate authority: a parent or guardian asks for them",
        ),
    ],
)
def test_a_child_not_competent_cannot_ask_for_themselves_or_through_a_solicitor(
    ig_client, person, relationship, message
):
    """Jamie is 11 or 12 and not judged competent: a parent or guardian asks for them."""
    before = audit_changes()
    response = ig_client.post(add_url(person), request_form(requester_relationship=relationship))
    assert response.status_code == 200
    message = message.format(age=person.age)
    assert error_summary(response) == [("#requester_relationship", message)]
    assert field_error(response, "requester_relationship") == message
    assert not person.subject_access_requests.exists()
    assert audit_changes() == before


def test_a_competent_child_asks_for_themselves_and_the_page_says_who_judged_them(ig_client, person):
    form = request_form(
        requester_name="Jamie Rivers",
        requester_relationship="person",
        competence="competent",
        competence_judged_by="Dr Sam Okafor, consultant psychiatrist",
        competence_reason="Explained what the record holds and why they want it",
    )
    response = ig_client.post(add_url(person), form)
    assert response.status_code == 302
    request = person.subject_access_requests.get()
    assert (request.competence, request.authority) == ("competent", "")
    page = text_of(
        ig_client.get(reverse("rights:subject_access", args=[person.pk, request.pk])).content.decode()
    )
    assert (
        "Competent to understand their rights Yes, judged by Dr Sam Okafor, consultant psychiatrist. "
        "Explained what the record holds and why they want it"
    ) in page


def test_a_parent_of_a_competent_child_needs_the_childs_consent(ig_client, person):
    competent = {"competence": "competent", "competence_reason": "Understands and has views of their own"}
    response = ig_client.post(add_url(person), request_form(**competent))
    assert field_error(response, "authority") == (
        "Jamie was judged competent, so someone else may ask for their record only with Jamie's consent"
    )
    assert not person.subject_access_requests.exists()
    consent = {"authority": "consent", "authority_detail": "Jamie signed a note on 1 December"}
    assert ig_client.post(add_url(person), request_form(**competent, **consent)).status_code == 302
    assert person.subject_access_requests.get().authority_detail == "Jamie signed a note on 1 December"


def test_a_parent_asking_about_an_adult_without_consent_or_authority_is_refused(
    ig_client, register, coordinator
):
    register.max_age = 64  # an all-age register, so that it may hold an adult of 46
    register.save()
    adult = make_person(register=register, by=coordinator, born=years_before(today(), 46))
    before = audit_changes()
    response = ig_client.post(add_url(adult), request_form())
    assert response.status_code == 200
    message = (
        f"{adult.given_name} was 46 when the request was received: someone asking for an adult needs their "
        "consent, or legal authority to act for them (a lasting power of attorney for health and welfare, or "
        "a Court of Protection deputy)"
    )
    assert error_summary(response) == [("#authority", message)]
    assert field_error(response, "authority") == message
    assert not adult.subject_access_requests.exists()
    assert audit_changes() == before

    attorney = {"authority": "lpa", "authority_detail": "OPG reference 7000-1234-5678"}
    assert ig_client.post(add_url(adult), request_form(**attorney)).status_code == 302
    request = adult.subject_access_requests.get()
    assert (request.authority, request.competence) == ("lpa", "")  # no competence judgement for an adult


def test_a_parent_asks_for_a_child_who_is_not_competent(ig_client, person):
    response = ig_client.post(add_url(person), request_form())
    assert response.status_code == 302
    request = person.subject_access_requests.get()
    assert (request.requester_relationship, request.competence) == ("parent", "not_competent")
    assert request.competence_judged_by == "Grace Adeyemi, IG officer"


def test_a_lasting_power_of_attorney_does_not_act_for_a_child(ig_client, person):
    form = request_form(requester_relationship="legal_authority", authority="lpa", authority_detail="OPG ref")
    response = ig_client.post(add_url(person), form)
    assert field_error(response, "requester_relationship").endswith(
        "a lasting power of attorney or a deputy acts only for someone aged 16 or over. For a child, a "
        "parent or guardian asks"
    )
    assert not person.subject_access_requests.exists()


def test_the_age_that_counts_is_the_age_on_the_day_the_request_was_received(
    ig_officer, register, coordinator
):
    sixteen_last_week = today() - datetime.timedelta(days=7)
    born = sixteen_last_week.replace(year=sixteen_last_week.year - 16)
    person = make_person(register=register, by=coordinator, born=born)
    before_birthday = a_parent(
        requester_relationship="person", received_on=sixteen_last_week - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="was 15 when the request was received"):
        services.record_subject_access_request(person=person, requester=before_birthday, by=ig_officer)
    on_birthday = a_parent(requester_relationship="person", received_on=sixteen_last_week)
    assert services.record_subject_access_request(person=person, requester=on_birthday, by=ig_officer).pk


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"requester_name": ""}, "requester_name", "Enter the name of the person asking"),
        ({"requester_relationship": ""}, "requester_relationship", "Choose who is asking"),
        (
            date_fields("received_on", today() + datetime.timedelta(days=1)),
            "received_on",
            "The date received must not be in the future",
        ),
        (
            {"received_on[day]": "31", "received_on[month]": "2", "received_on[year]": "2026"},
            "received_on",
            "The date received must be a real date",
        ),
        (
            {"received_on[day]": "", "received_on[month]": "", "received_on[year]": ""},
            "received_on",
            "Enter the date received",
        ),
        ({"identity_check": ""}, "identity_check", "Enter how the requester's identity was checked"),
    ],
)
def test_a_subject_access_request_with_a_mistake_is_refused_and_nothing_is_saved(
    ig_client, person, change, field, message
):
    before = audit_changes()
    response = ig_client.post(add_url(person), request_form(**change))
    assert response.status_code == 200
    assert message in [text for _, text in error_summary(response)]
    assert field_error(response, field) == message
    assert not person.subject_access_requests.exists()
    assert audit_changes() == before


def close_url(request) -> str:
    return reverse(
        "rights:close_subject_access",
        kwargs={"person_id": request.person_id, "subject_access_id": request.pk},
    )


@pytest.fixture
def subject_access(person, ig_officer) -> SubjectAccessRequest:
    return services.record_subject_access_request(person=person, requester=a_parent(), by=ig_officer)


def test_a_request_cannot_be_marked_completed_before_its_pack_is_produced(ig_client, subject_access):
    response = ig_client.post(
        close_url(subject_access), {"status": "completed", **date_fields("sent_on", today())}
    )
    assert (
        field_error(response, "status")
        == "Produce the subject access pack before marking the request completed"
    )
    subject_access.refresh_from_db()
    assert subject_access.status == "open" and subject_access.sent_on is None


def test_a_request_is_completed_with_the_date_the_pack_was_sent(ig_client, subject_access, ig_officer):
    services.produce_subject_access_pack(request=subject_access, by=ig_officer)
    response = ig_client.post(
        close_url(subject_access), {"status": "completed", **date_fields("sent_on", today())}
    )
    assert response.status_code == 302
    subject_access.refresh_from_db()
    assert (subject_access.status, subject_access.sent_on) == ("completed", today())
    change = AuditEvent.objects.filter(action="change", record_type="subjectaccessrequest").first()
    assert change.changes == {"status": ["open", "completed"], "sent_on": [None, today().isoformat()]}
    page = ig_client.get(response["Location"])
    assert b"Close this request" not in page.content


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            {"refusal_reason": "Sixth request this month"},
            "refusal_ground",
            "Choose the ground for refusing the request",
        ),
        ({"refusal_ground": "excessive"}, "refusal_reason", "Enter why the request was refused"),
    ],
)
def test_a_refusal_needs_its_ground_and_reason(ig_client, subject_access, form, field, message):
    before = audit_changes()
    response = ig_client.post(
        close_url(subject_access), {"status": "refused", **date_fields("sent_on", today()), **form}
    )
    assert field_error(response, field) == message
    assert message in [text for _, text in error_summary(response)]
    subject_access.refresh_from_db()
    assert subject_access.status == "open"
    assert audit_changes() == before


def test_a_request_refused_as_manifestly_excessive_shows_its_ground_and_reason(ig_client, subject_access):
    form = {
        "status": "refused",
        "refusal_ground": "excessive",
        "refusal_reason": "The same request, answered in full, for the third time this month",
        **date_fields("sent_on", today()),
    }
    response = ig_client.post(close_url(subject_access), form)
    assert response.status_code == 302
    subject_access.refresh_from_db()
    assert (subject_access.status, subject_access.refusal_ground) == ("refused", "excessive")
    page = text_of(ig_client.get(response["Location"]).content.decode())
    assert "Ground for refusing Manifestly excessive" in page
    assert "Why it was refused The same request, answered in full, for the third time this month" in page


def test_the_requester_cannot_be_told_before_the_request_arrived(ig_client, person, ig_officer):
    received = today() - datetime.timedelta(days=3)
    request = services.record_subject_access_request(
        person=person, requester=a_parent(received_on=received), by=ig_officer
    )
    form = {
        "status": "refused",
        "refusal_ground": "not_confirmed",
        "refusal_reason": "Not the parent",
        **date_fields("sent_on", received - datetime.timedelta(days=1)),
    }
    response = ig_client.post(close_url(request), form)
    assert field_error(response, "sent_on").startswith(
        "The date must be on or after the day the request was received"
    )
    request.refresh_from_db()
    assert request.status == "open"


def test_a_closed_request_cannot_be_closed_again(ig_client, subject_access, ig_officer):
    services.close_subject_access_request(
        request=subject_access,
        status="refused",
        sent_on=today(),
        refusal_ground="unfounded",
        refusal_reason="Withdrawn",
        by=ig_officer,
    )
    before = audit_changes()
    response = ig_client.post(
        close_url(subject_access),
        {
            "status": "refused",
            "refusal_ground": "unfounded",
            "refusal_reason": "Again",
            **date_fields("sent_on", today()),
        },
    )
    assert error_summary(response) == [("", "This request is already closed")]
    assert audit_changes() == before


def test_an_ig_officer_records_a_rectification_request(ig_client, person):
    form = {
        "requester_name": "Morgan Rivers",
        "requester_relationship": "parent",
        **date_fields("received_on", today()),
        **NOT_COMPETENT,
        "what_is_wrong": "The school named is the old one",
    }
    response = ig_client.post(add_url(person, "rectification"), form)
    assert response.status_code == 302
    request = person.rectification_requests.get()
    assert (request.what_is_wrong, request.outcome) == ("The school named is the old one", "open")
    assert request.due_on == answer_due(today())

    response = ig_client.post(add_url(person, "rectification"), {**form, "what_is_wrong": ""})
    assert field_error(response, "what_is_wrong") == "Enter what the requester says is wrong"
    response = ig_client.post(add_url(person, "rectification"), {**form, "requester_relationship": "person"})
    assert field_error(response, "requester_relationship").startswith(f"Jamie was {person.age} when")
    assert person.rectification_requests.count() == 1


@pytest.fixture
def rectification(person, ig_officer) -> RectificationRequest:
    return services.record_rectification_request(
        person=person, requester=a_parent(), what_is_wrong="The school named is the old one", by=ig_officer
    )


def outcome_url(request) -> str:
    return reverse(
        "rights:decide_rectification", kwargs={"person_id": request.person_id, "rectification_id": request.pk}
    )


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"outcome": "corrected"}, "change_made", "Enter what was corrected"),
        (
            {"outcome": "refused", "refusal_ground": "accurate"},
            "refusal_reason",
            "Enter why the request was refused",
        ),
        (
            {"outcome": "refused", "refusal_reason": "Accurate"},
            "refusal_ground",
            "Choose the ground for refusing the request",
        ),
        ({}, "outcome", "Choose whether the record was corrected or the request refused"),
        (
            {
                "outcome": "corrected",
                "change_made": "School updated",
                "told_on[day]": "",
                "told_on[month]": "",
                "told_on[year]": "",
            },
            "told_on",
            "Enter the date the requester was told",
        ),
    ],
)
def test_a_rectification_outcome_needs_what_changed_or_why_not_and_when_they_were_told(
    ig_client, rectification, form, field, message
):
    before = audit_changes()
    response = ig_client.post(outcome_url(rectification), {**date_fields("told_on", today()), **form})
    assert field_error(response, field) == message
    rectification.refresh_from_db()
    assert rectification.outcome == "open" and rectification.told_on is None
    assert audit_changes() == before


def test_a_corrected_rectification_records_the_change_who_decided_and_when_the_requester_was_told(
    ig_client, rectification, ig_officer
):
    form = {
        "outcome": "corrected",
        "change_made": "School changed to Oakfield Academy",
        **date_fields("told_on", today()),
    }
    response = ig_client.post(outcome_url(rectification), form)
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.outcome == "corrected"
    assert rectification.change_made == "School changed to Oakfield Academy"
    assert (rectification.told_on, rectification.decided_by) == (today(), ig_officer)
    page = ig_client.get(response["Location"])
    assert b"School changed to Oakfield Academy" in page.content
    assert b"Record the outcome" not in page.content


def test_a_refused_rectification_keeps_its_reason(ig_client, rectification):
    form = {
        "outcome": "refused",
        "refusal_ground": "accurate",
        "refusal_reason": "The school named is the one Jamie attends",
        **date_fields("told_on", today()),
    }
    assert ig_client.post(outcome_url(rectification), form).status_code == 302
    rectification.refresh_from_db()
    assert (
        rectification.outcome,
        rectification.refusal_ground,
        rectification.refusal_reason,
        rectification.change_made,
    ) == ("refused", "accurate", "The school named is the one Jamie attends", "")


def test_request_pages_are_audited_reads(ig_client, subject_access, rectification):
    for url in (
        reverse("rights:subject_access", args=[subject_access.person_id, subject_access.pk]),
        reverse("rights:rectification", args=[rectification.person_id, rectification.pk]),
    ):
        assert ig_client.get(url).status_code == 200
    reads = AuditEvent.objects.filter(action="view", person_id=subject_access.person_id)
    assert set(reads.values_list("record_type", flat=True)) == {
        "subject_access_request",
        "rectification_request",
    }
