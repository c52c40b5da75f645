"""Erasure removes a person's data everywhere and leaves only a tombstone that does not identify them."""

import datetime
import json
import os
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dsr.audit import records, redaction
from dsr.audit.chain import seal_events
from dsr.audit.models import REMOVED, AuditEvent
from dsr.audit.verification import verify_chain
from dsr.dates import format_date, today
from dsr.documents.models import Document
from dsr.governance import erasure
from dsr.governance import services as governance_services
from dsr.people import services
from dsr.people.models import Person
from dsr.people.values import CircumstancesUpdate, DiagnosisDetails, LoggedContact
from dsr.referrals import services as referral_services
from dsr.registers.models import Role
from dsr.reviews import services as review_services
from dsr.rights import redactions
from dsr.rights import services as rights_services
from tests.factories import make_person, member, national_risk_factors, valid_nhs_number
from tests.pages import date_fields, error_summary
from tests.referrals.data import referral_values
from tests.rights.populated import a_parent, text_of
from tests.urls_walk import give_record_ids

GIVEN, FAMILY = "Zephyrine", "Quillfeather"
CHANGED = "was changed after it was sealed, or put into the chain behind the application's back"


def populate(person: Person, by) -> None:
    """Something of every kind of record the register holds about a person, through the services."""
    ids = give_record_ids(person, by)
    # A review's recommendation, followed up as an action with its history.
    review_services.add_recommendation(
        review=person.reviews.get(pk=ids["review_id"]),
        text=f"{GIVEN} to have a sensory assessment",
        follow_up={"owner_name": "Sam Keyworker", "due_on": today() + datetime.timedelta(days=28)},
        by=by,
    )
    # Referred by their family, and the referral linked to their record: the outbox holds the messages.
    referral = referral_services.submit_referral(
        register=person.register,
        answers=referral_values(
            given_name=GIVEN,
            family_name=FAMILY,
            date_of_birth=person.date_of_birth,
            nhs_number=person.nhs_number,
            contact_name=f"Sam {FAMILY}",
            contact_email=f"sam.{FAMILY.lower()}@example.com",
        ),
        by=None,
    )
    referral_services.accept_referral(
        referral=referral,
        reason="Known to us",
        rating="amber",
        rationale="As before",
        factors=national_risk_factors()[:1],
        by=by,
        link_to=person,
    )
    services.update_circumstances(
        person=person,
        circumstances=CircumstancesUpdate(key_safety_information=f"{GIVEN} is frightened of dogs"),
        by=by,
    )
    services.add_diagnosis(
        person=person, diagnosis=DiagnosisDetails(condition="autism", status="confirmed"), by=by
    )
    services.log_contact(
        person=person,
        contact=LoggedContact(kind="phone", occurred_on=today(), summary=f"Spoke to {GIVEN}'s mother"),
        by=by,
    )
    governance_services.upload_document(
        person=person,
        kind="other",
        title=f"Letter about {GIVEN} {FAMILY}",
        file=SimpleUploadedFile("letter.pdf", f"%PDF-1.7\n{GIVEN} {FAMILY}\n%%EOF\n".encode()),
        by=by,
    )
    # Their mother, withheld from the subject access pack: the redaction log goes with the record.
    request = person.subject_access_requests.get()
    mother = next(v for v in redactions.review_of(request).values if v.value.startswith("Spoke to"))
    redactions.mark_values(request=request, marks={mother.key: "family"}, by=by)


def nothing_keeps(person: Person, by) -> None:
    """Lift the legal hold and answer the requests `populate` left open, so the record may be erased."""
    governance_services.lift_legal_hold(hold=person.legal_holds.get(), reason="The claim was settled", by=by)
    rights_services.close_subject_access_request(
        request=person.subject_access_requests.get(),
        status="refused",
        sent_on=today(),
        refusal_ground="unfounded",
        refusal_reason="Withdrawn by the family",
        by=by,
    )
    rights_services.decide_rectification_request(
        request=person.rectification_requests.get(),
        outcome="corrected",
        told_on=today(),
        change_made="Address brought up to date",
        by=by,
    )


def leave(person: Person, by, days_ago: int = 10) -> Person:
    services.remove_from_register(
        person=person, left_on=today() - datetime.timedelta(days=days_ago), reason="Moved away", by=by
    )
    person.refresh_from_db()
    return person


def everything_in_the_database() -> str:
    """Every row of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names)
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks).lower()


def everything_in_the_file_store() -> bytes:
    content = b""
    for directory, _, files in os.walk(settings.DOCUMENTS_ROOT):
        for name in files:
            with open(os.path.join(directory, name), "rb") as file:
                content += file.read()
    return content.lower()


@pytest.fixture(autouse=True)
def file_store(settings, tmp_path):
    """A file store of this test's own, so the search sees only what this test stored."""
    settings.DOCUMENTS_ROOT = tmp_path


@pytest.fixture
def subject(register, coordinator, coordinator_client):
    nhs_number = valid_nhs_number()
    person = make_person(
        register=register,
        by=coordinator,
        given_name=GIVEN,
        family_name=FAMILY,
        nhs_number=nhs_number,
        joined_at=timezone.now() - datetime.timedelta(days=400),
    )
    populate(person, coordinator)
    nothing_keeps(person, coordinator)
    # Read and searched for, so the audit trail holds their name and NHS number as someone typed them.
    coordinator_client.get(f"/people/{person.pk}/")
    coordinator_client.get("/people/", {"q": FAMILY})
    coordinator_client.get("/people/", {"q": f"{nhs_number[:3]} {nhs_number[3:6]} {nhs_number[6:]}"})
    return leave(person, coordinator)


def test_the_fully_populated_person_has_every_kind_of_record(subject):
    """Keeps the erasure search honest: a new kind of record must be populated here too."""
    empty = [kind.heading for kind in records.kinds() if not kind.records_of(subject).exists()]
    assert empty == []


def test_erasure_leaves_nothing_identifying_in_the_database_or_the_file_store(
    subject, coordinator, django_capture_on_commit_callbacks
):
    nhs_number = subject.nhs_number
    assert FAMILY.lower() in everything_in_the_database()
    assert FAMILY.lower().encode() in everything_in_the_file_store()

    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase_person(person=subject, rule="Erased in a test", by=coordinator)

    database = everything_in_the_database()
    for identifier in (GIVEN, FAMILY, nhs_number, f"{nhs_number[:3]} {nhs_number[3:6]} {nhs_number[6:]}"):
        assert identifier.lower() not in database, identifier
        assert identifier.lower().encode() not in everything_in_the_file_store(), identifier
    assert not Document.objects.exists()


def test_the_tombstone_keeps_the_id_the_dates_and_the_rule(subject, coordinator):
    joined_on, left_on = subject.episodes.get().joined_on, subject.left_on

    erased = erasure.erase_person(person=subject, rule="Erased in a test", by=coordinator)

    tombstone = AuditEvent.objects.get(pk=erased.tombstone_id)
    assert tombstone.action == AuditEvent.Action.ERASE
    assert tombstone.person_id == subject.pk
    assert tombstone.changes["rule"] == "Erased in a test"
    assert tombstone.changes["joined_on"] == joined_on.isoformat()
    assert tombstone.changes["left_on"] == left_on.isoformat()
    assert tombstone.changes["erased_on"] == today().isoformat()
    assert tombstone.changes["records_removed"]["Documents"] == 2
    assert tombstone.changes["files_removed"] == 2
    assert FAMILY not in json.dumps(tombstone.changes)
    assert not Person.objects.filter(pk=subject.pk).exists()


def test_the_audit_trail_still_verifies_after_erasure(subject, coordinator):
    erasure.erase_person(person=subject, rule="Erased in a test", by=coordinator)
    seal_events()
    verdict = verify_chain()
    assert verdict.intact, verdict.problems
    assert AuditEvent.objects.filter(redacted=True).count() > 10


def test_erasure_of_one_person_leaves_everyone_else_alone(subject, register, coordinator):
    other = make_person(register=register, by=coordinator, given_name="Robin", family_name="Other")
    before = AuditEvent.objects.filter(person_id=other.pk).values_list("pk", "changes")

    erasure.erase_person(person=subject, rule="Erased in a test", by=coordinator)

    other.refresh_from_db()
    assert other.ratings.count() == 1
    assert list(AuditEvent.objects.filter(person_id=other.pk).values_list("pk", "changes")) == list(before)


def test_removing_values_from_an_event_behind_the_apps_back_is_detected(person, coordinator):
    """Redaction is erasure's alone: an event emptied without a tombstone naming it is tampering."""
    services.log_contact(
        person=person,
        contact=LoggedContact(kind="phone", occurred_on=today(), summary="Called"),
        by=coordinator,
    )
    seal_events()
    redaction.redact({event.pk: [""] for event in AuditEvent.objects.filter(record_type="contactlog")})

    problems = verify_chain().problems
    assert any("no erasure accounts for it" in problem for problem in problems)


def test_changing_an_events_values_behind_the_apps_back_is_detected(person, coordinator):
    seal_events()
    event = AuditEvent.objects.filter(person_id=person.pk, action=AuditEvent.Action.CREATE).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_auditevent SET changes = %s WHERE id = %s",
            [json.dumps({"given_name": [None, "Someone Else"]}), event.pk],
        )
    assert any("changed after it was sealed" in problem for problem in verify_chain().problems)


# The information governance officer's page.


@pytest.fixture
def ig_client(register):
    client = Client()
    client.force_login(member(register, Role.IG, username="ig"))
    return client


def test_an_ig_officer_erases_a_record_on_request(ig_client, subject, django_capture_on_commit_callbacks):
    url = f"/governance/people/{subject.pk}/erase/"
    assert FAMILY in ig_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = ig_client.post(
            url, {"reason": "parent", "confirm": "true", **date_fields("received_on", today())}, follow=True
        )

    assert f"tombstone for record {subject.pk}" in response.content.decode()
    assert not Person.objects.filter(pk=subject.pk).exists()
    tombstone = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert tombstone.changes["rule"].startswith(f"Erased on request received {today():%-d %B %Y}")
    assert tombstone.username == "ig"


def test_erasure_without_confirming_changes_nothing(ig_client, subject):
    response = ig_client.post(
        f"/governance/people/{subject.pk}/erase/", {"reason": "person", **date_fields("received_on", today())}
    )
    assert response.status_code == 200
    assert ("#confirm", "Confirm that you understand the record cannot be recovered") in error_summary(
        response
    )
    assert Person.objects.filter(pk=subject.pk).exists()


def a_legal_hold(person, by) -> str:
    hold = governance_services.set_legal_hold(
        person=person,
        reason="An inquest into an incident on the ward",
        reference="INQ-2026-31",
        review_on=today() + datetime.timedelta(days=90),
        by=by,
    )
    return (
        f"The record is under legal hold (reference INQ-2026-31), held until reviewed on "
        f"{format_date(hold.review_on)}. An information governance officer lifts the hold first; then the "
        "record can be erased."
    )


def an_open_subject_access_request(person, by) -> str:
    rights_services.record_subject_access_request(person=person, requester=a_parent(), by=by)
    return (
        f"A subject access request received on {format_date(today())} is still open. Close it first; then "
        "the record can be erased."
    )


def an_open_rectification_request(person, by) -> str:
    rights_services.record_rectification_request(
        person=person, requester=a_parent(), what_is_wrong="Their school is out of date", by=by
    )
    return (
        f"A rectification request received on {format_date(today())} is still open. Record its outcome "
        "first; then the record can be erased."
    )


@pytest.mark.parametrize(
    "kept_by", [a_legal_hold, an_open_subject_access_request, an_open_rectification_request]
)
def test_the_erasure_page_says_why_a_record_is_kept_and_erases_nothing(
    ig_client, subject, coordinator, kept_by
):
    why = kept_by(subject, coordinator)
    url = f"/governance/people/{subject.pk}/erase/"
    page = ig_client.get(url).content.decode()
    assert "This record cannot be erased yet" in page
    assert why in text_of(page)
    changes_before = AuditEvent.objects.exclude(action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.LIST])

    response = ig_client.post(
        url, {"reason": "parent", "confirm": "true", **date_fields("received_on", today())}
    )

    assert response.status_code == 200
    assert ("", why) in error_summary(response)
    assert Person.objects.filter(pk=subject.pk).exists()
    assert list(
        AuditEvent.objects.exclude(action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.LIST])
    ) == list(changes_before)


def test_erasure_is_refused_whatever_the_way_in_while_the_record_is_held(subject, coordinator):
    a_legal_hold(subject, coordinator)
    with pytest.raises(ValidationError):
        erasure.erase_person(person=subject, rule="Erased in a test", by=coordinator)
    assert Person.objects.filter(pk=subject.pk).exists()


def test_a_person_still_on_the_register_is_not_erased(ig_client, person):
    url = f"/governance/people/{person.pk}/erase/"
    assert "A coordinator takes them off it first" in ig_client.get(url).content.decode()

    response = ig_client.post(
        url, {"reason": "person", "confirm": "true", **date_fields("received_on", today())}
    )

    assert response.status_code == 200
    refusal = (
        "Jamie is still on the register. A coordinator takes them off it first; "
        "then the record can be erased."
    )
    assert ("", refusal) in error_summary(response)
    assert Person.objects.filter(pk=person.pk).exists()


# A search that showed several people.


def other_persons_id_changed(changes: dict, kept: str) -> dict:
    return {**changes, "shown": [str(uuid.uuid4()) if shown == kept else shown for shown in changes["shown"]]}


def removed_search_filled_in_again(changes: dict, kept: str) -> dict:
    return {**changes, "filters": {"q": "Rivers"}}


@pytest.mark.parametrize("edit", [other_persons_id_changed, removed_search_filled_in_again])
def test_erasing_one_of_two_people_a_search_showed_keeps_what_it_recorded_about_the_other(
    register, coordinator, coordinator_client, person, ig_client, django_capture_on_commit_callbacks, edit
):
    """A search for "Rivers" showed Jamie and Alex Rivers, and Alex is erased: the search's record still
    shows it listed Jamie, loses only what identified Alex (the name typed and Alex's id), and verifies;
    an edit to what remains still shows."""
    alex = make_person(
        register=register,
        by=coordinator,
        given_name="Alex",
        family_name="Rivers",
        joined_at=timezone.now() - datetime.timedelta(days=400),
    )
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.get("/people/", {"q": "Rivers"})
    search = AuditEvent.objects.get(action=AuditEvent.Action.LIST)
    assert sorted(search.people_shown) == sorted([str(person.pk), str(alex.pk)])
    leave(alex, coordinator)

    erased = erasure.erase_person(person=alex, rule="Erased in a test", by=coordinator)

    search.refresh_from_db()
    assert search.people_shown == [str(person.pk)]
    assert search.erased_shown == 1
    assert search.changes["filters"] == {"q": REMOVED}
    assert search.changes["page"] == 1
    assert str(alex.pk) not in json.dumps(search.changes)
    tombstone = AuditEvent.objects.get(pk=erased.tombstone_id)
    assert tombstone.changes["redacted_parts"][str(search.pk)] == sorted(
        ["/filters/q", f"/shown/{search.changes['shown'].index(REMOVED)}"]
    )
    trail = ig_client.get(reverse("governance:audit_trail"), {"action": "list"}).content.decode()
    assert f"{person.full_name}; 1 record erased since" in trail
    seal_events()
    verdict = verify_chain()
    assert verdict.intact, verdict.problems

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_auditevent SET changes = %s WHERE id = %s",
            [json.dumps(edit(search.changes, str(person.pk))), search.pk],
        )
    problems = verify_chain().problems
    assert problems == [f"Event {search.chain_position} (id {search.pk}) {CHANGED}"]


def test_erasing_both_people_a_search_showed_leaves_who_searched_when_and_still_verifies(
    register, coordinator, coordinator_client, person, django_capture_on_commit_callbacks
):
    alex = make_person(register=register, by=coordinator, given_name="Alex", family_name="Rivers")
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.get("/people/", {"q": "Rivers"})

    for erased in (alex, person):
        erasure.erase_person(
            person=leave(erased, coordinator, days_ago=0), rule="Erased in a test", by=coordinator
        )

    search = AuditEvent.objects.get(action=AuditEvent.Action.LIST)
    assert search.changes == {"filters": {"q": REMOVED}, "page": 1, "shown": [REMOVED, REMOVED]}
    assert search.username == "coordinator"
    seal_events()
    verdict = verify_chain()
    assert verdict.intact, verdict.problems
