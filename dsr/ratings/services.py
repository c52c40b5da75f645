"""Record rating decisions. The only way a rating changes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dsr import audit
from dsr.audit.models import AuditEvent
from dsr.ratings.models import Rating, RiskFactor, RiskRating

if TYPE_CHECKING:  # for types only: people sits above ratings (docs/adr/0017-layers.md)
    from dsr.people.models import Admission, Person


def validate_rating(*, rating: str, rationale: str, factors: Iterable[RiskFactor]) -> None:
    """A rating needs a known value, a rationale and the risk factors considered."""
    errors = {}
    if rating not in Rating.values:
        errors["rating"] = "Choose a rating"
    if not (rationale or "").strip():
        errors["rationale"] = "Enter why you chose this rating"
    if not list(factors):
        errors["risk_factors"] = "Select the risk factors you considered"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_rating(
    *,
    person: Person,
    rating: str,
    rationale: str,
    factors: Iterable[RiskFactor],
    next_review_due: datetime.date,
    by,
    reason: str = RiskRating.Reason.REVIEW,
    admission: Admission | None = None,
    rated_at: datetime.datetime | None = None,
    meeting=None,
) -> RiskRating:
    """Add a rating to a person's history and make it their current rating (decided at `meeting`, when
    given)."""
    factors = list(factors)
    validate_rating(rating=rating, rationale=rationale, factors=factors)
    rated_at = rated_at or timezone.now()
    if next_review_due < timezone.localdate(rated_at):
        raise ValidationError({"next_review_due": "The next review must not be in the past"})
    locked = type(person).objects.select_for_update().get(pk=person.pk)
    entry = RiskRating.objects.create(
        person=locked,
        rating=rating,
        rationale=rationale.strip(),
        reason=reason,
        admission=admission,
        meeting=meeting,
        rated_by=by,
        rated_at=rated_at,
        next_review_due=next_review_due,
    )
    entry.risk_factors.set(factors)
    audit.record_change(
        by=by,
        record=entry,
        action=AuditEvent.Action.CREATE,
        after={**audit.snapshot(entry), "risk_factors": [f.name for f in factors]},
    )
    if locked.current_rating_at is None or rated_at >= locked.current_rating_at:
        audit.save_changes(
            by=by,
            record=locked,
            values={
                "current_rating": rating,
                "current_rating_at": rated_at,
                "next_review_due": next_review_due,
            },
        )
    person.current_rating = locked.current_rating
    person.current_rating_at = locked.current_rating_at
    person.next_review_due = locked.next_review_due
    return entry
