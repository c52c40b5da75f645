"""Information rights requests, registered for subject access packs and erasure (dsr.governance.records).

A later pack shows the earlier requests; erasure removes them with the rest of the record."""

from dsr.governance import records
from dsr.rights.models import RectificationRequest, SubjectAccessRequest

records.register(
    SubjectAccessRequest,
    heading="Subject access requests",
    fields=[
        "received_on",
        "requester_name",
        "requester_relationship",
        "due_on",
        "identity_checked",
        "identity_check",
        "status",
        "refusal_reason",
        "pack_produced_at",
        "pack_produced_by",
        "sent_on",
        "notes",
        "recorded_by",
    ],
    order_by=["received_on", "recorded_at"],
)
records.register(
    RectificationRequest,
    heading="Rectification requests",
    fields=[
        "received_on",
        "requester_name",
        "requester_relationship",
        "due_on",
        "what_is_wrong",
        "outcome",
        "change_made",
        "refusal_reason",
        "told_on",
        "decided_by",
        "recorded_by",
    ],
    order_by=["received_on", "recorded_at"],
)
