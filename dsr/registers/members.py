"""The people who work in a register: its members, and what a list of them calls each one."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet

from dsr.registers.models import Membership, Register


def members_of(registers: Iterable[Register], *, roles: Iterable[str] | None = None) -> QuerySet[User]:
    """The users with a membership of any of these registers (with one of these roles, when given), each
    once, in name order."""
    memberships = Membership.objects.filter(register__in=list(registers), user=OuterRef("pk"))
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    users = get_user_model().objects.filter(Exists(memberships))
    return users.order_by("first_name", "last_name", "username")


def display_name(user: User) -> str:
    """A member as a list shows them: their full name, or their username when it is not recorded."""
    return user.get_full_name() or user.username
