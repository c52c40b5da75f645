"""Reviews on a person's page (dsr.person_page)."""

from typing import Any

from django.urls import reverse
from django.utils.html import format_html_join

from dsr import person_page
from dsr.dates import format_date
from dsr.person_page import html, text


def present(page: person_page.Page) -> dict[str, Any]:
    """The person's reviews as a table, each with what is late or missing in its preparation."""
    rows: list[list[dict[str, str]]] = []
    for review in page.person.reviews.all():
        problems = format_html_join(
            "",
            '<br><strong class="dsr-overdue nhsuk-body-s">{}</strong>',
            ((p,) for p in review.preparation_problems(page.on)),
        )
        rows.append(
            [
                text(format_date(review.review_on)),
                html(
                    '<a href="{}">{}<span class="nhsuk-u-visually-hidden"> on {}</span></a>',
                    reverse("reviews:detail", args=[page.person.pk, review.pk]),
                    review.short_kind,
                    format_date(review.review_on),
                ),
                text(review.get_setting_display()),
                html("{}{}", review.get_status_display(), problems),
            ]
        )
    caption = "C(E)TRs, LAEPs and oversight visits"
    return {
        "table": person_page.table(caption=caption, head=["Date", "Review", "Setting", "Status"], rows=rows)
    }


person_page.register(
    person_page.Section(
        key="reviews",
        heading="Reviews",
        template="reviews/_person_section.jinja",
        order=20,
        shows=("reviews.review",),
        prefetch=("reviews",),
        present=present,
    )
)
