"""The one way to person data: turn (user, register, role) into querysets and permissions.

Every view, form, command and API endpoint that touches a person starts from `Scope`, which answers
from the one table of who may do what (dsr.registers.policy). A person outside the scope does not exist
as far as the caller is concerned (views answer 404, not 403). See
docs/adr/0002-access-scoped-by-register.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, TypeVar, overload

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from dsr.people.models import Involvement, Person
from dsr.registers.models import Membership, Register
from dsr.registers.policy import CHANGES_RECORD, HOME_PAGES, OWN_ONLY, PERMISSIONS

_Person = TypeVar("_Person", bound=Person)

SESSION_KEY = "register_id"
ALL_REGISTERS = "all"
# The request attribute the scope is cached on for the rest of the request.
_CACHED_SCOPE = "_dsr_scope"


class InAnotherRegister(Http404):
    """The person asked for is not in the register the user works in now, but in another of their registers
    where they may open the record. Anywhere that cannot switch registers answers it as any 404."""

    def __init__(self, register: Register) -> None:
        super().__init__("No such person in this register")
        self.register = register


@dataclass(frozen=True)
class Scope:
    """A signed-in user's memberships and the register (or all registers) they are working in."""

    user: User | AnonymousUser  # anonymous: no memberships, so no person data
    memberships: tuple[Membership, ...]
    current: Register | None  # None means every register the user belongs to
    roles: dict[int, str] = field(default_factory=dict)

    @property
    def registers(self) -> list[Register]:
        if self.current is not None:
            return [self.current]
        return [m.register for m in self.memberships]

    @property
    def all_registers(self) -> list[Register]:
        return [m.register for m in self.memberships]

    def registers_for(self, action: str) -> list[Register]:
        """The registers (of those the user works in now) where their role may take `action`."""
        return [r for r in self.registers if self.roles.get(r.pk) in PERMISSIONS[action]]

    def may_anywhere(self, action: str) -> bool:
        """Whether the user may take `action` in any register they belong to."""
        return any(role in PERMISSIONS[action] for role in self.roles.values())

    def may(self, action: str, obj: Model | None = None, *, register: Register | None = None) -> bool:
        """Whether the user may take `action` on `obj`: a person, a record of theirs (an action, say), or a
        register (`register=`). Changes to a person's record need them still on the register; a role
        limited to its own records (OWN_ONLY) needs to own the record."""
        person = _person_of(obj)
        if isinstance(obj, Register):
            register = obj
        register_id = person.register_id if person is not None else getattr(register, "pk", None)
        if register_id is None:
            return self.may_anywhere(action)
        role = self.roles.get(register_id)
        if role not in PERMISSIONS[action]:
            return False
        if person is not None and action in CHANGES_RECORD and person.status != Person.Status.ACTIVE:
            return False
        if role in OWN_ONLY.get(action, ()) and obj is not person:
            return getattr(obj, "owner_id", None) == getattr(self.user, "pk", None)
        return True

    def home_page(self) -> str | None:
        """The name of the page the user starts on, from the first thing their role may do."""
        for action, page in HOME_PAGES:
            if self.registers_for(action):
                return page
        return None

    # Querysets: the only starting points for person data.

    def listed_people(self) -> QuerySet[Person]:
        """People on the register lists this user may see (active and left; filed records are on no list):
        a role that opens every record lists the register's people; a keyworker lists only the people
        allocated to them, so nothing about anyone else is on their pages (need to know)."""
        listed = self.registers_for("see_register_list")
        every = [r for r in listed if r in self.registers_for("open_every_record")]
        allocated_only = [
            r for r in self.registers_for("open_allocated_records") if r in listed and r not in every
        ]
        condition = Q(register__in=every)
        if allocated_only and isinstance(self.user, User):
            condition |= Q(register__in=allocated_only) & Q(Exists(self._allocated_to(self.user)))
        return Person.objects.filter(condition).exclude(status=Person.Status.FILED)

    @staticmethod
    def _allocated_to(user: User) -> QuerySet[Involvement]:
        """The user's current care-team entries for the person in the outer query."""
        return Involvement.objects.filter(person=OuterRef("pk"), user=user, ended_on__isnull=True)

    def people(self) -> QuerySet[Person]:
        """People whose records this user may open. Filed records open for coordinators only (and for
        IG officers through governed_people)."""
        every = self.registers_for("open_every_record")
        filed = self.registers_for("open_filed_records")
        allocated_only = [r for r in self.registers_for("open_allocated_records") if r not in every]
        if not (every or allocated_only) or not isinstance(self.user, User):
            return Person.objects.none()
        allocated = self._allocated_to(self.user)
        may_open_filed = ~Q(status=Person.Status.FILED) | Q(register__in=filed)
        condition = Q(register__in=every)
        if allocated_only:
            condition |= Q(register__in=allocated_only) & Q(Exists(allocated))
        return Person.objects.filter(condition & may_open_filed)

    def governed_people(self) -> QuerySet[Person]:
        """People in registers where the user is an IG officer: for the audit trail and requests."""
        return Person.objects.filter(register__in=self.registers_for("govern_records"))

    @overload
    def person(self, person_id: Any) -> Person: ...

    @overload
    def person(self, person_id: Any, *, queryset: QuerySet[_Person]) -> _Person: ...

    def person(self, person_id: Any, *, queryset: QuerySet[Person] | None = None) -> Person:
        """One person this user may open (from `queryset`, a narrowing of `people()`, when given), or 404.
        Someone the user may open in another of their registers raises InAnotherRegister, a 404 that the
        pages answer by switching to that register (dsr.workspace.register_links)."""
        qs = queryset if queryset is not None else self.people()
        try:
            return qs.get(pk=person_id)
        except (Person.DoesNotExist, ValueError, ValidationError) as error:
            elsewhere = self._register_opening(person_id)
            if elsewhere is not None:
                raise InAnotherRegister(elsewhere) from error
            raise Http404("No such person") from error

    def _register_opening(self, person_id: Any) -> Register | None:
        """The other register the user belongs to where they may open this person's record, if any (never
        the one they work in now, nor when they are already working in all their registers)."""
        if self.current is None:
            return None
        everywhere = replace(self, current=None)
        try:
            register_id = (
                everywhere.people().filter(pk=person_id).values_list("register_id", flat=True).first()
            )
        except (ValueError, ValidationError):
            return None
        if register_id is None or register_id == self.current.pk:
            return None
        return next(m.register for m in self.memberships if m.register_id == register_id)

    def person_to_change(self, person_id, *, action: str) -> Person:
        """A person the user may open, for a form that takes `action`: 404 outside the scope,
        PermissionDenied without the right or once they have left the register."""
        person = self.person(person_id, queryset=self.people().select_related("register"))
        if self.roles.get(person.register_id) not in PERMISSIONS[action]:
            raise PermissionDenied
        if person.status != Person.Status.ACTIVE:
            raise PermissionDenied(
                f"{person.full_name} has left the register: their record is kept as it was and can no "
                "longer be changed"
            )
        return person


def _person_of(obj: Model | None) -> Person | None:
    """The person a record is about: the person themselves, or the person it hangs off."""
    if obj is None or isinstance(obj, Register):
        return None
    if isinstance(obj, Person):
        return obj
    return getattr(obj, "person", None)


def one_of(related, record_id):
    """A record that hangs off a person already in scope (their admission, consent…), or 404."""
    try:
        return related.get(pk=record_id)
    except (related.model.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error


def memberships_for(user) -> tuple[Membership, ...]:
    if not getattr(user, "is_authenticated", False):
        return ()
    return tuple(Membership.objects.filter(user=user).select_related("register").order_by("register__name"))


def scope_of(user: User | AnonymousUser, register: Register | None) -> Scope:
    """A user's scope working in `register` (None: all their registers), outside a request: for commands
    and the demo data."""
    memberships = memberships_for(user)
    return Scope(
        user=user,
        memberships=memberships,
        current=register,
        roles={m.register_id: m.role for m in memberships},
    )


def scope_for(request: HttpRequest) -> Scope:
    """The scope of the request's user, cached on the request."""
    cached = getattr(request, _CACHED_SCOPE, None)
    if isinstance(cached, Scope):
        return cached
    memberships = memberships_for(request.user)
    roles = {m.register_id: m.role for m in memberships}
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    current = None
    if chosen != ALL_REGISTERS:
        current = next((m.register for m in memberships if m.register_id == chosen), None)
        if current is None and memberships:
            current = memberships[0].register
    scope = Scope(user=request.user, memberships=memberships, current=current, roles=roles)
    setattr(request, _CACHED_SCOPE, scope)
    return scope


def choose_register(request: HttpRequest, register_id: str) -> bool:
    """Switch the register the user works in; 'all' shows every register they belong to."""
    scope = scope_for(request)
    if register_id == ALL_REGISTERS:
        request.session[SESSION_KEY] = ALL_REGISTERS
    else:
        try:
            wanted = int(register_id)
        except ValueError:
            return False
        if wanted not in scope.roles:
            return False
        request.session[SESSION_KEY] = wanted
    setattr(request, _CACHED_SCOPE, None)
    return True
