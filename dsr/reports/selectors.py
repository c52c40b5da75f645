"""Aggregate figures: counts only, never anyone's identity, each disclosed by dsr.reports.disclosure."""

from dataclasses import dataclass

from django.db.models import Count, Q

from dsr.access import Scope
from dsr.dates import today, years_before
from dsr.people.models import Admission, Person, Rating
from dsr.registers.models import Register
from dsr.reports.disclosure import Figure, disclose, disclose_breakdown


@dataclass(frozen=True)
class RegisterFigures:
    """One register's figures as they may be shown: no exact count leaves this module."""

    register: Register
    total: Figure
    ratings: list[tuple[Rating, Figure]]
    children: Figure
    adults: Figure
    overdue: Figure
    in_hospital: Figure


def register_summary(scope: Scope) -> list[RegisterFigures]:
    """Per register: people by rating, children and adults, overdue reviews, people in hospital."""
    registers = scope.registers_for("see_reports")
    cutoff = years_before(today(), 18)
    active = Q(people__status=Person.Status.ACTIVE)
    rating_counts = {
        f"rating_{r.value}": Count("people", filter=active & Q(people__current_rating=r.value))
        for r in Rating
    }
    rows = (
        Register.objects.filter(pk__in=[r.pk for r in registers])
        .annotate(
            total=Count("people", filter=active),
            children=Count("people", filter=active & Q(people__date_of_birth__gt=cutoff)),
            overdue=Count("people", filter=active & Q(people__next_review_due__lt=today())),
            **rating_counts,
        )
        .order_by("name")
    )
    in_hospital = dict(
        Admission.objects.filter(person__register__in=registers, discharged_on__isnull=True)
        .values_list("person__register")
        .annotate(n=Count("pk"))
    )
    summaries = []
    for row in rows:
        # The ratings, and children and adults, each split the register's total: disclosed together.
        ratings = disclose_breakdown([getattr(row, f"rating_{r.value}") for r in Rating])
        children, adults = disclose_breakdown([row.children, row.total - row.children])
        summaries.append(
            RegisterFigures(
                register=row,
                total=disclose(row.total),
                ratings=list(zip(Rating, ratings, strict=True)),
                children=children,
                adults=adults,
                overdue=disclose(row.overdue),
                in_hospital=disclose(in_hospital.get(row.pk, 0)),
            )
        )
    return summaries
