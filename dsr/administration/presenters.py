"""Audit events about who may do what, in the words an IG officer reads on the page of access changes."""

from dataclasses import dataclass

from dsr.audit.models import AuditEvent
from dsr.registers.models import GrantRequest, Role

CREATE, CHANGE, DELETE = AuditEvent.Action.CREATE, AuditEvent.Action.CHANGE, AuditEvent.Action.DELETE
RIGHTS = {"is_staff": "administration pages", "is_superuser": "full administration rights"}


@dataclass(frozen=True)
class AccessChange:
    event: AuditEvent
    what: str  # Granted, Requested, Approved, Declined, Removed ...
    whose: str  # the username of the account whose access it is
    detail: str


def _after(changes: dict, name: str):
    pair = changes.get(name) or [None, None]
    return pair[1] if pair[1] is not None else pair[0]


def _role(value) -> str:
    return Role(value).label if value in Role.values else str(value or "")


def _in(changes: dict, registers: dict[int, str]) -> str:
    register = _after(changes, "register")
    return f" in {registers.get(register, f'register {register}')}" if register is not None else ""


def _membership(event: AuditEvent, changes: dict, registers: dict[int, str]) -> tuple[str, str]:
    where = _in(changes, registers)
    role = changes.get("role")
    if event.action == CREATE:
        return "Granted", f"{_role(_after(changes, 'role'))}{where}"
    if event.action == DELETE:
        return "Removed", f"{_role(role[0] if role else '')}{where}"
    if role:
        return "Role changed", f"From {_role(role[0])} to {_role(role[1])}{where}"
    return "Organisation changed", f"To {_after(changes, 'organisation') or 'none'}{where}"


def _grant(event: AuditEvent, changes: dict, registers: dict[int, str]) -> tuple[str, str]:
    kind = _after(changes, "kind")
    asked = (
        f"{_role(_after(changes, 'role'))}{_in(changes, registers)}"
        if kind == GrantRequest.Kind.MEMBERSHIP
        else GrantRequest.Kind(kind).label
    )
    if event.action == CREATE:
        return "Requested", f"{asked}. Why: {_after(changes, 'reason')}"
    if event.action == DELETE:
        return "Request withdrawn", f"{asked} (the account was deleted)"
    status = _after(changes, "status")
    note = _after(changes, "decision_note")
    return GrantRequest.Status(status).label, f"{asked}{f'. Note: {note}' if note else ''}"


def _account(event: AuditEvent, changes: dict) -> tuple[str, str]:
    if event.action == CREATE:
        return "Account made", ""
    if event.action == DELETE:
        return "Account deleted", ""
    parts = []
    for field, words in RIGHTS.items():
        if field in changes:
            parts.append(f"{'Given' if changes[field][1] else 'No longer has'} {words}")
    if "is_active" in changes:
        parts.append("Can sign in again" if changes["is_active"][1] else "Can no longer sign in")
    if "password" in changes:
        parts.append("Password set")
    if {"groups", "user_permissions"} & set(changes):
        parts.append("Admin groups or permissions changed")
    details = {"first_name", "last_name", "email", "username"} & {
        k for k, v in changes.items() if v[0] != v[1]
    }
    if details:
        parts.append("Details changed: " + ", ".join(sorted(name.replace("_", " ") for name in details)))
    return "Account changed", "; ".join(parts)


def access_change(event: AuditEvent, registers: dict[int, str]) -> AccessChange:
    """One row of the page: what happened, whose access, and the detail. `registers` names the registers."""
    changes = event.changes if isinstance(event.changes, dict) else {}
    if event.record_type == "membership":
        what, detail = _membership(event, changes, registers)
        whose = _after(changes, "user")
    elif event.record_type == "grant_request":
        what, detail = _grant(event, changes, registers)
        whose = _after(changes, "user")
    else:
        what, detail = _account(event, changes)
        whose = _after(changes, "username")
    return AccessChange(event=event, what=what, whose=whose or "", detail=detail)
