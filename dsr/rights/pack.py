"""The subject access pack: everything held about a person, as a readable PDF and a machine-readable
JSON file, zipped with their documents.

Plain functions, so the page, a command or a background task can build the same pack. What goes in
comes from the registry of person records (dsr.governance.records): a new kind of record is in every
pack from the moment it registers. Reads take one query per kind of record, whatever their number.
"""

from __future__ import annotations

import datetime
import io
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from dsr.governance import documents, records
from dsr.governance.models import AuditEvent, Document
from dsr.pdf import render_pdf
from dsr.people.models import Person
from dsr.registers.models import Membership, Role


@dataclass(frozen=True)
class Section:
    kind: records.RecordKind
    rows: list[models.Model]

    @property
    def readable(self) -> list[list[tuple[str, str]]]:
        return [records.readable(self.kind, row) for row in self.rows]


@dataclass(frozen=True)
class AccessLine:
    """One time someone looked at, changed or exported the record."""

    at: datetime.datetime
    user: str
    role: str
    action: str
    what: str
    source: str

    def as_json(self) -> dict[str, str]:
        return {
            "at": self.at.isoformat(),
            "user": self.user,
            "role": self.role,
            "action": self.action,
            "what": self.what,
            "source": self.source,
        }


@dataclass(frozen=True)
class PackDocument:
    document: Document
    name: str  # its path inside the zip, under documents/
    present: bool  # False when the file has gone from the store


@dataclass
class Pack:
    person: Person
    produced_at: datetime.datetime
    sections: list[Section]
    access_log: list[AccessLine]
    documents: list[PackDocument] = field(default_factory=list)


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
    events = list(AuditEvent.objects.filter(person_id=person.pk).order_by("at", "id"))
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
            action=event.get_action_display(),
            what=event.record_type.replace("_", " "),
            source=event.get_source_display(),
        )
        for event in events
    ]


def _unique(name: str, taken: set[str]) -> str:
    path = PurePosixPath(name)
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{path.stem}-{n}{path.suffix}"
    taken.add(candidate)
    return candidate


def assemble(person: Person, *, produced_at: datetime.datetime | None = None) -> Pack:
    """Everything held about the person, gathered for the pack."""
    sections = [Section(kind=kind, rows=_rows(kind, person)) for kind in records.kinds()]
    taken: set[str] = set()
    pack_documents = [
        PackDocument(
            document=document,
            name=f"documents/{_unique(document.download_name, taken)}",
            present=documents.path_for(document.stored_name).is_file(),
        )
        for section in sections
        if section.kind.model is Document
        for document in section.rows
    ]
    return Pack(
        person=person,
        produced_at=produced_at or timezone.now(),
        sections=sections,
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
                "records": [records.machine_readable(section.kind, row) for row in section.rows],
            }
            for section in pack.sections
        },
        "access_log": [line.as_json() for line in pack.access_log],
        "documents": [
            {
                "id": str(item.document.pk),
                "title": item.document.title,
                "file": item.name if item.present else None,
            }
            for item in pack.documents
        ],
    }


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
            "access_log": pack.access_log,
            "documents": pack.documents,
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
