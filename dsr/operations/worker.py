"""The background worker's own upkeep, every WORKER_HEARTBEAT_SECONDS while it runs.

- It says it is alive (the health check reads this).
- A task left running by a worker that has gone (killed, out of memory, its machine lost) is queued
  again. Every task is written to be safe to run again: sending checks whether the message already
  went, retention works out afresh what is due.
- The nightly retention run, and the IG officers' morning email of unusual access, are queued if nothing is
  waiting for them, so they never stop.
- Messages whose sending was abandoned, or whose task was never queued, are sent.
- A signed checkpoint of the audit chain's head is written outside the database once an hour
  (dsr.audit.checkpoints), so a trail cut short or wiped along with its head shows.

Several workers, on one machine or many, share this work through the database without doing any of
it twice. See docs/operations.md.
"""

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dsr.audit import RequestContext, audit_source, checkpoints
from dsr.audit.models import AuditEvent
from dsr.operations.models import WorkerHeartbeat
from dsr.operations.schedule import UPKEEP

logger = logging.getLogger(__name__)

# Heartbeats of workers gone this long are deleted.
FORGET_AFTER = datetime.timedelta(days=7)


def gone_after() -> datetime.timedelta:
    """A worker that has missed four heartbeats counts as gone."""
    return datetime.timedelta(seconds=4 * settings.WORKER_HEARTBEAT_SECONDS)


def beat(*, worker_id: str, started_at: datetime.datetime) -> None:
    """Record that this worker is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def live_worker_ids() -> set[str]:
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - gone_after()).values_list(
            "worker_id", flat=True
        )
    )


@transaction.atomic
def requeue_abandoned_tasks() -> int:
    """Queue again every task still marked running by a worker that has gone; how many."""
    live = live_worker_ids()
    requeued = 0
    for task in DBTaskResult.objects.running().select_for_update(skip_locked=True):
        if task.worker_ids and task.worker_ids[-1] in live:
            continue
        task.status = TaskResultStatus.READY
        task.started_at = None
        task.save(update_fields=["status", "started_at"])
        logger.warning("Task %s (%s) queued again: its worker has gone", task.pk, task.task_path)
        requeued += 1
    return requeued


def watch(*, worker_id: str, started_at: datetime.datetime) -> None:
    """One round of the worker's upkeep."""
    beat(worker_id=worker_id, started_at=started_at)
    requeue_abandoned_tasks()
    with audit_source(RequestContext(source=AuditEvent.Source.TASK)):
        for job in UPKEEP:
            job()
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - FORGET_AFTER).delete()
    checkpoints.write_if_due()


class Watcher:
    """Runs `watch` beside the worker's task loop, in a thread of its own, so a long task never
    makes a live worker look dead."""

    def __init__(self, *, worker_id: str):
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-watch", daemon=True)

    def start(self) -> None:
        beat(worker_id=self.worker_id, started_at=self.started_at)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            close_old_connections()
            try:
                watch(worker_id=self.worker_id, started_at=self.started_at)
            except Exception:  # noqa: BLE001 (the next round tries again; the task loop goes on)
                logger.exception("The worker's upkeep failed; trying again at the next heartbeat")
            finally:
                connection.close()
            self._stop.wait(settings.WORKER_HEARTBEAT_SECONDS)
