"""Information rights requests, registered for subject access packs and erasure (dsr.audit.records).

A later pack shows the earlier requests; erasure removes them with the rest of the record."""

from dsr.audit import records
from dsr.rights.models import PackRedaction, RectificationRequest, SubjectAccessRequest

records.register(
    SubjectAccessRequest,
    heading="Subject access requests",
    fields=[
        "received_on",
        "requester_name",
        "requester_relationship",
        "competence",
        "competence_judged_by",
        "competence_reason",
        "authority",
        "authority_detail",
        "clock_started_on",
        "clock_start",
        "clock_start_detail",
        "extended_by_months",
        "extension_ground",
        "extension_reason",
        "extension_told_on",
        "due_on",
        "identity_checked",
        "identity_check",
        "status",
        "refusal_ground",
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
        "competence",
        "competence_judged_by",
        "competence_reason",
        "authority",
        "authority_detail",
        "clock_started_on",
        "clock_start",
        "clock_start_detail",
        "extended_by_months",
        "extension_ground",
        "extension_reason",
        "extension_told_on",
        "due_on",
        "what_is_wrong",
        "outcome",
        "change_made",
        "refusal_ground",
        "refusal_reason",
        "told_on",
        "decided_by",
        "recorded_by",
    ],
    order_by=["received_on", "recorded_at"],
)
records.register(
    PackRedaction,
    heading="Values withheld from subject access packs",
    person_path="request__person",
    fields=["record_kind", "record_id", "field_name", "reason", "marked_by", "marked_at"],
    order_by=["marked_at"],
    # The redaction log is kept with the request and never sent: it would point at what it withholds.
    in_pack=False,
)
