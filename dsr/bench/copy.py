"""Rows written with PostgreSQL's COPY: a national data set is millions of rows, which the ORM would take
an hour to save one by one and bulk_create minutes of memory to build.

Each row is a dict of the model's attribute names; a field left out takes the model's own default, so the
rows are what the application itself would have saved.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, JSONField, Model
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone


def _filler(field: Field) -> Callable[[], Any]:
    """What a left-out field holds: the model's default, else NULL, else empty text."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now
    if field.has_default():
        return field.get_default
    if field.null:
        return lambda: None
    return lambda: ""


def copy_rows(model: type[Model], rows: Iterable[dict[str, Any]]) -> int:
    """COPY the rows into the model's table; returns how many were written. Without PostgreSQL (the
    suite's SQLite), inserts them in batches instead: slower, and enough for a small set."""
    if connection.vendor != "postgresql":
        return _insert_rows(model, rows)
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    # An integer primary key is left to its sequence unless the rows give it (reset_sequences then).
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (isinstance(field, AutoFieldMixin) and field.attname not in first)
    ]
    fillers = {field.attname: _filler(field) for field in fields}
    as_json = {field.attname for field in fields if isinstance(field, JSONField)}
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    written = 0
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in itertools.chain([first], rows):
            values = []
            for field in fields:
                name = field.attname
                value = row[name] if name in row else fillers[name]()
                if name in as_json and value is not None:
                    value = json.dumps(value, separators=(",", ":"))
                values.append(value)
            copy.write_row(values)
            written += 1
    return written


def _insert_rows(model: type[Model], rows: Iterable[dict[str, Any]]) -> int:
    return len(model.objects.bulk_create([model(**row) for row in rows], batch_size=500))


def reset_sequences(models: Iterable[type[Model]]) -> None:
    """Move each integer primary key's sequence past the ids COPY wrote."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
