"""Writes for information governance: documents shared about a person, and legal holds on a record.

Each service checks what it is given, writes in one transaction and audits the change
(docs/adr/0003-audit-and-current-rating.md). Files are written before the row and removed
again if the row cannot be written; a deleted document's file goes once the deletion commits.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dsr import audit, documents
from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.documents.models import Document
from dsr.governance.models import LegalHold
from dsr.people.models import Person


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


@transaction.atomic
def set_legal_hold(
    *, person: Person, reason: str, reference: str, review_on: datetime.date | None, by
) -> LegalHold:
    """Hold a record for a claim, an inquiry or an investigation: retention neither files nor erases it,
    and it is not erased on request, until the hold is lifted (docs/adr/0015-legal-hold.md)."""
    # The person's row lock orders this with a retention run or an erasure that has already begun.
    person = Person.objects.select_for_update().get(pk=person.pk)
    reason, reference = (reason or "").strip(), (reference or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "Enter why the record is being held"
    if not reference:
        errors["reference"] = "Enter the reference of the claim, inquiry or investigation"
    if review_on is None:
        errors["review_on"] = "Enter the date to review the hold"
    elif review_on < today():
        errors["review_on"] = "The date to review the hold must be today or in the future"
    if errors or review_on is None:  # a missing review date is among the errors
        raise ValidationError(errors)
    if person.legal_holds.in_force().exists():
        raise ValidationError(
            "The record is already under legal hold. Lift that hold before setting another."
        )
    hold = LegalHold.objects.create(
        person=person, reason=reason, reference=reference, review_on=review_on, set_by=by
    )
    audit.record_change(by=by, record=hold, action=AuditEvent.Action.CREATE)
    return hold


@transaction.atomic
def lift_legal_hold(*, hold: LegalHold, reason: str, by) -> LegalHold:
    """Lift a legal hold, saying why: retention and erasure apply to the record again from the next run."""
    hold = LegalHold.objects.select_for_update().select_related("person").get(pk=hold.pk)
    if not hold.in_force:
        raise ValidationError("This legal hold has already been lifted")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lift_reason": "Enter why the hold is being lifted"})
    return audit.save_changes(
        by=by, record=hold, values={"lifted_at": timezone.now(), "lifted_by": by, "lift_reason": reason}
    )
