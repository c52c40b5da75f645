"""Before the pack is sent, the IG officer withholds what identifies other people: each marked value shows as
"[redacted: third party]" in the PDF and the JSON, and the redaction log stays with the request."""

import io
import json
import uuid
import zipfile

import pytest
from django.urls import reverse

from dsr.audit import records
from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.governance import erasure
from dsr.people import services as people_services
from dsr.people.models import Episode, Person
from dsr.people.values import LoggedContact
from dsr.registers.models import Role
from dsr.rights import redactions, services
from dsr.rights.models import PackRedaction, RectificationRequest, SubjectAccessRequest
from dsr.rights.pack import REDACTED
from tests.factories import member
from tests.pages import audit_changes, error_summary
from tests.rights.populated import a_parent, populate, text_of
from tests.rights.test_pack import pack_url, pdf_text

AUNT = "Aunt Beatrice Okonjo came to the visit"
STAFF_EMAIL = "sam.okafor@example.nhs.uk"  # the keyworker's contact, as populate records it


@pytest.fixture
def subject_access(person, coordinator, ig_officer):
    populate(person, coordinator)
    people_services.log_contact(
        person=person, contact=LoggedContact(kind="visit", occurred_on=today(), summary=AUNT), by=coordinator
    )
    return services.record_subject_access_request(person=person, requester=a_parent(), by=ig_officer)


def review_url(request) -> str:
    return reverse(
        "rights:review_pack", kwargs={"person_id": request.person_id, "subject_access_id": request.pk}
    )


def key_of(request, value: str) -> str:
    """The key of the pack's value that reads `value`."""
    return next(v.key for v in redactions.review_of(request).values if v.value == value)


def marks(*pairs: tuple[str, str]) -> dict:
    """The review form as a browser posts it: the boxes ticked, and each value's reason."""
    return {"withhold": [key for key, _ in pairs], **{f"reason-{key}": reason for key, reason in pairs}}


def produce(client, request) -> zipfile.ZipFile:
    response = client.post(pack_url(request))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_review_page_lists_every_value_with_a_box_and_a_reason(ig_client, subject_access, ig_officer):
    response = ig_client.get(review_url(subject_access))
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert "Withhold information about other people" in text
    assert "Contacts and events" in text and AUNT in text and STAFF_EMAIL in text
    key = key_of(subject_access, AUNT)
    assert f'name="withhold" type="checkbox" value="{key}"' in html
    assert f'name="reason-{key}"' in html
    assert "Nothing is withheld: the pack shows every value." in text
    read = AuditEvent.objects.filter(action="view", user_id=ig_officer.pk).latest("id")
    assert (read.record_type, read.person_id) == ("subject_access_pack_review", subject_access.person_id)


def test_marked_values_are_withheld_from_the_pdf_and_the_json(ig_client, subject_access):
    aunt, email = key_of(subject_access, AUNT), key_of(subject_access, STAFF_EMAIL)
    response = ig_client.post(review_url(subject_access), marks((aunt, "family"), (email, "staff")))
    assert response.status_code == 302

    archive = produce(ig_client, subject_access)

    text = pdf_text(archive)
    assert "Beatrice" not in text and STAFF_EMAIL not in text
    assert text.count(REDACTED) >= 2
    assert "2 values are shown as [redacted: third party]" in text
    assert "Home visit with the family" in text  # what is not marked is sent
    raw = archive.read("record.json").decode()
    assert "Beatrice" not in raw and STAFF_EMAIL not in raw
    data = json.loads(raw)
    contacts = data["sections"]["people.contactlog"]["records"]
    assert [c["summary"] for c in contacts] == ["Home visit with the family", REDACTED]
    assert data["sections"]["people.involvement"]["records"][0]["contact"] == REDACTED
    assert data["withheld"]["values"] == 2 and data["withheld"]["shown_as"] == REDACTED


def test_the_redaction_log_stays_with_the_request_and_is_not_in_the_zip(
    ig_client, subject_access, ig_officer
):
    aunt = key_of(subject_access, AUNT)
    ig_client.post(review_url(subject_access), marks((aunt, "family")))

    archive = produce(ig_client, subject_access)

    assert set(archive.namelist()) == {
        "record.pdf",
        "record.json",
        "documents/education-health-and-care-plan.pdf",
    }
    everything = pdf_text(archive) + archive.read("record.json").decode()
    assert PackRedaction.Reason.FAMILY.label not in everything
    assert "packredaction" not in everything and "Values withheld" not in everything
    log = text_of(ig_client.get(review_url(subject_access)).content.decode())
    assert "What is withheld" in log
    assert (
        f"Summary (Contacts and events 2 of 2) {AUNT} {PackRedaction.Reason.FAMILY.label} Grace Adeyemi"
        in log
    )


def test_marking_changing_and_unmarking_are_audited(ig_client, subject_access, ig_officer):
    aunt = key_of(subject_access, AUNT)
    ig_client.post(review_url(subject_access), marks((aunt, "family")))
    mark = subject_access.redactions.get()
    assert (mark.record_kind, mark.field_name, mark.reason, mark.marked_by) == (
        "people.contactlog",
        "summary",
        "family",
        ig_officer,
    )
    ig_client.post(review_url(subject_access), marks((aunt, "confidence")))
    ig_client.post(review_url(subject_access), {})  # every box unticked

    assert not subject_access.redactions.exists()
    events = AuditEvent.objects.filter(record_type="packredaction").order_by("id")
    assert [e.action for e in events] == ["create", "change", "delete"]
    assert {e.person_id for e in events} == {subject_access.person_id}
    assert events[1].changes == {"reason": ["family", "confidence"]}


def test_a_value_marked_without_a_reason_is_refused_and_nothing_changes(ig_client, subject_access):
    aunt, email = key_of(subject_access, AUNT), key_of(subject_access, STAFF_EMAIL)
    before = audit_changes()
    response = ig_client.post(review_url(subject_access), marks((aunt, "family"), (email, "")))
    assert response.status_code == 200
    assert error_summary(response) == [
        (f"#id_reason-{email}", "Choose why Phone or email (Care team) is withheld"),
    ]
    assert not subject_access.redactions.exists()
    assert audit_changes() == before


def test_a_value_not_in_the_pack_is_refused_and_nothing_changes(ig_client, subject_access):
    aunt = key_of(subject_access, AUNT)
    elsewhere = f"people.person.{uuid.uuid4()}.given_name"
    before = audit_changes()
    response = ig_client.post(review_url(subject_access), marks((aunt, "family"), (elsewhere, "family")))
    assert response.status_code == 200
    assert [message for _, message in error_summary(response)] == [redactions.NOT_IN_THE_PACK]
    assert not subject_access.redactions.exists()
    assert audit_changes() == before


def test_the_service_refuses_a_value_not_in_the_pack_or_without_a_reason(subject_access, ig_officer):
    from django.core.exceptions import ValidationError

    aunt = key_of(subject_access, AUNT)
    with pytest.raises(ValidationError, match="no longer in the pack"):
        redactions.mark_values(request=subject_access, marks={f"{aunt}x": "family"}, by=ig_officer)
    with pytest.raises(ValidationError, match="Choose why"):
        redactions.mark_values(request=subject_access, marks={aunt: "because"}, by=ig_officer)
    assert not subject_access.redactions.exists()


def test_a_closed_requests_marks_can_no_longer_be_changed(ig_client, subject_access):
    SubjectAccessRequest.objects.filter(pk=subject_access.pk).update(status="completed")
    page = ig_client.get(review_url(subject_access)).content.decode()
    assert "This request is closed" in page and 'name="withhold"' not in page
    response = ig_client.post(review_url(subject_access), marks((key_of(subject_access, AUNT), "family")))
    assert [message for _, message in error_summary(response)] == [redactions.CLOSED]
    assert not subject_access.redactions.exists()


def test_a_withheld_document_title_does_not_name_its_file(ig_client, subject_access):
    title = key_of(subject_access, "Education, health and care plan")
    ig_client.post(review_url(subject_access), marks((title, "other_person")))

    archive = produce(ig_client, subject_access)

    assert "documents/document.pdf" in archive.namelist()
    text = pdf_text(archive)
    assert f"Title {REDACTED}" in text and "Title Education, health and care plan" not in text
    assert f"{REDACTED} documents/document.pdf" in text  # the files in the pack
    assert json.loads(archive.read("record.json"))["documents"][0]["title"] == REDACTED


def test_the_produce_page_says_how_many_values_will_be_withheld(ig_client, subject_access):
    produce_page = pack_url(subject_access)
    assert "Nothing will be withheld" in text_of(ig_client.get(produce_page).content.decode())
    ig_client.post(review_url(subject_access), marks((key_of(subject_access, AUNT), "family")))
    text = text_of(ig_client.get(produce_page).content.decode())
    assert (
        '1 value identifies someone else and will be withheld: the pack shows "[redacted: third party]"'
        in text
    )
    assert review_url(subject_access) in ig_client.get(produce_page).content.decode()


def test_an_ig_officer_of_another_register_cannot_reach_the_review(client, other_register, subject_access):
    client.force_login(member(other_register, Role.IG))
    assert client.get(review_url(subject_access)).status_code == 404
    key = key_of(subject_access, AUNT)
    assert client.post(review_url(subject_access), marks((key, "family"))).status_code == 404
    assert not subject_access.redactions.exists()


def test_a_coordinator_cannot_reach_the_review_of_their_own_person(coordinator_client, subject_access):
    assert coordinator_client.get(review_url(subject_access)).status_code == 404


def test_the_marks_go_when_the_person_is_erased(subject_access, ig_officer, coordinator):
    redactions.mark_values(
        request=subject_access, marks={key_of(subject_access, AUNT): "family"}, by=ig_officer
    )
    person = subject_access.person
    SubjectAccessRequest.objects.filter(person=person).update(status="completed")
    RectificationRequest.objects.filter(person=person).update(outcome="corrected")
    Episode.objects.filter(person=person).update(left_on=today())
    Person.objects.filter(pk=person.pk).update(status=Person.Status.LEFT)
    erased = erasure.erase_person(person=person, rule="A test", by=coordinator)
    assert not PackRedaction.objects.exists()
    assert erased.records_removed["Values withheld from subject access packs"] == 1


@pytest.mark.parametrize("more", [0, 3])
def test_the_review_page_runs_the_same_queries_whatever_the_number_of_records(
    ig_client, subject_access, coordinator, ig_officer, django_assert_num_queries, more
):
    for _ in range(more):
        populate(subject_access.person, coordinator, admit=False)
    redactions.mark_values(
        request=subject_access, marks={key_of(subject_access, AUNT): "family"}, by=ig_officer
    )
    with django_assert_num_queries(QUERIES_ON_REVIEW_PAGE):
        assert ig_client.get(review_url(subject_access)).status_code == 200


# One per kind of record in the pack and one for the ratings' risk factors; session, user, memberships, the
# person, the request, the marks, and the read event with its savepoint and release.
QUERIES_ON_REVIEW_PAGE = len(records.pack_kinds()) + 1 + 9
