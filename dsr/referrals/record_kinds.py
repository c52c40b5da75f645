"""Referrals, registered as records about the person once accepted or linked (dsr.audit.records)."""

from dsr.audit import records
from dsr.referrals.models import Referral, ReferralEvent
from dsr.referrals.values import REFERRAL_FIELDS

records.register(
    Referral,
    heading="Referrals",
    person_path="person",
    fields=[
        "reference",
        "register",
        *REFERRAL_FIELDS,
        "state",
        "received_at",
        "consultation_summary",
        "decision",
        "decision_reason",
        "other_support",
        "decided_at",
    ],
    order_by=["received_at"],
)
records.register(
    ReferralEvent,
    heading="Referral history",
    person_path="referral__person",
    fields=["from_state", "to_state", "note", "by", "at"],
    order_by=["at"],
)
