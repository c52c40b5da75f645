"""`manage.py db_worker`: django-tasks-db's worker, with the register's upkeep beside it
(dsr.operations.worker): a heartbeat, recovery of work left by a worker that died, and the daily
schedule. With --batch it only runs the tasks that are ready, then stops."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from dsr.operations.worker import Watcher


class Command(db_worker.Command):
    help = "Run the background worker: queued tasks, a heartbeat, and recovery of abandoned work"

    def handle(self, *args, worker_id: str, batch: bool, reload: bool, **options) -> None:
        # With --reload the parent process only restarts the child that does the work.
        runs_tasks_here = not reload or batch or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        watcher = Watcher(worker_id=worker_id) if runs_tasks_here and not batch else None
        if watcher is not None:
            watcher.start()
        try:
            super().handle(*args, worker_id=worker_id, batch=batch, reload=reload, **options)
        finally:
            if watcher is not None:
                watcher.stop()
