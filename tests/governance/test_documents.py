"""Documents shared about a person: uploaded through the record, kept outside the web root under a
generated name, downloaded only through an access check that is audited."""

import io
import re
import zipfile
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dsr import audit
from dsr.audit.models import AuditEvent
from dsr.documents.models import Document
from dsr.governance import services
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.pages import allocate, detail_url, error_summary, field_error
from tests.people.test_person_page import QUERIES_ON_PERSON_PAGE

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOT_ACCEPTED = "The file must be a PDF, Word document or image"


@pytest.fixture
def documents_root(settings, tmp_path):
    """A fresh, not yet created, DOCUMENTS_ROOT for this test."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


def upload_url(person) -> str:
    return reverse("governance:upload_document", kwargs={"person_id": person.pk})


def pdf(name: str = "salt-report.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(client, person, *, file=None, title="Speech and language report", kind="speech_and_language"):
    return client.post(upload_url(person), {"kind": kind, "title": title, "file": file or pdf()})


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def documents_section(response) -> str:
    html = response.content.decode()
    return html[html.index('id="documents"') : html.index('id="details"')]


def download_links(response) -> list[tuple[str, str]]:
    """(address, link text) for each document listed on the person's page."""
    return [
        (href, unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for href, text in re.findall(
            r'<a href="(/governance/people/[^"]+/documents/[0-9a-f-]{36}/)"[^>]*>(.*?)</a>',
            documents_section(response),
            re.S,
        )
    ]


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "not a Word document")
    return buffer.getvalue()


def test_a_pdf_uploaded_by_the_coordinator_is_listed_on_the_record(
    coordinator_client, person, coordinator, documents_root
):
    response = upload(coordinator_client, person, title="Speech and language report, March 2026")
    assert response.status_code == 302
    assert response["Location"] == detail_url(person) + "#documents"

    page = coordinator_client.get(detail_url(person))
    section = documents_section(page)
    document = person.documents.get()
    assert download_links(page) == [
        (
            reverse("governance:download_document", args=[person.pk, document.pk]),
            "Speech and language report, March 2026 (PDF, download)",
        )
    ]
    assert "Speech and language report</td>" in section  # the kind
    assert "Priya Shah" in section
    assert f"PDF, {len(PDF)} bytes" in section
    assert document.content_type == "application/pdf"
    assert document.uploaded_by == coordinator
    created = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, record_type="document")
    assert (created.record_id, created.person_id, created.user_id) == (
        str(document.pk),
        person.pk,
        coordinator.pk,
    )


def test_the_upload_form_posts_the_file_without_javascript(coordinator_client, person):
    html = coordinator_client.get(upload_url(person)).content.decode()
    form = re.search(r"<form [^>]*>", html[html.index("<main") :]).group(0)
    assert 'method="post"' in form
    assert 'enctype="multipart/form-data"' in form
    assert re.search(
        r'<div\s+class="nhsuk-form-group nhsuk-file-upload" data-module="nhsuk-file-upload"', html
    )
    assert re.search(r'<input class="nhsuk-file-upload__input" id="id_file" name="file" type="file"', html)


def test_the_person_page_offers_the_upload_link_only_to_those_who_may_upload(
    coordinator_client, client, person, register
):
    link = f'href="{upload_url(person)}"'
    assert link in coordinator_client.get(detail_url(person)).content.decode()

    keyworker = member(register, Role.KEYWORKER)
    allocate(person, keyworker, by=person.ratings.first().rated_by)
    client.force_login(keyworker)
    assert link in client.get(detail_url(person)).content.decode()


def test_a_downloaded_document_is_the_same_file_sent_as_an_attachment_and_the_read_is_audited(
    coordinator_client, person, coordinator, documents_root
):
    upload(coordinator_client, person, title="Speech & language: report (March)")
    document = person.documents.get()

    response = coordinator_client.get(download_links(coordinator_client.get(detail_url(person)))[0][0])

    assert response.status_code == 200
    # Reading the whole download closes the response, as a browser finishing it would.
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="speech-language-report-march.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    read = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, record_type="document")
    assert (read.record_id, read.person_id, read.user_id) == (str(document.pk), person.pk, coordinator.pk)


def test_the_download_name_never_carries_a_path_from_the_title(coordinator_client, person, documents_root):
    upload(coordinator_client, person, title="../../etc/passwd")
    response = coordinator_client.get(download_links(coordinator_client.get(detail_url(person)))[0][0])
    b"".join(response.streaming_content)
    assert response["Content-Disposition"] == 'attachment; filename="etcpasswd.pdf"'


def test_the_file_is_kept_under_documents_root_with_a_name_that_is_not_the_uploaded_one(
    coordinator_client, person, documents_root
):
    upload(coordinator_client, person, file=pdf(name="Jamie Rivers SALT report.pdf"))
    document = person.documents.get()
    files = stored_files(documents_root)
    assert files == [documents_root / document.stored_name]
    assert files[0].read_bytes() == PDF
    assert "Jamie" not in document.stored_name
    assert not document.stored_name.endswith(".pdf")
    assert "Jamie Rivers SALT report" not in str(files[0])


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "report.pdf"),  # a Windows program
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100, "report.pdf"),  # a Linux program
        (b"<html><script>alert(1)</script></html>", "report.pdf"),
        (zip_bytes(), "report.docx"),  # a zip that is not a Word document
    ],
    ids=["windows-program", "linux-program", "html", "plain-zip"],
)
def test_a_file_that_is_not_a_document_is_refused_whatever_its_name_and_nothing_is_kept(
    coordinator_client, person, documents_root, content, name
):
    response = upload(coordinator_client, person, file=pdf(name=name, content=content))
    assert response.status_code == 200
    assert field_error(response, "file") == NOT_ACCEPTED
    assert error_summary(response) == [("#id_file", NOT_ACCEPTED)]
    assert not Document.objects.exists()
    assert stored_files(documents_root) == []
    assert not AuditEvent.objects.filter(record_type="document").exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        (
            "plan.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        ("plan.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 200, "application/msword", "doc"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image/png", "png"),
        ("scan.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "image/jpeg", "jpg"),
    ],
    ids=["docx", "doc", "png", "jpeg"],
)
def test_word_documents_and_images_are_accepted_and_typed_from_their_content(
    coordinator_client, person, documents_root, name, content, content_type, extension
):
    # The name says PDF and the browser says text: neither is believed.
    file = SimpleUploadedFile(name.rsplit(".", 1)[0] + ".pdf", content, content_type="text/plain")
    assert upload(coordinator_client, person, file=file, title="Care plan").status_code == 302
    document = person.documents.get()
    assert document.content_type == content_type
    response = coordinator_client.get(reverse("governance:download_document", args=[person.pk, document.pk]))
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="care-plan.{extension}"'


def test_a_file_over_10_mb_is_refused(coordinator_client, person, documents_root):
    big = pdf(content=b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    response = upload(coordinator_client, person, file=big)
    assert field_error(response, "file") == "The file must be smaller than 10 MB"
    assert not Document.objects.exists()
    assert stored_files(documents_root) == []


def test_an_empty_file_is_refused(coordinator_client, person, documents_root):
    response = upload(coordinator_client, person, file=pdf(content=b""))
    assert field_error(response, "file") == "The selected file is empty"
    assert not Document.objects.exists()
    assert stored_files(documents_root) == []


def test_upload_without_a_file_or_title_says_what_is_missing(coordinator_client, person, documents_root):
    response = coordinator_client.post(upload_url(person), {"kind": "ehcp", "title": ""})
    assert dict(error_summary(response)) == {
        "#id_title": "Enter a title for the document",
        "#id_file": "Select a file to upload",
    }
    assert not Document.objects.exists()


def test_a_title_with_markup_is_shown_as_text(coordinator_client, person, documents_root):
    upload(coordinator_client, person, title='<script>alert("x")</script>')
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_a_document_of_a_person_in_another_register_is_not_found(
    coordinator_client, person, other_register, documents_root
):
    elsewhere_coordinator = member(other_register, Role.COORDINATOR)
    elsewhere = make_person(register=other_register, by=elsewhere_coordinator)
    document = services.upload_document(
        person=elsewhere, kind="ehcp", title="EHCP", file=pdf(), by=elsewhere_coordinator
    )
    direct = reverse("governance:download_document", args=[elsewhere.pk, document.pk])
    through_own_person = reverse("governance:download_document", args=[person.pk, document.pk])
    assert coordinator_client.get(direct).status_code == 404
    assert coordinator_client.get(through_own_person).status_code == 404
    assert (
        coordinator_client.post(
            upload_url(elsewhere), {"kind": "ehcp", "title": "x", "file": pdf()}
        ).status_code
        == 404
    )
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, record_type="document").exists()


def test_a_professional_can_upload_a_document(client, person, register, documents_root):
    professional = member(register, Role.PROFESSIONAL, first_name="Helen", last_name="Ward")
    client.force_login(professional)
    assert f'href="{upload_url(person)}"' in client.get(detail_url(person)).content.decode()
    assert upload(client, person).status_code == 302
    assert person.documents.get().uploaded_by == professional
    assert "Helen Ward" in documents_section(client.get(detail_url(person)))


def test_an_analyst_cannot_upload_or_download_a_document(
    client, coordinator, person, register, documents_root
):
    document = services.upload_document(person=person, kind="ehcp", title="EHCP", file=pdf(), by=coordinator)
    analyst = member(register, Role.ANALYST)
    client.force_login(analyst)
    assert upload(client, person).status_code == 404
    download = reverse("governance:download_document", args=[person.pk, document.pk])
    assert client.get(download).status_code == 404
    assert list(Document.objects.all()) == [document]
    assert stored_files(documents_root) == [documents_root / document.stored_name]


def test_if_the_row_cannot_be_written_the_file_is_removed(person, coordinator, documents_root, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(audit, "record_change", fail)
    with pytest.raises(RuntimeError):
        services.upload_document(person=person, kind="ehcp", title="EHCP", file=pdf(), by=coordinator)
    assert not Document.objects.exists()
    assert stored_files(documents_root) == []


def test_a_coordinator_deletes_a_document_and_its_file_goes(
    coordinator_client, person, coordinator, documents_root, django_capture_on_commit_callbacks
):
    upload(coordinator_client, person, title="Old care plan")
    document = person.documents.get()
    delete_url = reverse("governance:delete_document", args=[person.pk, document.pk])
    assert f'href="{delete_url}"' in documents_section(coordinator_client.get(detail_url(person)))
    assert "Old care plan" in coordinator_client.get(delete_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(delete_url)

    assert response.status_code == 302
    assert not Document.objects.exists()
    assert stored_files(documents_root) == []
    deleted = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, record_type="document")
    assert (deleted.record_id, deleted.user_id) == (str(document.pk), coordinator.pk)
    assert deleted.changes["title"] == ["Old care plan", None]
    assert "No documents shared." in documents_section(coordinator_client.get(detail_url(person)))


def test_a_professional_cannot_delete_a_document(client, person, coordinator, register, documents_root):
    document = services.upload_document(person=person, kind="ehcp", title="EHCP", file=pdf(), by=coordinator)
    professional = member(register, Role.PROFESSIONAL)
    client.force_login(professional)
    delete_url = reverse("governance:delete_document", args=[person.pk, document.pk])
    assert f'href="{delete_url}"' not in client.get(detail_url(person)).content.decode()
    assert client.post(delete_url).status_code == 403
    assert list(Document.objects.all()) == [document]
    assert stored_files(documents_root) == [documents_root / document.stored_name]


def test_a_document_whose_file_has_gone_is_not_found_rather_than_an_error(
    coordinator_client, person, coordinator, documents_root
):
    document = services.upload_document(person=person, kind="ehcp", title="EHCP", file=pdf(), by=coordinator)
    (documents_root / document.stored_name).unlink()
    response = coordinator_client.get(reverse("governance:download_document", args=[person.pk, document.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("count", [0, 3])
def test_person_page_runs_the_same_queries_whatever_the_number_of_documents(
    coordinator_client, person, coordinator, documents_root, django_assert_num_queries, count
):
    for n in range(count):
        services.upload_document(person=person, kind="other", title=f"Letter {n}", file=pdf(), by=coordinator)
    with django_assert_num_queries(QUERIES_ON_PERSON_PAGE):
        response = coordinator_client.get(detail_url(person))
    assert response.status_code == 200
    assert len(download_links(response)) == count
