"""Records saved many at once: an agenda built from a register of thousands of people adds thousands of
items in one request, and an audit event for each, signed on its own (dsr.audit.record_changes)."""

import contextlib
import gc
import uuid
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import AutoField, BigAutoField, Field, ForeignKey, Model, SmallAutoField

_Record = TypeVar("_Record", bound=Model)


def save_all(model: type[_Record], records: Iterable[_Record]) -> list[_Record]:
    """Save new records of a model in one statement, and return them, each filled in as `save()` fills it
    (an `auto_now` date, say).

    On PostgreSQL each record goes to the database with COPY as soon as it is made, so the database stores
    one while the next is made (the two share the machine's cores), and ids the database gives are not read
    back. Elsewhere (SQLite, for the demo), one bulk insert."""
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(records)
    fields = [
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, AutoField | BigAutoField | SmallAutoField)
    ]
    table = connection.ops.quote_name(str(model._meta.db_table))
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    statement = f"COPY {table} ({columns}) FROM STDIN"
    natives = [_native(field) for field in fields]
    saved = []
    with (
        uncollected(),
        connection.cursor() as cursor,
        _logged(cursor, statement),
        connection.wrap_database_errors,
        cursor.cursor.copy(statement) as copy,
    ):
        for record in records:
            row = []
            for field, native in zip(fields, natives, strict=True):
                value = field.pre_save(record, add=True)
                if native is None or (value is not None and type(value) is not native):
                    value = field.get_db_prep_save(value, connection)
                row.append(value)
            copy.write_row(row)
            record._state.adding = False
            record._state.db = connection.alias
            saved.append(record)
    return saved


# The fields whose values of one type Django saves as they are: COPY writes those without asking the field
# (thousands of records, a dozen fields each). Anything else, JSON and dates included, goes through it.
_NATIVE = {
    "CharField": str,
    "TextField": str,
    "IntegerField": int,
    "PositiveIntegerField": int,
    "BigIntegerField": int,
    "AutoField": int,
    "BigAutoField": int,
    "BooleanField": bool,
    "UUIDField": uuid.UUID,
}


def _native(field: Field) -> type | None:
    stored = field.target_field if isinstance(field, ForeignKey) else field
    return _NATIVE.get(stored.get_internal_type())


@contextlib.contextmanager
def uncollected() -> Iterator[None]:
    """Python's cycle collector paused while thousands of records are made and saved: as they pile up, all
    kept until saved, it would walk them again and again (for an agenda of thousands of items, a tenth of
    the time). Nothing made here is left in a cycle, and memory is freed as usual."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _logged(cursor, statement: str) -> contextlib.AbstractContextManager:
    """The COPY in the query log like any other statement, where queries are logged (the tests count a
    page's queries)."""
    if isinstance(cursor, CursorDebugWrapper):
        return cursor.debug_sql(statement)
    return contextlib.nullcontext()
