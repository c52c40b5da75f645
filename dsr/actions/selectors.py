"""Reads of actions, always through the user's scope."""

import datetime
from dataclasses import replace

from django.contrib.auth.models import User
from django.db.models import Case, Count, IntegerField, Min, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from dsr.access import Scope, one_of
from dsr.actions import policy
from dsr.actions.models import Action
from dsr.people.models import Person


def my_actions(scope: Scope, on: datetime.date) -> QuerySet[Action]:
    """Open actions the user owns, about people they may open in any of their registers (whichever one they
    are working in): overdue first, then by due date."""
    if not isinstance(scope.user, User):
        return Action.objects.none()  # nobody signed in owns no actions
    everywhere = replace(scope, current=None)
    return (
        Action.objects.filter(owner=scope.user, status=Action.Status.OPEN, person__in=everywhere.people())
        .select_related("person__register", "organisation")
        .annotate(
            overdue=Case(When(due_on__lt=on, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("overdue", "due_on", "created_at")
    )


def overdue_action_count(on: datetime.date) -> Coalesce:
    """How many of a person's actions are open and past due: one subquery, to annotate people with."""
    overdue = (
        Action.objects.filter(person=OuterRef("pk"), status=Action.Status.OPEN, due_on__lt=on)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(overdue), 0)


def oldest_open_action_due() -> Subquery:
    """When a person's oldest open action is or was due (None without one): a subquery to sort people by."""
    oldest = (
        Action.objects.filter(person=OuterRef("pk"), status=Action.Status.OPEN)
        .order_by()
        .values("person")
        .annotate(due=Min("due_on"))
        .values("due")
    )
    return Subquery(oldest)


def with_overdue_actions(people: QuerySet[Person], on: datetime.date) -> QuerySet[Person]:
    """Annotate each person with how many of their actions are open and past due (one subquery)."""
    return people.annotate(overdue_actions=overdue_action_count(on))


def action_of(person: Person, action_id) -> Action:
    """One action about a person already in scope, or 404."""

    return one_of(person.actions.select_related("review", "organisation", "owner"), action_id)


def state(action: Action, on: datetime.date) -> str:
    """open, overdue, escalate (offered for escalation), done or no_longer_needed."""
    return policy.action_state(
        status=action.status,
        due_on=action.due_on,
        on=on,
        escalation_days=action.person.register.action_escalation_days,
    )


def for_person_page(scope: Scope, person: Person, on: datetime.date) -> list[Action]:
    """The person's prefetched actions, open ones first (overdue first), each with its state and whether
    the user may update it."""
    actions = sorted(person.actions.all(), key=lambda a: (not a.is_open, a.due_on, a.created_at))
    for action in actions:
        action.state = state(action, on)
        action.overdue_days = action.days_overdue(on)
        action.may_update = scope.may("update_action", action)
    return actions
