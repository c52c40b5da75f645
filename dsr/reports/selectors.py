"""Aggregate figures: counts only, never anyone's identity."""

from django.db.models import Count, Q

from dsr.dates import today, years_before
from dsr.people.models import Admission, Person, Rating
from dsr.registers.access import Scope
from dsr.registers.models import Register, Role

REPORT_ROLES = {Role.ANALYST, Role.COORDINATOR}

# Figures for fewer people than this are shown as "fewer than 5" so nobody can be picked out.
SMALL_NUMBER = 5


def register_summary(scope: Scope) -> list[dict]:
    """Per register: people by rating, children and adults, overdue reviews, people in hospital."""
    registers = scope.registers_with(REPORT_ROLES)
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
    return [
        {
            "register": row,
            "total": row.total,
            "children": row.children,
            "adults": row.total - row.children,
            "overdue": row.overdue,
            "in_hospital": in_hospital.get(row.pk, 0),
            "ratings": [(r, getattr(row, f"rating_{r.value}")) for r in Rating],
        }
        for row in rows
    ]


def suppressed(value: int) -> str:
    """Small numbers are hidden so that no one can be identified from a figure."""
    return "fewer than 5" if 0 < value < SMALL_NUMBER else str(value)
