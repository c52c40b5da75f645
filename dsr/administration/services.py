"""Who may do what: memberships and requests for access (accounts: dsr.administration.accounts).

The admin, the management commands and any future page call these functions, so the same rules hold
whichever door is used (docs/adr/0010-administration-is-audited-and-approved.md):

- every change is written to the IG audit trail with before and after (a password only as "changed");
- nobody changes their own memberships, administrator rights or groups;
- giving someone a role that shows identifiable data they could not see before, or administrator rights,
  waits for a second person to approve it: an IG officer of the register, or another system administrator,
  never the person who asked or the person it is for. The person concerned is told when it is asked for
  and when it is decided;
- taking access away (removing a membership, lowering a role, removing rights) takes effect at once, and
  the person is told.

Registers, their policy, organisations and admin groups change through dsr.administration.configuration,
audited the same way.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from dsr import audit
from dsr.audit.models import AuditEvent
from dsr.notifications.services import notify
from dsr.registers import policy
from dsr.registers.models import GrantRequest, Membership, Organisation, Register, Role

User = get_user_model()
CREATE, CHANGE, DELETE = AuditEvent.Action.CREATE, AuditEvent.Action.CHANGE, AuditEvent.Action.DELETE

OWN_ACCESS = "You cannot change your own access. Ask another administrator to make the change."
NOT_AN_ADMINISTRATOR = "Only a system administrator can change who may do what"
REASON_NEEDED = "Say why they need this access: the person who approves it reads this"

# What an account's audit events hold. Never the password hash: only that it was set or changed.
ACCOUNT_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser"]
# Administrator rights, and the kind of request that gives each.
RIGHTS = {"is_staff": GrantRequest.Kind.STAFF, "is_superuser": GrantRequest.Kind.SUPERUSER}
RIGHTS_WORDS: dict[str, str] = {
    GrantRequest.Kind.STAFF: "access to the register's administration pages",
    GrantRequest.Kind.SUPERUSER: "full administration rights",
}
# What says whose or which record an event is about: kept in every event, changed or not, so the event
# still says so once the record is gone.
IDENTITY = {
    "membership": ("user", "register"),
    "grant_request": ("user", "kind", "register", "role"),
}
NAMES = ("username", "name")


def is_system_administrator(user) -> bool:
    """A system administrator: an active account with full administration rights."""
    return bool(user.is_active and user.is_superuser)


def refuse_own_access(*, user, by) -> None:
    """Nobody changes their own memberships, administrator rights or groups."""
    if user.pk is not None and user.pk == getattr(by, "pk", None):
        raise ValidationError(OWN_ACCESS, code="own_access")


def may_administer(by) -> None:
    """Only active staff change who may do what (the admin's own permissions say which pages they reach)."""
    if not (by.is_active and by.is_staff):
        raise PermissionDenied(NOT_AN_ADMINISTRATOR)


def _lock(user) -> None:
    """Changes to one account's access happen one at a time, so two requests for it are never both made."""
    User.objects.select_for_update().filter(pk=user.pk).first()


def audit_change(
    *,
    by,
    record: models.Model,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    what: str = "",
    register_id: int | None = None,
) -> AuditEvent:
    """Write the audit event of an administrative change: {field: [from, to]} for what changed, and for
    what says whose record it is."""
    keep = {*NAMES, *IDENTITY.get(what or record._meta.model_name or "", ())}
    names = dict.fromkeys([*before, *after])
    changes = {
        name: [before.get(name), after.get(name)]
        for name in names
        if name in keep or before.get(name) != after.get(name)
    }
    return audit.record_administration(
        by=by, record=record, action=action, changes=changes, register_id=register_id, what=what
    )


def tell(*, user, change: str, by, register: Register | None = None) -> None:
    """Email the person whose access changed, from the register it concerns (for administrator rights, the
    first register they belong to). Someone with no email address, or in no register, cannot be told: the
    audit trail and the IG officer's page still show the change."""
    if register is None:
        first = Membership.objects.filter(user=user).select_related("register").order_by("register__name")
        register = first[0].register if first else None
    if not user.email or register is None:
        return
    notify(
        template="access_changed",
        to_email=user.email,
        personalisation={"name": user.first_name, "change": change},
        register=register,
        by=by,
    )


def _role_words(role: str) -> str:
    return f"the role of {Role(role).label}"


# Memberships.


def _membership_values(membership: Membership) -> dict[str, Any]:
    return {
        "user": membership.user.username,
        "register": membership.register_id,
        "role": membership.role,
        "organisation": membership.organisation.name if membership.organisation else None,
    }


def role_change_needs_approval(*, user, register: Register, role: str) -> bool:
    """Whether giving `user` `role` in `register` waits for a second person (policy.needs_approval)."""
    current = Membership.objects.filter(user=user, register=register).values_list("role", flat=True).first()
    return policy.needs_approval(role=role, current=current)


@transaction.atomic
def set_role(
    *,
    user,
    register: Register,
    role: str,
    by,
    reason: str = "",
    organisation: Organisation | None = None,
) -> Membership | GrantRequest:
    """Give someone a role in a register, or change the one they have there. A role that shows them
    identifiable data they could not see before becomes a request for a second person to approve (which
    is returned); any other change (a lower role, the analyst's, another organisation) is made at once."""
    may_administer(by)
    refuse_own_access(user=user, by=by)
    _lock(user)
    current = Membership.objects.filter(user=user, register=register).first()
    if (
        current is not None
        and current.organisation_id == getattr(organisation, "pk", None)
        and current.role == role
    ):
        return current  # they have this role already
    if policy.needs_approval(role=role, current=current.role if current else None):
        return ask_for_access(
            kind=GrantRequest.Kind.MEMBERSHIP,
            user=user,
            register=register,
            role=role,
            organisation=organisation,
            reason=reason,
            by=by,
        )
    return _give_role(user=user, register=register, role=role, organisation=organisation, by=by)


def _give_role(*, user, register, role, organisation, by, approved: bool = False) -> Membership:
    membership = Membership.objects.filter(user=user, register=register).first()
    before = _membership_values(membership) if membership else {}
    if membership is None:
        membership = Membership(user=user, register=register)
    membership.role, membership.organisation = role, organisation
    membership.save()
    action = CHANGE if before else CREATE
    audit_change(
        by=by,
        record=membership,
        action=action,
        before=before,
        after=_membership_values(membership),
        register_id=register.pk,
    )
    if before.get("role") != role:
        instead = f" instead of {_role_words(before['role'])}" if before else ""
        approval = " The request for it was approved." if approved else ""
        change = f"You now have {_role_words(role)}{instead} in {register}.{approval}"
        tell(user=user, change=change, by=by, register=register)
    return membership


@transaction.atomic
def remove_membership(*, membership: Membership, by) -> None:
    """Take someone's role in a register away, at once."""
    may_administer(by)
    refuse_own_access(user=membership.user, by=by)
    note_removed(membership, by=by)
    membership.delete()
    change = f"You no longer have {_role_words(membership.role)} in {membership.register}."
    tell(user=membership.user, change=change, by=by, register=membership.register)


def note_removed(membership: Membership, *, by) -> None:
    audit_change(
        by=by,
        record=membership,
        action=DELETE,
        before=_membership_values(membership),
        after={},
        register_id=membership.register_id,
    )


# Accounts and links.


def account_values(user) -> dict[str, Any]:
    return {name: getattr(user, name) for name in ACCOUNT_FIELDS}


@transaction.atomic
def set_links(*, record: models.Model, field: str, values, by) -> None:
    """Set what a record is linked to (an account's groups and permissions, a group's permissions, a
    register's organisations), noting before and after by name."""
    may_administer(by)
    related = getattr(record, field)
    before = sorted(str(value) for value in related.all())
    after = sorted(str(value) for value in values)
    if before == after:
        return
    if isinstance(record, User):
        refuse_own_access(user=record, by=by)
    related.set(values)
    name = {"username": record.username} if isinstance(record, User) else {"name": str(record)}
    register_id = record.pk if isinstance(record, Register) else None
    audit_change(
        by=by,
        record=record,
        action=CHANGE,
        before={**name, field: before},
        after={**name, field: after},
        register_id=register_id,
    )


# Requests for access, and their approval.


def grant_values(grant: GrantRequest) -> dict[str, Any]:
    return {
        "user": grant.user.username,
        "kind": grant.kind,
        "register": grant.register_id,
        "role": grant.role,
        "organisation": grant.organisation.name if grant.organisation else None,
        "reason": grant.reason,
        "status": grant.status,
        "requested_by": grant.requested_by.username if grant.requested_by else None,
        "decided_by": grant.decided_by.username if grant.decided_by else None,
        "decision_note": grant.decision_note,
    }


def _what(grant: GrantRequest) -> str:
    if grant.kind == GrantRequest.Kind.MEMBERSHIP:
        return f"{_role_words(grant.role)} in {grant.register}"
    return RIGHTS_WORDS[grant.kind]


def ask_for_access(
    *, kind, user, reason: str, by, register=None, role: str = "", organisation=None
) -> GrantRequest:
    if not reason.strip():
        raise ValidationError(REASON_NEEDED, code="reason")
    pending = GrantRequest.Status.PENDING
    if GrantRequest.objects.filter(kind=kind, user=user, register=register, status=pending).exists():
        what = f"{user}'s role in {register}" if register else f"{user}'s {RIGHTS_WORDS[kind]}"
        raise ValidationError(
            f"A request for {what} is already waiting for approval: it must be decided first",
            code="already_asked",
        )
    grant = GrantRequest.objects.create(
        kind=kind,
        user=user,
        register=register,
        role=role,
        organisation=organisation,
        reason=reason.strip(),
        requested_by=by,
    )
    audit_change(
        by=by,
        record=grant,
        what="grant_request",
        action=CREATE,
        before={},
        after=grant_values(grant),
        register_id=grant.register_id,
    )
    change = (
        f"An administrator has asked for you to have {_what(grant)}. You will have it once someone else "
        "approves the request. We will tell you when it is decided."
    )
    tell(user=user, change=change, by=by, register=register)
    return grant


def may_decide(grant: GrantRequest, user) -> bool:
    """Whether `user` may approve or decline this request: an IG officer of its register (for administrator
    rights, of any register) or a system administrator; never the person who asked or the person it is for."""
    if not user.is_active or user.pk in (grant.requested_by_id, grant.user_id):
        return False
    if is_system_administrator(user):
        return True
    deciders = Membership.objects.filter(user=user, role__in=policy.roles_that_may("decide_access"))
    if grant.register_id is not None:
        deciders = deciders.filter(register_id=grant.register_id)
    return deciders.exists()


@transaction.atomic
def decide(*, grant: GrantRequest, approve: bool, by, note: str = "") -> GrantRequest:
    """Approve or decline a request for access. Approving gives the access at once; either way the person
    it is for is told."""
    grant = (
        GrantRequest.objects.select_for_update(of=("self",))
        .select_related("user", "register")
        .get(pk=grant.pk)
    )
    if by.pk == grant.requested_by_id:
        raise ValidationError("You asked for this access, so someone else must approve or decline it")
    if by.pk == grant.user_id:
        raise ValidationError("This request is for your own access, so someone else must decide it")
    if not may_decide(grant, by):
        raise PermissionDenied("Only an IG officer of the register or another system administrator decides")
    if not grant.is_pending:
        raise ValidationError(f"This request was already {grant.get_status_display().lower()}")
    before = grant_values(grant)
    grant.status = GrantRequest.Status.APPROVED if approve else GrantRequest.Status.DECLINED
    grant.decided_by, grant.decided_at, grant.decision_note = by, timezone.now(), note.strip()
    grant.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_change(
        by=by,
        record=grant,
        what="grant_request",
        action=CHANGE,
        before=before,
        after=grant_values(grant),
        register_id=grant.register_id,
    )
    if not approve:
        change = f"The request for you to have {_what(grant)} was declined. Your access has not changed."
        tell(user=grant.user, change=change, by=by, register=grant.register)
    elif grant.kind == GrantRequest.Kind.MEMBERSHIP:
        _lock(grant.user)
        _give_role(
            user=grant.user,
            register=grant.register,
            role=grant.role,
            organisation=grant.organisation,
            by=by,
            approved=True,
        )
    else:
        _give_right(grant=grant, by=by)
    return grant


def _give_right(*, grant: GrantRequest, by) -> None:
    user = User.objects.select_for_update().get(pk=grant.user_id)
    field = next(name for name, kind in RIGHTS.items() if kind == grant.kind)
    before = account_values(user)
    setattr(user, field, True)
    user.save(update_fields=[field])
    audit_change(by=by, record=user, action=CHANGE, before=before, after=account_values(user))
    tell(user=user, change=f"You now have {_what(grant)}. The request for it was approved.", by=by)
