"""An IG officer answers a subject access request: finds the person by NHS number, records the request
and downloads the pack in one click."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from dsr.dates import today
from dsr.governance import services as governance_services
from dsr.registers.models import Role
from tests.browser.pages import ErrorSummary, sign_in
from tests.factories import make_person, member

pytestmark = pytest.mark.browser

REPORT = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_an_ig_officer_finds_a_child_records_a_request_and_downloads_the_pack(page, register):
    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    ig = member(register, Role.IG, username="grace", first_name="Grace", last_name="Adeyemi")
    person = make_person(register=register, by=coordinator, given_name="Jamie", family_name="Rivers")
    make_person(register=register, by=coordinator, given_name="Ola", family_name="Banks")
    governance_services.upload_document(
        person=person,
        kind="ehcp",
        title="Education, health and care plan",
        file=SimpleUploadedFile("plan.pdf", REPORT, content_type="application/pdf"),
        by=coordinator,
    )

    sign_in(page, ig.username)
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person")
    page.get_by_label("NHS number or name").fill(person.nhs_number_formatted)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_contain_text("1 person matches")
    page.get_by_role("link", name="Rivers, Jamie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jamie Rivers")

    page.get_by_role("link", name="Record a subject access request").click()
    page.get_by_label("Name of the person asking").fill("Morgan Rivers")
    page.get_by_label("The person themselves").check()
    page.get_by_role("button", name="Record request").click()
    ErrorSummary(page).expect_shown("say whether they were judged competent")

    page.get_by_label("A parent or guardian").check()
    page.get_by_label("No, they are not able to understand this yet").check()
    page.get_by_label("Who judged, and their role").fill("Grace Adeyemi, IG officer")
    page.get_by_label("Why they were judged so").fill("Jamie is 12 and could not say what a record is")
    page.get_by_label("The requester's identity has been checked").check()
    page.get_by_label("How their identity was checked").fill("Passport seen at the office")
    page.get_by_role("button", name="Record request").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Subject access request recorded")
    expect(page.locator("#subject-access")).to_contain_text("days left")

    page.locator("#subject-access tbody a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access request")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Produce the subject access pack").click()
    download = download_info.value
    assert (
        download.suggested_filename
        == f"subject-access-{str(person.subject_access_requests.get().pk)[:8]}-{today().isoformat()}.zip"
    )
    with zipfile.ZipFile(io.BytesIO(download.path().read_bytes())) as archive:
        assert {"record.pdf", "record.json"} <= set(archive.namelist())
        assert archive.read("record.pdf").startswith(b"%PDF")
        assert json.loads(archive.read("record.json"))["person_id"] == str(person.pk)
        assert archive.read("documents/education-health-and-care-plan.pdf") == REPORT

    page.reload()
    expect(page.locator("main")).to_contain_text("by Grace Adeyemi")
