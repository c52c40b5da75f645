"""The subject access pack: one click gives a zip with everything held about the person, readable (PDF)
and machine-readable (JSON), their documents byte for byte, and the log of who looked at the record."""

import datetime
import io
import json
import re
import zipfile
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dsr.audit import records
from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.rights import pack, services
from tests.factories import make_person, rated_many_times
from tests.rights.populated import REPORT, a_parent, populate

# What `populate` records, plus the person's own details, rating and time on the register.
POPULATED = {
    "people.person",
    "people.circumstances",
    "people.episode",
    "people.diagnosis",
    "people.involvement",
    "people.consent",
    "people.admission",
    "people.contactlog",
    "ratings.riskrating",
    "governance.document",
    "rights.subjectaccessrequest",
    "rights.rectificationrequest",
}


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def full_person(person, coordinator, ig_officer):
    populate(person, coordinator)
    return person


@pytest.fixture
def subject_access(full_person, ig_officer):
    return services.record_subject_access_request(person=full_person, requester=a_parent(), by=ig_officer)


def pack_url(request) -> str:
    return reverse(
        "rights:produce_pack", kwargs={"person_id": request.person_id, "subject_access_id": request.pk}
    )


@dataclass
class Produced:
    response: object
    archive: zipfile.ZipFile
    held: dict  # kind key -> the records as they were when the pack was produced
    events: int  # audit events about the person before the pack


@pytest.fixture
def produced(ig_client, full_person, subject_access) -> Produced:
    """The zip an IG officer downloads with the button, opened, and what was held at the time."""
    ig_client.get(reverse("rights:person", args=[full_person.pk]))  # an IG read, to find in the access log
    held = {kind.key: list(kind.records_of(full_person)) for kind in records.kinds()}
    events = AuditEvent.objects.filter(person_id=full_person.pk).count()
    response = ig_client.post(pack_url(subject_access))
    assert response.status_code == 200
    return Produced(response, zipfile.ZipFile(io.BytesIO(response.content)), held, events)


def pdf_text(archive: zipfile.ZipFile) -> str:
    reader = PdfReader(io.BytesIO(archive.read("record.pdf")))
    return one_line(" ".join(page.extract_text() for page in reader.pages))


def test_the_button_downloads_a_zip_named_after_the_request_and_the_day(produced, subject_access):
    response, archive = produced.response, produced.archive
    assert response["Content-Type"] == "application/zip"
    expected = f"subject-access-{str(subject_access.pk)[:8]}-{today().isoformat()}.zip"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert set(archive.namelist()) == {
        "record.pdf",
        "record.json",
        "documents/education-health-and-care-plan.pdf",
    }


def test_the_pdf_has_every_kind_of_record_with_its_values(produced, full_person):
    archive = produced.archive
    text = pdf_text(archive)
    assert text.startswith("The record of Jamie Rivers")
    kinds = records.pack_kinds()
    assert {kind.key for kind in kinds} >= POPULATED
    for kind in kinds:
        assert kind.heading in text, kind.heading
        rows = produced.held[kind.key]
        if kind.key in POPULATED:
            assert rows, f"{kind.key} should have been populated"
        for row in rows:
            for label, value in records.readable(kind, row):
                if value:
                    assert one_line(f"{label} {value}") in text, (kind.heading, label, value)
    for value in (
        "Frightened of dogs",
        "Littlebrook Hospital",
        "Home visit with the family",
        "Sam Okafor",
        "The school named is the old one",
        full_person.nhs_number,
    ):
        assert value in text
    assert re.search(r"Page 1 of \d+", text)


def test_a_kind_with_no_records_says_none_recorded(ig_client, register, coordinator, ig_officer):
    """A person with only their joining details: no diagnosis, admissions or documents."""
    person = make_person(register=register, by=coordinator, given_name="Robin", family_name="Baker")
    text = one_line(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(pack.as_pdf(pack.assemble(person)))).pages
        )
    )
    assert "Diagnoses None recorded." in text
    assert "Hospital admissions None recorded." in text
    assert "Documents None recorded." in text


def test_the_json_has_every_kind_of_record_with_its_values(produced, full_person, register):
    archive = produced.archive
    data = json.loads(archive.read("record.json"))
    assert data["person_id"] == str(full_person.pk)
    assert data["register"] == register.name
    assert data["produced_at"].startswith(today().isoformat())
    assert list(data["sections"]) == [kind.key for kind in records.pack_kinds()]
    for kind in records.pack_kinds():
        section = data["sections"][kind.key]
        assert section["heading"] == kind.heading
        rows = produced.held[kind.key]
        assert section["records"] == [
            json.loads(json.dumps(records.machine_readable(kind, r), default=str)) for r in rows
        ]
    details = data["sections"]["people.person"]["records"][0]
    assert (details["given_name"], details["nhs_number"]) == ("Jamie", full_person.nhs_number)
    assert (
        data["sections"]["people.circumstances"]["records"][0]["key_safety_information"]
        == "Frightened of dogs"
    )
    assert data["documents"][0]["file"] == "documents/education-health-and-care-plan.pdf"


def test_the_documents_are_in_the_zip_byte_for_byte(produced):
    archive = produced.archive
    assert archive.read("documents/education-health-and-care-plan.pdf") == REPORT


def test_documents_with_the_same_title_get_different_names(full_person, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dsr.governance import services as governance_services

    governance_services.upload_document(
        person=full_person,
        kind="other",
        title="Education, health and care plan",
        file=SimpleUploadedFile("x.pdf", REPORT + b"2", content_type="application/pdf"),
        by=coordinator,
    )
    archive = zipfile.ZipFile(io.BytesIO(pack.build_pack(full_person)))
    names = sorted(n for n in archive.namelist() if n.startswith("documents/"))
    assert names == [
        "documents/education-health-and-care-plan-2.pdf",
        "documents/education-health-and-care-plan.pdf",
    ]
    assert {archive.read(n) for n in names} == {REPORT, REPORT + b"2"}


def test_the_access_log_shows_who_looked_at_and_changed_the_record(produced, full_person):
    archive = produced.archive
    log = json.loads(archive.read("record.json"))["access_log"]
    assert log == sorted(log, key=lambda line: line["at"])
    assert {
        "user": "Priya Shah",
        "role": "Register coordinator",
        "what": "Created the person's record",
    }.items() <= log[0].items()
    ig_reads = [line for line in log if line["user"] == "Grace Adeyemi" and line["what"].startswith("Viewed")]
    assert ig_reads and ig_reads[0]["role"] == "Information governance officer"
    assert (
        ig_reads[0]["what"] == "Viewed the information requests page" and ig_reads[0]["source"] == "Web page"
    )
    assert len(log) == produced.events
    text = pdf_text(archive)
    assert "Who has looked at or changed this record" in text
    line = "Grace Adeyemi, Information governance officer · Viewed the information requests page · Web page"
    assert line in text


def test_the_pdf_prints_the_access_log_month_by_month_a_line_to_each_time(produced):
    log = json.loads(produced.archive.read("record.json"))["access_log"]
    text = pdf_text(produced.archive)
    shown = text[text.index("Who has looked at or changed this record") :]
    assert shown.index(f"{timezone.localtime():%B %Y}") < shown.index(log[0]["user"])
    assert len(re.findall(r"\d{1,2} \w+ \d{4} at \d\d:\d\d · ", shown)) == len(log)


def test_the_access_log_falls_in_months_as_the_clock_in_england_read():
    def line(*at):
        return pack.AccessLine(
            at=datetime.datetime(*at, tzinfo=datetime.UTC), user="Priya Shah", role="", what="", source=""
        )

    first, second, third = line(2026, 6, 29, 9, 0), line(2026, 6, 30, 23, 30), line(2026, 7, 2, 9, 0)
    # Half past eleven at night on 30 June in UTC is half past midnight on 1 July in British Summer Time.
    assert pack.by_month([first, second, third]) == [("June 2026", [first]), ("July 2026", [second, third])]


def test_the_access_log_says_what_was_done_in_plain_words(produced):
    log = json.loads(produced.archive.read("record.json"))["access_log"]
    said = {line["what"] for line in log}
    assert {
        "Created the person's record",
        "Changed the rating",
        "Recorded a diagnosis",
        "Added a care team member",
    } <= said
    assert not [what for what in said if "_" in what or what.split()[0].islower()]
    text = pdf_text(produced.archive)
    for code_name in (
        "riskrating",
        "contactlog",
        "subjectaccessrequest",
        "information_rights",
        "Created person",
    ):
        assert code_name not in text


def test_producing_the_pack_is_audited_and_noted_on_the_request(
    produced, subject_access, ig_officer, full_person
):
    export = AuditEvent.objects.get(action="export")
    assert (export.record_type, export.person_id, export.register_id) == (
        "subject_access_pack",
        full_person.pk,
        full_person.register_id,
    )
    assert export.user_id == ig_officer.pk
    assert export.changes == {
        "registers": [full_person.register_id],
        "request": str(subject_access.pk),
        "documents": 1,
        "withheld": 0,
    }
    subject_access.refresh_from_db()
    assert subject_access.pack_produced_by == ig_officer and subject_access.pack_produced_at is not None
    noted = AuditEvent.objects.get(action="change", record_type="subjectaccessrequest")
    assert set(noted.changes) == {"pack_produced_at", "pack_produced_by"}


def test_the_request_page_offers_the_button_and_shows_when_the_pack_was_produced(
    ig_client, produced, subject_access
):
    page = ig_client.get(reverse("rights:subject_access", args=[subject_access.person_id, subject_access.pk]))
    html = page.content.decode()
    assert f'action="{pack_url(subject_access)}"' in html
    assert "Produce the subject access pack" in html
    assert "by Grace Adeyemi" in html


def test_an_ig_officer_of_another_register_cannot_produce_the_pack(client, other_register, subject_access):
    from dsr.registers.models import Role
    from tests.factories import member

    client.force_login(member(other_register, Role.IG))
    assert client.post(pack_url(subject_access)).status_code == 404
    assert client.get(reverse("rights:person", args=[subject_access.person_id])).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_coordinator_cannot_produce_the_pack_of_their_own_person(coordinator_client, subject_access):
    assert coordinator_client.post(pack_url(subject_access)).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("extra", [0, 5])
def test_building_the_pack_runs_the_same_queries_whatever_the_number_of_records(
    full_person, coordinator, ig_officer, django_assert_num_queries, extra
):
    for _ in range(extra):
        populate(full_person, coordinator, admit=False)  # more of everything, including documents
        services.record_subject_access_request(person=full_person, requester=a_parent(), by=ig_officer)
    with django_assert_num_queries(QUERIES_TO_BUILD_A_PACK):
        pack.build_pack(full_person)


# One per registered kind of record, one for the risk factors of the ratings, and the access log's
# events, users and memberships.
QUERIES_TO_BUILD_A_PACK = len(records.pack_kinds()) + 1 + 3


def test_the_pack_names_a_referrals_concerns_in_words_not_codes(register):
    from dsr.referrals.models import Referral
    from tests.referrals.data import make_referral

    referral = make_referral(register, concerns=("risk_of_harm", "services_breaking_down"))
    shown = dict(records.readable(records.kind_for(Referral), referral))
    assert shown["Concerns"] == (
        "There is a risk of harm to themselves or others; Their support or services are breaking down"
    )


def test_a_long_history_prints_a_line_to_each_entry(ig_client, register, coordinator, ig_officer):
    """Years of rating entries print as a line to each entry, so a pack of ten years' history stays readable
    and is made in seconds; every entry is still there, with its labels."""
    person = make_person(register=register, by=coordinator, given_name="Robin", family_name="Baker")
    entries = pack.MANY_RECORDS + 2
    rated_many_times(person, by=coordinator, times=entries)
    request = services.record_subject_access_request(person=person, requester=a_parent(), by=ig_officer)
    response = ig_client.post(pack_url(request))
    text = pdf_text(zipfile.ZipFile(io.BytesIO(response.content)))
    # The one joining rating from make_person, and the entries above.
    assert f"Ratings: {entries + 1} records, a line to each." in text
    assert all(f"Rationale: Rating review number {n}" in text for n in range(entries))
