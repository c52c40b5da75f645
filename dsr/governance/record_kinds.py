"""Documents, registered for subject access packs and erasure (dsr.governance.records).

A pack lists the documents and carries their files; erasure removes the files from disk."""

from dsr.governance import documents, records
from dsr.governance.models import Document

records.register(
    Document,
    heading="Documents",
    fields=["uploaded_at", "kind", "title", "content_type", "size", "uploaded_by"],
    order_by=["uploaded_at"],
    files=lambda rows: [documents.path_for(row.stored_name) for row in rows],
)
