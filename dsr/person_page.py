"""A person's page, built from the sections each app registers.

Each app that keeps records about a person registers its section of the page here, as it registers
its kinds of record for the subject access pack and erasure (dsr.audit.records): a heading, what the
page's one query for the person prefetches for it, a presenter that turns the prefetched records into
what its partial template shows (design-system parameters where a component fits), and the action the
user must be allowed to see it. The page (dsr.workspace) loads the person once with every section's
prefetches, so it runs a fixed number of queries whatever the record holds, and its template loops
over the sections. docs/adr/0017-layers.md
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.html import format_html

if TYPE_CHECKING:  # for types only: the access module and people sit above this registry
    from dsr.access import Scope
    from dsr.people.models import Person


@dataclass(frozen=True)
class Page:
    """What a section's presenter gets: who is looking, at whom, on which day, and what they may do."""

    scope: Scope
    person: Person
    on: datetime.date
    may: dict[str, bool]
    # The whole of each long history (rating entries, meetings), asked for with ?history=all; otherwise the
    # most recent RECENT of each, so the page of someone on the register for years stays quick to read.
    whole_history: bool = False


RECENT = 20


def recent(page: Page, entries: list) -> tuple[list, int]:
    """The entries a history shows on the page, newest first, and how many earlier ones it leaves out."""
    if page.whole_history or len(entries) <= RECENT:
        return entries, 0
    return entries[:RECENT], len(entries) - RECENT


@dataclass(frozen=True)
class Section:
    key: str  # its id on the page, the target of the contents list: "actions"
    heading: str  # "Actions"
    template: str  # the partial that shows it: "actions/_person_section.jinja"
    order: int  # where it stands on the page, smallest first
    # What the page's query for the person prefetches for this section (lookups or Prefetch objects).
    prefetch: tuple[Any, ...] = ()
    # The partial's context, from the prefetched person: no queries of its own but a fixed few.
    present: Callable[[Page], dict[str, Any]] = field(default=lambda page: {}, compare=False)
    # The action the user must be allowed to see the section at all ("see_who_viewed"); None: everyone
    # who can open the record.
    shown_to: str | None = None
    # Which page about the person it is on: their record, or the information governance officer's page
    # about their information rights (RIGHTS).
    on: str = "record"
    # The kinds of person record it shows (dsr.audit.records keys, "ratings.riskrating"): every kind is on
    # the page or says where else it is shown (tests/people/test_person_page_sections.py).
    shows: tuple[str, ...] = ()


RECORD = "record"
RIGHTS = "information_rights"

_SECTIONS: dict[tuple[str, str], Section] = {}


def register(section: Section) -> Section:
    """Add a section to every person's page."""
    place = (section.on, section.key)
    if place in _SECTIONS and _SECTIONS[place] != section:
        raise ValueError(f"A section called {section.key!r} is already on the {section.on} page")
    _SECTIONS[place] = section
    return section


def sections(on: str = RECORD) -> list[Section]:
    """Every section of one page about a person, in page order."""
    return sorted((s for s in _SECTIONS.values() if s.on == on), key=lambda section: section.order)


def prefetches(on: str = RECORD) -> list[Any]:
    """What the page's query prefetches: every section's, in page order."""
    return [lookup for section in sections(on) for lookup in section.prefetch]


def shown(page: Page, on: str = RECORD) -> list[tuple[Section, dict[str, Any]]]:
    """The sections of the page this user sees, each with its partial's context."""
    return [
        (section, section.present(page))
        for section in sections(on)
        if section.shown_to is None or page.may.get(section.shown_to, False)
    ]


# Parameters of the design system's table (nhsuk/components/tables), for presenters.


def table(*, caption: str, head: list[str], rows: list[list[dict[str, str]]]) -> dict[str, Any]:
    """A table whose caption is read out but not shown (the section's heading says what it is); a head of
    "" is a column of links, named for screen readers only."""
    return {
        "caption": {"text": caption, "classes": "nhsuk-u-visually-hidden"},
        "head": [
            {"text": name}
            if name
            else {"html": format_html('<span class="nhsuk-u-visually-hidden">Actions</span>')}
            for name in head
        ],
        "rows": rows,
    }


def text(value: object) -> dict[str, str]:
    """A cell of plain text."""
    return {"text": str(value)}


def html(template: str, *args: object) -> dict[str, str]:
    """A cell of markup, its values escaped (django.utils.html.format_html)."""
    return {"html": format_html(template, *args)}
