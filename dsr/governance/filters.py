"""Filters for the audit trail: by person, user, date and action, or one event. A filter that cannot be
understood (a date that does not exist, a person given by neither NHS number nor record) is an error on the
page, never silently dropped."""

import uuid

import django_filters
from django import forms
from django.db.models import QuerySet

from dsr.audit.models import AuditEvent
from dsr.design_system import DateField
from dsr.people import nhs_number

PERSON_PROBLEM = "Enter the person's NHS number, like 943 476 5919"


class PersonField(forms.CharField):
    """A person, by NHS number (as typed) or by their record's id (as links from other IG pages give it)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        digits = nhs_number.normalise(value)
        if digits.isascii() and digits.isdigit():
            if len(digits) != 10:
                raise forms.ValidationError(PERSON_PROBLEM)
            return digits
        try:
            return uuid.UUID(value.strip())
        except ValueError as error:
            raise forms.ValidationError(PERSON_PROBLEM) from error


class PersonFilter(django_filters.CharFilter):
    field_class = PersonField


class AuditDateFilter(django_filters.Filter):
    field_class = DateField


class AuditFilter(django_filters.FilterSet):
    person = PersonFilter(
        label="Person",
        method="by_person",
        help_text="Their NHS number, for example 943 476 5919",
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

    @property
    def qs(self) -> QuerySet[AuditEvent]:
        """The events the filters choose; none while a filter is in error, so nothing unasked-for is shown."""
        if self.is_bound and self.errors:
            return self.queryset.none()
        return super().qs

    def by_person(self, queryset: QuerySet[AuditEvent], name: str, value) -> QuerySet[AuditEvent]:
        if isinstance(value, uuid.UUID):
            return queryset.filter(person_id=value)
        ids = self.people.filter(nhs_number=value).values("pk") if self.people is not None else []
        return queryset.filter(person_id__in=ids)
