"""Documents and who has looked at the record, on a person's page (dsr.person_page)."""

from typing import Any

from django.db.models import Prefetch

from dsr import person_page
from dsr.audit.selectors import recent_access
from dsr.dates import format_datetime
from dsr.documents.models import Document
from dsr.person_page import text


def access(page: person_page.Page) -> dict[str, Any]:
    """The most recent reads and changes of the record, in plain words."""
    events = recent_access(page.person)
    rows = [[text(format_datetime(event.at)), text(who), text(what)] for event, who, what in events]
    caption = "Recent access to this record"
    return {
        "count": len(rows),
        "table": person_page.table(caption=caption, head=["When", "Who", "What"], rows=rows),
    }


def retention(page: person_page.Page) -> dict[str, Any]:
    """The legal hold in force on the record, if any (when it is filed and erased is the register's), and
    whether it may be erased now: once the person has left the register, and not while it is held."""
    hold = page.person.legal_holds.in_force().select_related("set_by").first()
    has_left = page.person.status != page.person.Status.ACTIVE
    return {
        "hold": hold,
        "may_erase_now": has_left and hold is None and page.scope.may("erase_record", page.person),
    }


person_page.register(
    person_page.Section(
        key="retention",
        heading="Retention",
        template="governance/_retention_section.jinja",
        order=10,
        on=person_page.RIGHTS,
        shows=("governance.legalhold",),
        present=retention,
    )
)
person_page.register(
    person_page.Section(
        key="documents",
        heading="Documents",
        template="governance/_documents_section.jinja",
        order=120,
        shows=("governance.document",),
        prefetch=(Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),),
    )
)
person_page.register(
    person_page.Section(
        key="access",
        heading="Who has looked at this record",
        template="governance/_access_section.jinja",
        order=140,
        present=access,
        shown_to="see_who_viewed",
    )
)
