"""The subject access pack: everything held about a person, as a readable PDF and a machine-readable
JSON file, zipped with their documents.

Plain functions, so the page, a command or a background task can build the same pack. What goes in
comes from the registry of person records (dsr.audit.records): a new kind of record is in every
pack from the moment it registers. Reads take one query per kind of record, whatever their number.

Before it is sent, the IG officer marks the values that identify someone else (dsr.rights.redactions); the
pack shows REDACTED in their place, in the PDF and the JSON alike (UK GDPR Article 15(4)).
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from dsr import documents
from dsr.audit import records, wording
from dsr.audit.models import AuditEvent
from dsr.documents.models import Document
from dsr.pdf import render_pdf
from dsr.people.models import Person
from dsr.registers.models import Membership, Role

# What the pack shows in place of a value withheld because it identifies someone else.
REDACTED = "[redacted: third party]"
WHY_WITHHELD = (
    "Information that would identify someone else (a family member, another person who gets support, or a "
    "member of staff's personal details) is withheld, as the law allows where they have not agreed and it "
    "would not be reasonable to share it: UK GDPR Article 15(4) and the Data Protection Act 2018, "
    "Schedule 2, paragraph 16."
)


def value_key(kind: records.RecordKind, record_id: Any, field_name: str) -> str:
    """How a marked value is named: "people.involvement.<record id>.name"."""
    return f"{kind.key}.{record_id}.{field_name}"


@dataclass(frozen=True)
class PackValue:
    """One value the pack shows, as the IG officer reviews it for information about other people."""

    key: str  # value_key()
    heading: str  # the section: "Care team"
    number: int  # which record of the section (1, 2 …)
    of: int  # how many records the section has
    label: str  # "Name"
    value: str  # as the PDF shows it

    @property
    def described(self) -> str:
        """Which value it is, in words: "Name (Care team 2 of 3)"."""
        record = f" {self.number} of {self.of}" if self.of > 1 else ""
        return f"{self.label} ({self.heading}{record})"


@dataclass(frozen=True)
class Section:
    kind: records.RecordKind
    rows: list[models.Model]
    withheld: frozenset[str] = frozenset()  # value keys

    def shows(self, row: models.Model, name: str) -> bool:
        """Whether the value is shown, not withheld."""
        return value_key(self.kind, row.pk, name) not in self.withheld

    @property
    def readable(self) -> list[list[tuple[str, str]]]:
        return [
            [
                (label, value if self.shows(row, name) else REDACTED)
                for name, (label, value) in zip(
                    self.kind.fields, records.readable(self.kind, row), strict=True
                )
            ]
            for row in self.rows
        ]

    @property
    def machine_readable(self) -> list[dict[str, Any]]:
        return [
            {
                name: value if name == "id" or self.shows(row, name) else REDACTED
                for name, value in records.machine_readable(self.kind, row).items()
            }
            for row in self.rows
        ]

    @property
    def values(self) -> list[PackValue]:
        """Every value the section holds (withheld or not), as the PDF shows it unmarked, for review."""
        return [
            PackValue(
                key=value_key(self.kind, row.pk, name),
                heading=self.kind.heading,
                number=number,
                of=len(self.rows),
                label=label,
                value=value,
            )
            for number, row in enumerate(self.rows, start=1)
            for name, (label, value) in zip(self.kind.fields, records.readable(self.kind, row), strict=True)
            if value
        ]


@dataclass(frozen=True)
class AccessLine:
    """One time someone looked at, changed or exported the record."""

    at: datetime.datetime
    user: str
    role: str
    what: str  # in plain words: "Rating recorded", "Record viewed"
    source: str

    def as_json(self) -> dict[str, str]:
        return {
            "at": self.at.isoformat(),
            "user": self.user,
            "role": self.role,
            "what": self.what,
            "source": self.source,
        }


@dataclass(frozen=True)
class PackDocument:
    document: Document
    name: str  # its path inside the zip, under documents/
    present: bool  # False when the file has gone from the store
    title: str  # the document's title, or REDACTED


@dataclass
class Pack:
    person: Person
    produced_at: datetime.datetime
    sections: list[Section]
    access_log: list[AccessLine]
    documents: list[PackDocument] = field(default_factory=list)

    @property
    def withheld(self) -> int:
        """How many values are withheld because they identify someone else."""
        return sum(len(section.withheld) for section in self.sections)


def _rows(kind: records.RecordKind, person: Person) -> list[models.Model]:
    """The kind's records about the person, with the people and things they name, in one query (plus
    one for each many-to-many field)."""
    related, many = [], []
    for name in kind.fields:
        model_field = kind.model._meta.get_field(name.split("__")[0])
        if model_field.many_to_many:
            many.append(model_field.name)
        elif model_field.is_relation and (model_field.many_to_one or model_field.one_to_one):
            related.append(model_field.name)
    return list(kind.records_of(person).select_related(*related).prefetch_related(*many))


def access_log(person: Person) -> list[AccessLine]:
    """Who looked at, changed or exported the person's record, and when, oldest first."""
    # Only what a line shows: years of events, each with its changes, salts and signature, would otherwise
    # be read and decoded to print four words of each.
    events = list(
        AuditEvent.objects.filter(person_id=person.pk)
        .only("at", "user_id", "username", "action", "record_type", "source")
        .order_by("at", "id")
    )
    user_ids = {event.user_id for event in events if event.user_id is not None}
    names = {
        user.pk: user.get_full_name() or user.username
        for user in get_user_model().objects.filter(pk__in=user_ids)
    }
    roles = {
        membership.user_id: Role(membership.role).label
        for membership in Membership.objects.filter(register_id=person.register_id, user_id__in=user_ids)
    }
    return [
        AccessLine(
            at=event.at,
            user=names.get(event.user_id) or event.username or "The system",
            role=roles.get(event.user_id, ""),
            what=wording.describe(event),
            source=event.get_source_display(),
        )
        for event in events
    ]


def by_month(lines: list[AccessLine]) -> list[tuple[str, list[AccessLine]]]:
    """The access log month by month, oldest first, as the PDF prints it: ("March 2024", its lines)."""
    return [
        (month, list(group))
        for month, group in itertools.groupby(lines, key=lambda line: f"{timezone.localtime(line.at):%B %Y}")
    ]


def _unique(name: str, taken: set[str]) -> str:
    path = PurePosixPath(name)
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{path.stem}-{n}{path.suffix}"
    taken.add(candidate)
    return candidate


def sections(person: Person, *, withheld: Iterable[str] = ()) -> list[Section]:
    """Every kind of record the pack shows, with the person's records of it; `withheld` names the values
    marked as identifying someone else (value keys)."""
    withheld = set(withheld)
    found = []
    for kind in records.pack_kinds():
        rows = _rows(kind, person)
        keys = {value_key(kind, row.pk, name) for row in rows for name in kind.fields}
        found.append(Section(kind=kind, rows=rows, withheld=frozenset(keys & withheld)))
    return found


def _document(document: Document, section: Section, taken: set[str]) -> PackDocument:
    """A document's file in the pack, named after its title unless the title is withheld."""
    shown = section.shows(document, "title")
    name = document.download_name if shown else f"document.{document.download_name.rsplit('.', 1)[-1]}"
    return PackDocument(
        document=document,
        name=f"documents/{_unique(name, taken)}",
        present=documents.path_for(document.stored_name).is_file(),
        title=document.title if shown else REDACTED,
    )


def assemble(
    person: Person, *, produced_at: datetime.datetime | None = None, withheld: Iterable[str] = ()
) -> Pack:
    """Everything held about the person, gathered for the pack, with the values in `withheld` (value keys)
    replaced by REDACTED."""
    found = sections(person, withheld=withheld)
    taken: set[str] = set()
    pack_documents = [
        _document(document, section, taken)
        for section in found
        if section.kind.model is Document
        for document in section.rows
    ]
    return Pack(
        person=person,
        produced_at=produced_at or timezone.now(),
        sections=found,
        access_log=access_log(person),
        documents=pack_documents,
    )


def register_name(pack: Pack) -> str:
    details = next((s.rows[0] for s in pack.sections if s.kind.model is Person and s.rows), pack.person)
    return str(details.register)


def as_json(pack: Pack) -> dict[str, Any]:
    """The machine-readable part of the pack."""
    return {
        "person_id": str(pack.person.pk),
        "produced_at": pack.produced_at.isoformat(),
        "register": register_name(pack),
        "sections": {
            section.kind.key: {
                "heading": section.kind.heading,
                "records": section.machine_readable,
            }
            for section in pack.sections
        },
        "withheld": {"values": pack.withheld, "shown_as": REDACTED, "why": WHY_WITHHELD},
        "access_log": [line.as_json() for line in pack.access_log],
        "documents": [
            {
                "id": str(item.document.pk),
                "title": item.title,
                "file": item.name if item.present else None,
            }
            for item in pack.documents
        ],
    }


# A kind of record with more entries than this is printed as a line to each entry, not a table to each.
MANY_RECORDS = 10


def as_pdf(pack: Pack) -> bytes:
    """The readable part of the pack: an A4 PDF with a heading for every kind of record."""
    return render_pdf(
        "rights/pack/record.jinja",
        {
            "pack": pack,
            "person": pack.person,
            "register": register_name(pack),
            "produced_at": pack.produced_at,
            "sections": pack.sections,
            "access_log": by_month(pack.access_log),
            "documents": pack.documents,
            "redacted": REDACTED,
            "why_withheld": WHY_WITHHELD,
            "many_records": MANY_RECORDS,
        },
    )


def zipped(pack: Pack) -> bytes:
    """record.pdf, record.json and documents/<name> for each document, in one zip file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.pdf", as_pdf(pack))
        archive.writestr("record.json", json.dumps(as_json(pack), indent=2, ensure_ascii=False, default=str))
        for item in pack.documents:
            if not item.present:
                continue
            with (
                documents.open_stored(item.document.stored_name) as source,
                archive.open(item.name, "w") as out,
            ):
                shutil.copyfileobj(source, out)
    return buffer.getvalue()


def build_pack(person: Person) -> bytes:
    """The person's whole subject access pack, as the bytes of a zip file."""
    return zipped(assemble(person))
