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
    return _called(user.first_name, user.last_name, user.username)


def member_choices(
    registers: Iterable[Register], *, roles: Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """The members as a list offers them to choose from, (user id, display name) in name order: only the
    names are read, as a large register has hundreds of keyworkers."""
    found = members_of(registers, roles=roles).values_list("pk", "first_name", "last_name", "username")
    return [(str(pk), _called(first, last, username)) for pk, first, last, username in found]


def _called(first_name: str, last_name: str, username: str) -> str:
    # As User.get_full_name() joins the names.
    return f"{first_name} {last_name}".strip() or username
