"""The rating history on a person's page (dsr.person_page)."""

from django.db.models import Prefetch

from dsr import person_page
from dsr.ratings.models import RiskRating

person_page.register(
    person_page.Section(
        key="ratings",
        shows=("ratings.riskrating",),
        heading="Rating history",
        template="ratings/_person_section.jinja",
        order=10,
        prefetch=(
            Prefetch(
                "ratings",
                queryset=RiskRating.objects.select_related("rated_by", "meeting").prefetch_related(
                    "risk_factors"
                ),
            ),
        ),
        present=lambda page: dict(
            zip(
                ("ratings", "earlier"), person_page.recent(page, list(page.person.ratings.all())), strict=True
            )
        ),
    )
)
