"""Reads of the audit trail."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from dsr.administration.selectors import installation_wide_changes
from dsr.audit.models import AuditEvent
from dsr.audit.selectors import user_names, who_did
from dsr.audit.wording import describe
from dsr.people.models import Person
from dsr.referrals.models import Referral


def audit_trail_for(scope) -> QuerySet[AuditEvent]:
    """The audit events an information governance officer may read: those of their registers, and the
    administrative changes that reach every register (accounts and their rights, organisations)."""
    registers = [r.pk for r in scope.registers_for("see_audit_trail")]
    return AuditEvent.objects.filter(Q(register_id__in=registers) | installation_wide_changes()).order_by(
        "-at", "-id"
    )


@dataclass(frozen=True)
class AuditLine:
    """One event of the audit trail as the page shows it: in plain words, naming people, not ids."""

    event: AuditEvent
    what: str  # "Rating recorded", "Record viewed"
    who: str  # the user's full name
    whose: list[str]  # the people it is about (the person, or those a list showed), by name
    erased: int  # how many of them have been erased since


def _about(event: AuditEvent) -> list[str]:
    about = [str(event.person_id)] if event.person_id else []
    if event.action == AuditEvent.Action.LIST:
        about += [person_id for person_id in event.people_shown if person_id not in about]
    return about


def people_named(scope, events: list[AuditEvent]) -> dict[str, Person]:
    """The people in the IG officer's registers that the events are about (or that a list showed), by id,
    in one query."""
    ids = {person_id for event in events for person_id in _about(event)}
    return {str(p.pk): p for p in scope.governed_people().filter(pk__in=ids)} if ids else {}


def referrals_named(scope, events: list[AuditEvent]) -> dict[str, str]:
    """The references of the referrals in the IG officer's registers that events about no person yet are
    about (a referral not yet accepted), by id, in one query."""
    ids = {e.record_id for e in events if e.record_type == "referral" and e.person_id is None and e.record_id}
    if not ids:
        return {}
    registers = [r.pk for r in scope.registers_for("see_audit_trail")]
    found = Referral.objects.filter(pk__in=ids, register_id__in=registers).values_list("pk", "reference")
    return {str(pk): reference for pk, reference in found}


def audit_lines(
    events: list[AuditEvent], *, people: dict[str, Person], referrals: dict[str, str] | None = None
) -> list[AuditLine]:
    """The events in plain words, with the names of their users (in one query) and of their people; a
    referral not yet accepted by its reference."""
    names = user_names(events)
    referrals = referrals or {}
    return [
        AuditLine(
            event=event,
            what=describe(event),
            who=who_did(event, names),
            whose=[people[i].full_name for i in _about(event) if i in people]
            or ([f"Referral {referrals[event.record_id]}"] if event.record_id in referrals else []),
            erased=sum(1 for i in _about(event) if i not in people) + event.erased_shown,
        )
        for event in events
    ]
