"""The person's own records, registered for subject access packs and erasure (dsr.audit.records)."""

from dsr.audit import records
from dsr.people.models import (
    Admission,
    Circumstances,
    Consent,
    ContactLog,
    Diagnosis,
    Episode,
    Involvement,
    Person,
)

records.register(
    Person,
    heading="Details",
    person_path="",
    fields=[
        "given_name",
        "family_name",
        "preferred_name",
        "date_of_birth",
        "nhs_number",
        "sex",
        "gender_identity",
        "ethnicity",
        "address",
        "postcode",
        "local_authority",
        "gp_practice",
        "accommodation",
        "communication_needs",
        "register",
        "status",
        "current_rating",
        "next_review_due",
        "created_at",
    ],
)
records.register(
    Circumstances,
    heading="Circumstances and key safety information",
    fields=["key_safety_information", "why_enhanced_support", "health", "education", "social", "updated_at"],
)
records.register(
    Episode,
    heading="Time on the register",
    fields=["joined_on", "joined_reason", "left_on", "left_reason"],
    order_by=["joined_on"],
    noun="time on the register",
)
records.register(
    Diagnosis,
    heading="Diagnoses",
    fields=["condition", "status", "diagnosed_on", "waiting_since", "notes"],
    order_by=["condition"],
)
records.register(
    Involvement,
    heading="Care team",
    fields=[
        "name",
        "role",
        "organisation",
        "contact",
        "is_keyworker",
        "is_care_coordinator",
        "is_lead_professional",
        "started_on",
        "ended_on",
        "ended_reason",
    ],
    order_by=["started_on"],
    noun="care team member",
)
records.register(
    Consent,
    heading="Consent",
    fields=["purpose", "given_by", "given_by_name", "given_on", "method", "withdrawn_on", "recorded_by"],
    order_by=["given_on"],
)
records.register(
    Admission,
    heading="Hospital admissions",
    fields=[
        "hospital",
        "admitted_on",
        "legal_status",
        "out_of_area",
        "secure_service",
        "discharged_on",
        "discharged_to",
    ],
    order_by=["admitted_on"],
)
records.register(
    ContactLog,
    heading="Contacts and events",
    fields=["occurred_on", "kind", "summary", "recorded_by"],
    order_by=["occurred_on", "recorded_at"],
    noun="contact or event",
)
