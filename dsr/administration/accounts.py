"""Accounts: making, changing and deleting them, their administrator rights, groups and passwords.

The rules are those of dsr.administration.services: every change audited, nothing changed on one's own
account's access, administrator rights only with a second person's approval, the person told.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from dsr.administration.services import (
    CHANGE,
    CREATE,
    DELETE,
    OWN_ACCESS,
    REASON_NEEDED,
    RIGHTS,
    RIGHTS_WORDS,
    User,
    account_values,
    ask_for_access,
    audit_change,
    grant_values,
    may_administer,
    note_removed,
    refuse_own_access,
    set_links,
    tell,
)
from dsr.registers.models import GrantRequest


def _password(user) -> str:
    return "set" if user.has_usable_password() else "none"


@transaction.atomic
def save_account(*, user, by, reason: str = "") -> list[GrantRequest]:
    """Save a new or changed account: its name, email, whether it may sign in, its administrator rights.

    Rights it did not have become requests for a second person to approve (returned), and the account is
    saved without them; everything else, including taking rights away, is made at once."""
    may_administer(by)
    stored = User.objects.select_for_update().filter(pk=user.pk).first() if user.pk else None
    own = stored is not None and stored.pk == by.pk
    if own and any(getattr(user, name) != getattr(stored, name) for name in [*RIGHTS, "is_active"]):
        raise ValidationError(OWN_ACCESS, code="own_access")
    asked = [name for name in RIGHTS if getattr(user, name) and not (stored and getattr(stored, name))]
    if asked and not reason.strip():
        raise ValidationError(REASON_NEEDED, code="reason")
    for name in asked:
        setattr(user, name, False)
    user.save()
    before, after = (account_values(stored) if stored else {}), account_values(user)
    if stored is None:
        audit_change(
            by=by, record=user, action=CREATE, before={}, after={**after, "password": _password(user)}
        )
    elif before != after or stored.password != user.password:
        password = {"password": "changed"} if stored.password != user.password else {}
        audit_change(by=by, record=user, action=CHANGE, before=before, after={**after, **password})
    if stored is not None:
        for name, kind in RIGHTS.items():
            if getattr(stored, name) and not getattr(user, name):
                tell(user=user, change=f"You no longer have {RIGHTS_WORDS[kind]}.", by=by)
        if not stored.is_active and user.is_active:
            tell(user=user, change="Your account has been switched back on: you can sign in again.", by=by)
    return [ask_for_access(kind=RIGHTS[name], user=user, reason=reason, by=by) for name in asked]


@transaction.atomic
def set_account_links(*, user, by, groups=None, permissions=None) -> None:
    """Set an account's admin groups and permissions (what it may do in the administration pages); not
    one's own."""
    for field, values in (("groups", groups), ("user_permissions", permissions)):
        if values is not None:
            set_links(record=user, field=field, values=values, by=by)


@transaction.atomic
def record_password_set(*, user, by) -> None:
    """Note that an account's password was set (by the admin's password page or `changepassword`), and tell
    its owner when someone else set it."""
    audit_change(
        by=by,
        record=user,
        action=CHANGE,
        before={"username": user.username},
        after={"username": user.username, "password": "changed"},
    )
    if by is None or by.pk != user.pk:
        tell(user=user, change="A new password was set for your account by an administrator.", by=by)


@transaction.atomic
def record_bootstrap_account(*, user) -> None:
    """Note an account made on the server by `manage.py createsuperuser`: the bootstrap route, with no
    administrator to act or approve. The audit trail shows it as made by a command."""
    audit_change(
        by=None,
        record=user,
        action=CREATE,
        before={},
        after={**account_values(user), "password": _password(user)},
    )


@transaction.atomic
def delete_account(*, user, by) -> None:
    """Delete an account, with its memberships and any requests waiting for it."""
    may_administer(by)
    refuse_own_access(user=user, by=by)
    for membership in user.memberships.select_related("user", "organisation"):
        note_removed(membership, by=by)
    for grant in user.grant_requests.filter(status=GrantRequest.Status.PENDING):
        audit_change(
            by=by,
            record=grant,
            what="grant_request",
            action=DELETE,
            before=grant_values(grant),
            after={},
            register_id=grant.register_id,
        )
    audit_change(by=by, record=user, action=DELETE, before=account_values(user), after={})
    user.delete()
