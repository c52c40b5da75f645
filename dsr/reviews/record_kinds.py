"""Reviews and their recommendations, registered for subject access packs and erasure."""

from dsr.audit import records
from dsr.reviews.models import Recommendation, Review
from dsr.reviews.services import REVIEW_FIELDS

records.register(
    Review,
    heading="Reviews (C(E)TRs, LAEPs and oversight visits)",
    fields=REVIEW_FIELDS,
    order_by=["review_on", "recorded_at"],
)
records.register(
    Recommendation,
    heading="Review recommendations",
    person_path="review__person",
    fields=["review", "text", "recorded_at"],
    order_by=["recorded_at"],
)
