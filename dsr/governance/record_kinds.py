"""Documents and legal holds, registered for subject access packs and erasure (dsr.audit.records).

A pack lists the documents and carries their files; erasure removes the files from disk. A legal hold is
kept, once lifted, until the record is erased with it (a record under a hold in force is never erased)."""

from dsr import documents
from dsr.audit import records
from dsr.documents.models import Document
from dsr.governance.models import LegalHold

records.register(
    Document,
    heading="Documents",
    fields=["uploaded_at", "kind", "title", "content_type", "size", "uploaded_by"],
    order_by=["uploaded_at"],
    files=lambda rows: [documents.path_for(row.stored_name) for row in rows],
)

records.register(
    LegalHold,
    heading="Legal holds",
    fields=["set_at", "reason", "reference", "review_on", "set_by", "lifted_at", "lifted_by", "lift_reason"],
    order_by=["set_at"],
)
