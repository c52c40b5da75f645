"""Reviews on a person's page (dsr.person_page)."""

from typing import Any

from dsr import person_page


def present(page: person_page.Page) -> dict[str, Any]:
    """The person's reviews, each with what is late or missing in its preparation."""
    reviews = list(page.person.reviews.all())
    for review in reviews:
        review.problems = review.preparation_problems(page.on)
    return {"reviews": reviews}


person_page.register(
    person_page.Section(
        key="reviews",
        shows=("reviews.review",),
        heading="Reviews",
        template="reviews/_person_section.jinja",
        order=20,
        prefetch=("reviews",),
        present=present,
    )
)
