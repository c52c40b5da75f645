"""Rating history, registered for subject access packs and erasure (dsr.audit.records)."""

from dsr.audit import records
from dsr.ratings.models import RiskRating

records.register(
    RiskRating,
    heading="Ratings",
    fields=["rated_at", "rating", "reason", "rationale", "risk_factors", "next_review_due", "rated_by"],
    order_by=["rated_at"],
    noun="rating",
)
