"""Every kind of record held about a person, registered in one place.

Subject access packs, erasure and the audit trail's redaction all walk this registry, so a new
kind of record (a referral, a review, an action, a meeting's minutes section…) is covered by
all three the moment it registers itself, usually from its app's `records.py` imported in
`AppConfig.ready()`. tests/governance/test_record_registry.py fails when a model that hangs off
a person is not registered. See docs/adr/0005-erasure-and-the-audit-trail.md.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models


@dataclass(frozen=True)
class RecordKind:
    """How to find, show and erase one kind of record about a person."""

    model: type[models.Model]
    heading: str  # the section heading in a subject access pack, e.g. "Ratings"
    # ORM path from the record to its person ("person", "meeting_item__person"…); "" for Person itself.
    person_path: str
    fields: tuple[str, ...]  # what the pack shows, in order
    order_by: tuple[str, ...] = ()
    # Paths of files on disk that belong to the records, removed on erasure (documents, say).
    files: Callable[[Iterable[models.Model]], list[Path]] | None = None
    # Extra clean-up for data about the person held outside these rows (queued messages, say).
    erase: Callable[[Any], None] | None = field(default=None, compare=False)
    # Other paths by which a record is about the person (a meeting's item about their referral, say).
    also_via: tuple[str, ...] = ()
    # What one record is called in plain words ("rating"), where the model's verbose name is not plain.
    noun: str = ""
    # False for what is kept about answering the person and never sent to them (a pack's redaction log).
    in_pack: bool = True

    @property
    def key(self) -> str:
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}"

    @property
    def singular(self) -> str:
        """One record of this kind in plain words: "rating", "subject access request"."""
        return self.noun or str(self.model._meta.verbose_name)

    def records_of(self, person) -> models.QuerySet:
        """This kind's records about the person."""
        manager = self.model._default_manager
        if not self.person_path:
            return manager.filter(pk=person.pk)
        if not self.also_via:
            return manager.filter(**{self.person_path: person}).order_by(*self.order_by)
        # One indexed lookup for each path, their ids put together: "person = X OR the referral's person = X"
        # across the outer join to referrals reads every agenda item in the country.
        ids = manager.filter(**{self.person_path: person}).order_by().values("pk")
        for path in self.also_via:
            ids = ids.union(manager.filter(**{path: person}).order_by().values("pk"))
        return manager.filter(pk__in=ids).order_by(*self.order_by)


_KINDS: dict[str, RecordKind] = {}


def register(
    model: type[models.Model],
    *,
    heading: str,
    fields: Iterable[str],
    person_path: str = "person",
    order_by: Iterable[str] = (),
    files: Callable[[Iterable[models.Model]], list[Path]] | None = None,
    erase: Callable[[Any], None] | None = None,
    also_via: Iterable[str] = (),
    noun: str = "",
    in_pack: bool = True,
) -> RecordKind:
    """Add a kind of person record to the subject access pack, erasure and audit redaction."""
    kind = RecordKind(
        model=model,
        heading=heading,
        person_path=person_path,
        fields=tuple(fields),
        order_by=tuple(order_by),
        files=files,
        erase=erase,
        also_via=tuple(also_via),
        noun=noun,
        in_pack=in_pack,
    )
    for name in kind.fields:
        model._meta.get_field(name.split("__")[0])  # fails at start-up on a misspelt field
    _KINDS[kind.key] = kind
    return kind


def kinds() -> list[RecordKind]:
    """Every registered kind, the person's own details first, in the order they registered."""
    return list(_KINDS.values())


def pack_kinds() -> list[RecordKind]:
    """The kinds a subject access pack shows, in the same order."""
    return [kind for kind in _KINDS.values() if kind.in_pack]


def kind_for(model: type[models.Model]) -> RecordKind | None:
    return _KINDS.get(f"{model._meta.app_label}.{model._meta.model_name}")


def _display(record: models.Model, name: str) -> str:
    model_field = record._meta.get_field(name)
    value = getattr(record, name)
    if value is None or value == "" or value == []:
        return ""
    # A field with choices, or a list of codes its model can name ("get_concerns_display").
    shown = getattr(record, f"get_{name}_display", None)
    if callable(shown):
        return str(shown())
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(model_field, models.ManyToManyField):
        return ", ".join(str(item) for item in value.all())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return value.strftime("%-d %B %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    if isinstance(model_field, models.ForeignKey) and model_field.related_model.__name__ == "User":
        return value.get_full_name() or value.username
    return str(value)


def _plain(record: models.Model, name: str) -> Any:
    model_field = record._meta.get_field(name)
    if isinstance(model_field, models.ManyToManyField):
        return [str(item) for item in getattr(record, name).all()]
    if isinstance(model_field, models.ForeignKey):
        related = getattr(record, name)
        return str(related) if related is not None else None
    value = getattr(record, name)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def label(model: type[models.Model], name: str) -> str:
    verbose = str(model._meta.get_field(name).verbose_name)
    return verbose[:1].upper() + verbose[1:]


def readable(kind: RecordKind, record: models.Model) -> list[tuple[str, str]]:
    """(label, value) pairs for a person to read, in the kind's order."""
    return [(label(kind.model, name), _display(record, name)) for name in kind.fields]


def machine_readable(kind: RecordKind, record: models.Model) -> dict[str, Any]:
    """{field name: plain JSON value} for the machine-readable part of a pack."""
    return {"id": str(record.pk), **{name: _plain(record, name) for name in kind.fields}}
