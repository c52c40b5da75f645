"""Filters for the register list: rating, keyworker, age group, overdue review, search; and its sort."""

import datetime

import django_filters
from django import forms
from django.db.models import Case, Exists, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least

from dsr.actions.selectors import oldest_open_action_due
from dsr.dates import today, years_before
from dsr.design_system import KeptSelect
from dsr.people.models import Person, Rating
from dsr.people.search import matching
from dsr.workspace.selectors import current_keyworkers

# In the order a meeting's agenda takes them (dsr.meetings.agenda): red, amber, blue, green, then no rating.
_RATING_ORDER = Case(
    *(
        When(current_rating=rating, then=Value(n))
        for n, rating in enumerate(["red", "amber", "blue", "green"])
    ),
    default=Value(4),
    output_field=IntegerField(),
)
# Stands in for "nothing due" so that it sorts last (SQLite's MIN() of a NULL is NULL, PostgreSQL's LEAST
# skips it).
_NOTHING_DUE = datetime.date(9999, 12, 31)


def _oldest_due():
    """The earlier of the next review and the oldest open action's due date: the most overdue thing first,
    as a subquery (the list stays one query)."""
    return Least(
        Coalesce("next_review_due", Value(_NOTHING_DUE)),
        Coalesce(oldest_open_action_due(), Value(_NOTHING_DUE)),
    )


class RegisterListFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or NHS number", method="search")
    rating = django_filters.MultipleChoiceFilter(
        label="Rating",
        field_name="current_rating",
        choices=Rating.choices,
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keyworker = django_filters.ChoiceFilter(
        label="Keyworker", method="by_keyworker", empty_label="Any", widget=KeptSelect
    )
    age_group = django_filters.ChoiceFilter(
        label="Age group",
        method="by_age_group",
        empty_label="All ages",
        choices=[("children", "Children and young people (under 18)"), ("adults", "Adults (18 and over)")],
    )
    overdue = django_filters.BooleanFilter(
        label="Only people overdue for review",
        method="by_overdue",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        method="sort_by",
        empty_label=None,
        widget=KeptSelect,
        choices=[
            ("review", "Next review due (soonest first)"),
            ("overdue", "Most overdue first (review or action)"),
            ("rating", "Rating (red, amber, blue, green)"),
            ("name", "Last name"),
        ],
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(self, *args, keyworkers: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["keyworker"].extra["choices"] = [("none", "No keyworker"), *(keyworkers or [])]

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return matching(queryset, value)

    def by_keyworker(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        current = current_keyworkers()
        if value == "none":
            return queryset.filter(~Exists(current))
        return queryset.filter(Exists(current.filter(user_id=value)))

    def by_age_group(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        eighteenth_birthday_cutoff = years_before(today(), 18)
        if value == "children":
            return queryset.filter(date_of_birth__gt=eighteenth_birthday_cutoff)
        return queryset.filter(date_of_birth__lte=eighteenth_birthday_cutoff)

    def by_overdue(self, queryset: QuerySet[Person], name: str, value: bool) -> QuerySet[Person]:
        return queryset.filter(next_review_due__lt=today()) if value else queryset

    def sort_by(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        if value == "name":
            return queryset.order_by("family_name", "given_name", "pk")
        if value == "overdue":
            return queryset.annotate(oldest_due=_oldest_due()).order_by(
                "oldest_due", "family_name", "given_name", "pk"
            )
        if value == "rating":
            return queryset.annotate(rating_order=_RATING_ORDER).order_by(
                "rating_order", "next_review_due", "family_name", "given_name", "pk"
            )
        return queryset.order_by("next_review_due", "family_name", "given_name", "pk")

    def filter_queryset(self, queryset: QuerySet[Person]) -> QuerySet[Person]:
        queryset = queryset.order_by("next_review_due", "family_name", "given_name", "pk")
        return super().filter_queryset(queryset)
