"""Reads of who may do what, for information governance officers: requests for access waiting for a
decision, and the changes to roles and memberships in a period (from the audit trail)."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from dsr.access import Scope
from dsr.audit.models import AuditEvent
from dsr.registers.models import GrantRequest

# Changes to who may do what. A role and a request for one belong to a register; an account (its rights,
# groups, password) and a request for administrator rights reach every register, so every IG officer
# sees them.
IN_A_REGISTER = ("membership", "grant_request")
INSTALLATION_WIDE = ("user", "grant_request", "group", "organisation")
ACCESS_CHANGES = ("membership", "grant_request", "user")


def governed_registers(scope: Scope) -> list:
    """The registers whose access changes the user sees: those where they are an IG officer."""
    return scope.registers_for("see_access_changes")


def waiting_requests(scope: Scope) -> QuerySet[GrantRequest]:
    """Requests for access waiting for a decision, in the user's governed registers and for administrator
    rights, oldest first."""
    registers = governed_registers(scope)
    return (
        GrantRequest.objects.filter(status=GrantRequest.Status.PENDING)
        .filter(Q(register__in=registers) | Q(register__isnull=True))
        .select_related("user", "register", "requested_by")
        .order_by("requested_at")
    )


def grant_request(scope: Scope, grant_id) -> GrantRequest:
    """One request for access in the user's governed registers (or for administrator rights), or 404."""
    registers = governed_registers(scope)
    found = GrantRequest.objects.filter(Q(register__in=registers) | Q(register__isnull=True)).select_related(
        "user", "register", "organisation", "requested_by", "decided_by"
    )
    try:
        return found.get(pk=grant_id)
    except (GrantRequest.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404("No such request") from error


def access_changes(scope: Scope, *, since: datetime.date, until: datetime.date) -> QuerySet[AuditEvent]:
    """Roles given, changed and removed, requests for access made and decided, and changes to accounts,
    between two dates (inclusive), most recent first."""
    registers = [r.pk for r in governed_registers(scope)]
    return AuditEvent.objects.filter(
        Q(register_id__in=registers, record_type__in=IN_A_REGISTER)
        | (installation_wide_changes() & Q(record_type__in=ACCESS_CHANGES)),
        at__date__gte=since,
        at__date__lte=until,
    ).order_by("-at", "-id")


def installation_wide_changes() -> Q:
    """Administrative events that reach every register (accounts, organisations, admin groups, requests for
    administrator rights): in every IG officer's audit trail beside their registers' own events."""
    return Q(register_id__isnull=True, record_type__in=INSTALLATION_WIDE)
