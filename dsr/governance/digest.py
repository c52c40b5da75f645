"""The IG officer's daily email of unusual access: how many of each sign a register showed on a day, and a
link to the page that names who. Sent by the nightly job (dsr.governance.tasks) or by
`manage.py unusual_access --send`."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode

from dsr.dates import format_date
from dsr.governance.unusual_access import MANY_RECORDS, OUT_OF_HOURS, OUTSIDE_CASELOAD, Finding, findings
from dsr.notifications import messages
from dsr.notifications.models import Notification
from dsr.notifications.services import notify
from dsr.plurals import counted
from dsr.registers.models import Membership, Register
from dsr.registers.policy import roles_that_may

logger = logging.getLogger(__name__)

TEMPLATE = Notification.Template.UNUSUAL_ACCESS


def _users(count: int, noun: str = "user") -> str:
    return counted(count, noun)


def counts(found: list[Finding]) -> str:
    """One line per sign found: how many users, and how many records. No names, no record ids."""
    lines = []
    many = [f for f in found if f.kind == MANY_RECORDS]
    if many:
        lines.append(
            f"- {_users(len({f.user_id for f in many}))} opened many more records than they usually do"
        )
    late = [f for f in found if f.kind == OUT_OF_HOURS]
    if late:
        records = sum(f.records for f in late)
        lines.append(
            f"- {_users(len({f.user_id for f in late}))} opened records outside working hours "
            f"({records} {'record' if records == 1 else 'records'} in all)"
        )
    caseload = [f for f in found if f.kind == OUTSIDE_CASELOAD]
    if caseload:
        people = len({f.person_id for f in caseload})
        lines.append(
            f"- {_users(len({f.user_id for f in caseload}), 'keyworker')} opened the records of "
            f"{people} {'person' if people == 1 else 'people'} not on their caseload"
        )
    return "\n".join(lines)


def page_link(day: datetime.date) -> str:
    """The unusual access page for one day, as a full address for an email."""
    query = {}
    for name in ("since", "until"):
        query.update({f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year})
    return f"{settings.SERVICE_URL}{reverse('governance:unusual_access')}?{urlencode(query)}"


def send_digests(*, day: datetime.date) -> int:
    """Email each IG officer of each register that showed signs of unusual access on `day` one message: how
    many of each sign and a link to the page; never a name, an NHS number or anything typed. Nothing for a
    register with none, and never twice to one address for the same register and day. How many were queued."""
    found = findings(list(Register.objects.all()), since=day, until=day)
    by_register: dict[Register, list[Finding]] = {}
    for finding in found:
        by_register.setdefault(finding.register, []).append(finding)
    officers = (
        Membership.objects.filter(
            register__in=list(by_register),
            role__in=roles_that_may("see_unusual_access"),
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "register")
        .order_by("register__name", "user__username")
    )
    queued = 0
    for membership in officers:
        register = membership.register
        personalisation = {
            "day": format_date(day),
            "counts": counts(by_register[register]),
            "link": page_link(day),
        }
        subject, _ = messages.render(TEMPLATE, {"register": register.name, **personalisation})
        already = Notification.objects.filter(
            template=TEMPLATE, register=register, to_email=membership.user.email, subject=subject
        )
        if already.exists():
            continue
        try:
            notify(
                template=TEMPLATE,
                to_email=membership.user.email,
                personalisation=personalisation,
                register=register,
            )
        except ValidationError:
            logger.warning("IG officer %s has an email address that cannot be used", membership.user_id)
            continue
        queued += 1
    return queued
