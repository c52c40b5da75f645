"""Writes for information governance: documents shared about a person.

Each service checks what it is given, writes in one transaction and audits the change
(docs/adr/0003-audit-and-current-rating.md). Files are written before the row and removed
again if the row cannot be written; a deleted document's file goes once the deletion commits.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from dsr.governance import audit, documents
from dsr.governance.models import AuditEvent, Document


def upload_document(*, person, kind: str, title: str, file, by) -> Document:
    """Keep a document about the person: the file under a generated name, its row, and an audit event."""
    if kind not in Document.Kind.values:
        raise ValidationError("Select what kind of document it is")
    title = (title or "").strip()
    if not title:
        raise ValidationError("Enter a title for the document")
    file_type = documents.check(file)
    stored_name = documents.new_name()
    sha256, size = documents.store(file, stored_name)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                person=person,
                kind=kind,
                title=title,
                content_type=file_type.content_type,
                size=size,
                sha256=sha256,
                stored_name=stored_name,
                uploaded_by=by,
            )
            audit.record_change(by=by, record=document, action=AuditEvent.Action.CREATE)
    except BaseException:
        documents.remove(stored_name)
        raise
    return document


def delete_document(*, document: Document, by) -> None:
    """Remove a document's row (audited) and, once that has committed, its file."""
    stored_name = document.stored_name
    with transaction.atomic():
        before = audit.snapshot(document)
        audit.record_change(by=by, record=document, action=AuditEvent.Action.DELETE, before=before)
        document.delete()
        transaction.on_commit(lambda: documents.remove(stored_name))
