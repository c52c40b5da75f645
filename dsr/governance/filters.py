"""Filters for the audit trail: by person, user, date and action, or one event."""

import django_filters
from django import forms
from django.db.models import QuerySet

from dsr.audit.models import AuditEvent
from dsr.design_system import DateField
from dsr.people import nhs_number


class AuditDateFilter(django_filters.Filter):
    field_class = DateField


class AuditFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(
        label="Person (NHS number or record id)",
        method="by_person",
        help_text="For example, 943 476 5919",
    )
    username = django_filters.CharFilter(label="User name", field_name="username", lookup_expr="iexact")
    action = django_filters.ChoiceFilter(label="Action", choices=AuditEvent.Action.choices, empty_label="Any")
    since = AuditDateFilter(label="From", field_name="at", lookup_expr="date__gte")
    until = AuditDateFilter(label="To", field_name="at", lookup_expr="date__lte")
    # One event, as the page of access changes links to it (dsr.administration.access_views).
    event = django_filters.NumberFilter(label="Event number", field_name="pk")

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def __init__(self, *args, people: QuerySet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people

    def by_person(self, queryset: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        digits = nhs_number.normalise(value)
        if digits.isdigit():
            ids = self.people.filter(nhs_number=digits).values("pk") if self.people is not None else []
            return queryset.filter(person_id__in=ids)
        try:
            return queryset.filter(person_id=forms.UUIDField().clean(value))
        except forms.ValidationError:
            return queryset.none()
