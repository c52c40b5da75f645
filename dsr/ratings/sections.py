"""The rating history on a person's page (dsr.person_page)."""

from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from dsr import person_page
from dsr.ratings.models import RiskRating

# What the page reads of every entry (the rating policy reads the rating and when) and of who made it and
# at which meeting: years of entries, with the whole account of everyone who rated them, took a tenth of the
# page's time to read.
SHOWN = (
    "person_id",
    "rating",
    "rated_at",
    "reason",
    "rationale",
    "next_review_due",
    "rated_by__username",
    "rated_by__first_name",
    "rated_by__last_name",
    "meeting__kind",
    "meeting__held_on",
)

ENTRIES = RiskRating.objects.select_related("rated_by", "meeting").only(*SHOWN)


def present(page: person_page.Page) -> dict[str, Any]:
    """The entries the page shows, newest first, with their risk factors, and how many earlier ones it
    leaves out."""
    ratings, earlier = person_page.recent(page, list(page.person.ratings.all()))
    # Only the entries shown: years of history would otherwise fetch, and build a queryset for, the risk
    # factors of hundreds of entries the page never shows.
    prefetch_related_objects(ratings, "risk_factors")
    return {"ratings": ratings, "earlier": earlier}


person_page.register(
    person_page.Section(
        key="ratings",
        shows=("ratings.riskrating",),
        heading="Rating history",
        template="ratings/_person_section.jinja",
        order=10,
        prefetch=(Prefetch("ratings", queryset=ENTRIES),),
        present=present,
    )
)
