"""Reads for the information governance pages: people in the registers an IG officer governs, their
requests, and who has looked at their record."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from dsr.access import Scope
from dsr.audit.models import AuditEvent
from dsr.dates import months_after, months_before, today
from dsr.people import search
from dsr.people.models import Person
from dsr.registers.models import Membership, Role


def is_ig_officer(scope: Scope) -> bool:
    return bool(scope.registers_for("handle_information_rights"))


def people_matching(scope: Scope, typed: str) -> QuerySet[Person]:
    """People in the user's governed registers (whatever their status) whose NHS number starts with the
    digits typed, or whose names contain every word typed."""
    people = scope.governed_people().select_related("register").order_by("family_name", "given_name", "pk")
    return search.matching(people, typed)


def person_for_requests(scope: Scope, person_id, *, prefetch: tuple[str, ...] = ()) -> Person:
    """A person in a register where the user is an IG officer, or 404 (as for anyone outside their scope,
    whatever else the user may open)."""
    governed = scope.governed_people().select_related("register").prefetch_related(*prefetch)
    return scope.person(person_id, queryset=governed)


def requests_record(scope: Scope, person_id) -> Person:
    """A person for their IG page: register, time on the register and their requests, in a fixed number
    of queries."""
    return person_for_requests(
        scope, person_id, prefetch=("episodes", "subject_access_requests", "rectification_requests")
    )


def last_months(count: int = 24, *, on: datetime.date | None = None) -> list[datetime.date]:
    """The first day of this month and the `count - 1` months before it, newest first."""
    first = (on or today()).replace(day=1)
    return [months_before(first, n) for n in range(count)]


def month_after(month: datetime.date) -> datetime.date:
    """The first day of the month after the one `month` falls in."""
    return months_after(month.replace(day=1), 1)


def _month_start(month: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(month.year, month.month, 1))


def access_events(person: Person, *, month: datetime.date | None = None) -> QuerySet[AuditEvent]:
    """Who has opened, changed or exported the person's record, most recent first; in one month if given."""
    events = AuditEvent.objects.filter(person_id=person.pk).order_by("-at", "-id")
    if month is not None:
        events = events.filter(at__gte=_month_start(month), at__lt=_month_start(month_after(month)))
    return events


def members_by_id(register_id: int, user_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Each user's name, and their role in the register ("" if they do not belong to it), in one query."""
    role = Membership.objects.filter(register_id=register_id, user_id=OuterRef("pk")).values("role")[:1]
    users = get_user_model().objects.filter(pk__in=user_ids).annotate(role_here=Subquery(role))
    return {
        user.pk: (user.get_full_name() or user.username, Role(user.role_here).label if user.role_here else "")
        for user in users
    }
