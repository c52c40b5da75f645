"""What the health check looks at: the database answers, its schema is up to date, and a background
worker has been seen lately. Nothing about anyone on the register."""

from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dsr.operations.models import WorkerHeartbeat
from dsr.operations.worker import gone_after


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str

    def as_json(self) -> dict:
        return {"ok": self.ok, "detail": self.detail}


_schema_up_to_date = False  # once true in a process, it stays true until the code changes


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return Check(False, f"The database did not answer ({type(error).__name__})")
    return Check(True, "The database answers")


def migrations() -> Check:
    global _schema_up_to_date
    if not _schema_up_to_date:
        executor = MigrationExecutor(connection)
        waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if waiting:
            return Check(False, f"{len(waiting)} migrations are not applied: run manage.py migrate")
        _schema_up_to_date = True
    return Check(True, "Every migration is applied")


def worker() -> Check:
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if last is None:
        return Check(False, "No background worker has ever run: start manage.py db_worker")
    ago = int((timezone.now() - last).total_seconds())
    if timezone.now() - last > gone_after():
        return Check(False, f"No background worker has been seen for {ago} seconds")
    return Check(True, f"A background worker was seen {ago} seconds ago")


def checks() -> dict[str, Check]:
    """Every check, by name; the later ones only run once the database answers."""
    found = {"database": database()}
    if found["database"].ok:
        found["migrations"] = migrations()
        found["worker"] = worker()
    return found
