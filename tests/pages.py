"""How the tests read pages the way a user does: what a browser posts, and what the page shows back."""

import datetime
import re
from html import unescape

from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.people import services
from dsr.people.models import Involvement
from dsr.people.values import CareTeamMember
from dsr.ratings.models import RiskFactor

# The message the design system shows under a field in error, after the element with the field's id.
ERROR_MESSAGE = r'-error"[^>]*>\s*<span class="nhsuk-u-visually-hidden">Error: </span>(.*?)</span>'


def detail_url(person) -> str:
    """The address of the person's record page."""
    return reverse("people:detail", kwargs={"person_id": person.pk})


def allocate(person, keyworker, by, started_on: datetime.date | None = None) -> Involvement:
    """The keyworker (Sam Okafor) put on the person's care team, from started_on or today."""
    return services.add_involvement(
        person=person,
        member=CareTeamMember(
            name="Sam Okafor",
            role="Keyworker",
            user=keyworker,
            is_keyworker=True,
            started_on=started_on or today(),
        ),
        by=by,
    )


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    """A date as a browser posts the design system's three boxes."""
    return {f"{name}[day]": str(day.day), f"{name}[month]": str(day.month), f"{name}[year]": str(day.year)}


def date_shown(response, name: str) -> datetime.date:
    """The date filled in the three boxes of a date input."""
    html = response.content.decode()
    parts = [
        re.search(rf'id="{name}-{part}"[^>]*value="([^"]*)"', html).group(1)
        for part in ("day", "month", "year")
    ]
    day, month, year = (int(p) for p in parts)
    return datetime.date(year, month, day)


def national_factors(n: int = 2) -> list[str]:
    """The first n national risk factors, as their ticked checkboxes post them."""
    return [
        str(pk) for pk in RiskFactor.objects.filter(register__isnull=True).values_list("pk", flat=True)[:n]
    ]


def error_summary(response) -> list[tuple[str, str]]:
    """The error summary at the top of the page: (link target, message) for each problem."""
    html = response.content.decode()
    found = re.search(r'nhsuk-error-summary__list">(.*?)</ul>', html, re.S)
    problems = []
    for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []:
        link = re.search(r'<a href="([^"]*)"[^>]*>(.*?)</a>', item, re.S)
        href, text = (link.group(1), link.group(2)) if link else ("", item)
        problems.append((href, unescape(" ".join(text.split()))))
    return problems


def field_error(response, field: str) -> str:
    """The message shown next to a field, or "" when it has none."""
    found = re.search(rf'id="(?:id_)?{field}{ERROR_MESSAGE}', response.content.decode(), re.S)
    return unescape(" ".join(found.group(1).split())) if found else ""


def audit_changes() -> int:
    """How many changes the audit trail holds (reads and lists left out), to show a refusal wrote none."""
    return AuditEvent.objects.exclude(action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.LIST]).count()
