"""A keyworker's caseload: the people they are allocated to and when each is next due a contact.

How often a keyworker is in touch depends on the person's rating and is register policy
(Register.contact_days). The clock runs from the last contact in the person's log since the allocation
began, or from the allocation itself; notable events in the log are not contacts.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from dsr.access import Scope
from dsr.people.models import ContactLog, Involvement, Person
from dsr.registers.models import Membership, Register
from dsr.registers.policy import roles_that_may
from dsr.reviews.selectors import describe_rows, with_requirement_facts

# Roles that look after a register's keyworkers: they see any keyworker's caseload in their registers.


@dataclass(frozen=True)
class NextContact:
    """When the keyworker is next due to be in touch (None without a rating) and how late they are."""

    due_on: datetime.date | None
    days_overdue: int = 0

    @property
    def state(self) -> str:
        """due, overdue, or no_rating."""
        if self.due_on is None:
            return "no_rating"
        return "overdue" if self.days_overdue else "due"


def next_contact(
    *,
    allocated_on: datetime.date,
    last_contact_on: datetime.date | None,
    contact_days: int | None,
    on: datetime.date,
) -> NextContact:
    """The next contact due: the last contact since the allocation (else the allocation) plus the
    register's contact interval for the person's rating."""
    if contact_days is None:
        return NextContact(due_on=None)
    since = max(last_contact_on, allocated_on) if last_contact_on else allocated_on
    due_on = since + datetime.timedelta(days=contact_days)
    return NextContact(due_on=due_on, days_overdue=max((on - due_on).days, 0))


def current_allocations(keyworker) -> QuerySet[Involvement]:
    """The keyworker's current allocations, as care-team entries."""
    return Involvement.objects.filter(user=keyworker, is_keyworker=True, ended_on__isnull=True)


def caseload(people: QuerySet[Person], *, keyworker, on: datetime.date) -> list[Person]:
    """The people in `people` (already scoped) the keyworker is allocated to and who are on the register,
    overdue first, then by next contact due; each with allocated_on, last_contact_on and next_contact.
    One query whatever the size of the caseload."""
    allocations = current_allocations(keyworker).filter(person=OuterRef("pk")).order_by("started_on")
    contacts = (
        ContactLog.objects.filter(person=OuterRef("pk"), occurred_on__gte=OuterRef("allocated_on"))
        .exclude(kind=ContactLog.Kind.EVENT)
        .order_by("-occurred_on")
    )
    rows = list(
        with_requirement_facts(people, on)
        .filter(status=Person.Status.ACTIVE)
        .select_related("register")
        .annotate(allocated_on=Subquery(allocations.values("started_on")[:1]))
        .filter(allocated_on__isnull=False)
        .annotate(last_contact_on=Subquery(contacts.values("occurred_on")[:1]))
    )
    describe_rows(rows, on)  # what each rating requires, e.g. "Red: C(E)TR overdue by 9 days"
    for person in rows:
        person.next_contact = next_contact(
            allocated_on=person.allocated_on,
            last_contact_on=person.last_contact_on,
            contact_days=person.register.contact_days(person.current_rating),
            on=on,
        )
    return sorted(
        rows,
        key=lambda p: (p.next_contact.due_on is None, p.next_contact.due_on, p.family_name, p.given_name),
    )


def overseen_people(scope: Scope) -> QuerySet[Person]:
    """People in the registers where the user looks after the keyworkers (as coordinator or professional)."""
    return scope.people().filter(register__in=scope.registers_for("oversee_caseloads"))


def _keyworkers(registers: list[Register], people: QuerySet[Person]) -> QuerySet[AbstractBaseUser]:
    """Users with the keyworker role in these registers, or currently keyworker to someone in `people`."""
    role = Membership.objects.filter(
        user=OuterRef("pk"), register__in=registers, role__in=roles_that_may("have_own_caseload")
    )
    allocated = current_allocations(OuterRef("pk")).filter(person__in=people)
    return get_user_model().objects.filter(Exists(role) | Exists(allocated))


def keyworker_in(scope: Scope, user_id: int) -> AbstractBaseUser:
    """A keyworker in the registers where the user looks after the keyworkers, or 404."""
    registers = scope.registers_for("oversee_caseloads")
    people = scope.people().filter(register__in=registers, status=Person.Status.ACTIVE)
    keyworker = _keyworkers(registers, people).filter(pk=user_id).first()
    if keyworker is None:
        raise Http404("No such keyworker")
    return keyworker


def keyworkers_with_caseloads(scope: Scope) -> list[AbstractBaseUser]:
    """The keyworkers in the registers the user coordinates, each with caseload_size (how many people on
    the register they are allocated to), in one query."""
    registers = scope.registers_for("see_keyworkers")
    people = scope.people().filter(register__in=registers, status=Person.Status.ACTIVE)
    size = (
        current_allocations(OuterRef("pk"))
        .filter(person__in=people)
        .order_by()
        .values("user")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    return list(
        _keyworkers(registers, people)
        .annotate(caseload_size=Coalesce(Subquery(size), 0))
        .order_by("first_name", "last_name", "username")
    )
