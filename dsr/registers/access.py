"""The one way to person data: turn (user, register, role) into querysets and permissions.

Every view, form, command and API endpoint that touches a person starts from `Scope`.
A person outside the scope does not exist as far as the caller is concerned (views
answer 404, not 403). See docs/adr/0002-access-scoped-by-register.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from dsr.people.models import Involvement, Person
from dsr.registers.models import Membership, Register, Role

SESSION_KEY = "register_id"
ALL_REGISTERS = "all"

# Roles that see a register's list of people.
LIST_ROLES = {Role.COORDINATOR, Role.PROFESSIONAL, Role.KEYWORKER}
# Roles that open every record in their register; a keyworker opens only the people they
# are allocated to.
RECORD_ROLES = {Role.COORDINATOR, Role.PROFESSIONAL}

# Roles that see identifiable data: every role but the analyst's (aggregate figures only). Giving someone
# one waits for a second person's approval (dsr.registers.services).
IDENTIFIABLE_ROLES = frozenset(Role) - {Role.ANALYST}
# Roles that see everything the role on the left sees, and more: moving someone from one of them to the
# role on the left lowers their role, which takes effect at once.
WIDER_ROLES: dict[str, set[str]] = {
    Role.PROFESSIONAL: {Role.COORDINATOR},
    Role.KEYWORKER: {Role.PROFESSIONAL, Role.COORDINATOR},
    Role.REFERRER: {Role.PROFESSIONAL, Role.COORDINATOR},
}


def needs_approval(*, role: str, current: str | None) -> bool:
    """Whether giving `role` to someone who has `current` (None: no role) in a register needs a second
    person: it does when the new role shows identifiable data they could not see before."""
    if role not in IDENTIFIABLE_ROLES or role == current:
        return False
    return current not in WIDER_ROLES.get(role, set())


# What each role may do to a person's record it can open.
PERMISSIONS: dict[str, set[str]] = {
    "add_person": {Role.COORDINATOR},
    "change_details": {Role.COORDINATOR},
    "change_rating": {Role.COORDINATOR},
    "change_care_team": {Role.COORDINATOR},
    "change_consent": {Role.COORDINATOR},
    "change_diagnosis": {Role.COORDINATOR},
    "record_admission": {Role.COORDINATOR},
    "remove_from_register": {Role.COORDINATOR},
    "change_circumstances": {Role.COORDINATOR, Role.PROFESSIONAL, Role.KEYWORKER},
    "log_contact": {Role.COORDINATOR, Role.PROFESSIONAL, Role.KEYWORKER},
    "see_who_viewed": {Role.COORDINATOR, Role.IG},
    # Anyone who can open the record can see and download its documents.
    "upload_document": {Role.COORDINATOR, Role.PROFESSIONAL, Role.KEYWORKER},
    "delete_document": {Role.COORDINATOR},
    # Referrals: not about a person on the register yet, so checked by register.
    "triage_referrals": {Role.COORDINATOR},
    "make_referral": {Role.REFERRER, Role.COORDINATOR, Role.PROFESSIONAL},
    # The outbox of messages to families and referrers.
    "read_outbox": {Role.COORDINATOR},
    # Reviews (C(E)TRs, LAEPs, oversight visits) and actions. A keyworker updates only actions they own
    # (dsr.actions.selectors.may_update).
    "record_review": {Role.COORDINATOR},
    "add_action": {Role.COORDINATOR, Role.PROFESSIONAL},
    "update_action": {Role.COORDINATOR, Role.PROFESSIONAL, Role.KEYWORKER},
    # Meetings: coordinators build and run them, panel members read agendas and minutes
    # (dsr.meetings.selectors.MEETING_ROLES). Either may escalate someone to the oversight panel.
    "run_meeting": {Role.COORDINATOR},
    "escalate": {Role.COORDINATOR, Role.PROFESSIONAL},
    # Information governance: retention, legal hold and erasure.
    "apply_retention": {Role.IG},
    "erase_record": {Role.IG},
    "hold_record": {Role.IG},
    # Signs of unusual access in the audit trail (dsr.governance.unusual_access).
    "see_unusual_access": {Role.IG},
    # Who may do what: IG officers read the changes to roles and decide requests for access
    # (dsr.registers.services.may_decide).
    "see_access_changes": {Role.IG},
    "decide_access": {Role.IG},
}


@dataclass(frozen=True)
class Scope:
    """A signed-in user's memberships and the register (or all registers) they are working in."""

    user: object
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

    def role_in(self, register_id: int) -> str | None:
        return self.roles.get(register_id)

    def has_role(self, *roles: str) -> bool:
        return any(self.roles.get(r.pk) in roles for r in self.registers)

    def registers_with(self, roles: set[str]) -> list[Register]:
        return [r for r in self.registers if self.roles.get(r.pk) in roles]

    def may(self, action: str, person: Person | None = None, register: Register | None = None) -> bool:
        """Whether the user may do `action` to this person (or in this register)."""
        register_id = person.register_id if person is not None else getattr(register, "pk", None)
        if register_id is None:
            return any(role in PERMISSIONS[action] for role in self.roles.values())
        return self.roles.get(register_id) in PERMISSIONS[action]

    # Querysets: the only starting points for person data.

    def listed_people(self) -> QuerySet[Person]:
        """People on the register lists this user may see (active and left; filed records are on no list)."""
        registers = self.registers_with(LIST_ROLES)
        return Person.objects.filter(register__in=registers).exclude(status=Person.Status.FILED)

    def people(self) -> QuerySet[Person]:
        """People whose records this user may open. Filed records open for coordinators only (and for
        IG officers through governed_people)."""
        coordinator = self.registers_with({Role.COORDINATOR})
        professional = self.registers_with(RECORD_ROLES - {Role.COORDINATOR})
        keyworker = self.registers_with({Role.KEYWORKER})
        if not (coordinator or professional or keyworker):
            return Person.objects.none()
        allocated = Involvement.objects.filter(person=OuterRef("pk"), user=self.user, ended_on__isnull=True)
        not_filed = ~Q(status=Person.Status.FILED)
        condition = Q(register__in=coordinator) | (Q(register__in=professional) & not_filed)
        if keyworker:
            condition |= Q(register__in=keyworker) & Exists(allocated) & not_filed
        return Person.objects.filter(condition)

    def governed_people(self) -> QuerySet[Person]:
        """People in registers where the user is an IG officer: for the audit trail and requests."""
        return Person.objects.filter(register__in=self.registers_with({Role.IG}))

    def person(self, person_id, *, queryset: QuerySet[Person] | None = None) -> Person:
        """One person this user may open, or 404."""
        qs = queryset if queryset is not None else self.people()
        try:
            return qs.get(pk=person_id)
        except (Person.DoesNotExist, ValueError) as error:
            raise Http404("No such person") from error


def memberships_for(user) -> tuple[Membership, ...]:
    if not getattr(user, "is_authenticated", False):
        return ()
    return tuple(Membership.objects.filter(user=user).select_related("register").order_by("register__name"))


def scope_of(user, register: Register | None) -> Scope:
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
    cached = getattr(request, "_dsr_scope", None)
    if cached is not None:
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
    request._dsr_scope = scope
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
    request._dsr_scope = None
    return True
