"""The background worker's upkeep: work left by a worker that died is picked up, and the nightly run
is queued, and runs, once however many workers there are."""

import datetime
import threading
import time
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError, connections
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dsr.governance import tasks
from dsr.operations.models import DailyRun, WorkerHeartbeat
from dsr.operations.worker import beat, requeue_abandoned_tasks
from dsr.submissions.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)


def retention_tasks(status: str) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=tasks.task_path(tasks.apply_retention_daily), status=status)
    )


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_task_left_running_by_a_worker_that_has_gone_is_queued_again(settings):
    settings.WORKER_HEARTBEAT_SECONDS = 30
    abandoned = tasks.apply_retention_daily.enqueue()
    running = tasks.apply_retention_daily.enqueue()
    DBTaskResult.objects.filter(pk=abandoned.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["worker-that-died"]
    )
    DBTaskResult.objects.filter(pk=running.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["worker-alive"]
    )
    beat(worker_id="worker-that-died", started_at=timezone.now())
    WorkerHeartbeat.objects.filter(pk="worker-that-died").update(
        seen_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    beat(worker_id="worker-alive", started_at=timezone.now())

    assert requeue_abandoned_tasks() == 1

    assert DBTaskResult.objects.get(pk=abandoned.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=running.id).status == TaskResultStatus.RUNNING


def test_workers_starting_at_once_queue_the_nightly_run_once():
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker_starts() -> None:
        try:
            start.wait()
            for attempt in range(50):
                try:
                    tasks.ensure_scheduled()
                    break
                except OperationalError:  # SQLite lets one writer in at a time
                    time.sleep(0.02 * (attempt + 1))
        except BaseException as error:  # noqa: BLE001 (reported to the main thread)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker_starts) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(retention_tasks(TaskResultStatus.READY)) == 1


def test_the_nightly_run_queued_twice_runs_once_and_queues_one_next_run():
    with time_machine.travel(timezone.now(), tick=False):
        tasks.apply_retention_daily.enqueue()
        tasks.apply_retention_daily.enqueue()
        run_worker()

        done = sorted(
            task.return_value.get("already_done", 0) for task in retention_tasks(TaskResultStatus.SUCCESSFUL)
        )
        assert done == [0, 1]
        (run,) = DailyRun.objects.all()
        assert run.job == "retention" and run.finished_at is not None
        assert run.outcome == {"filed": 0, "erased": 0, "due_dates": 0}
        (waiting,) = retention_tasks(TaskResultStatus.READY)
        assert waiting.run_after == tasks.next_run()


def test_a_nightly_run_that_died_part_way_is_finished_by_the_next_attempt():
    with time_machine.travel(timezone.now(), tick=False):
        DailyRun.objects.create(job="retention", day=timezone.localdate(), started_at=timezone.now())
        tasks.apply_retention_daily.enqueue()
        run_worker()

        run = DailyRun.objects.get()
        assert run.finished_at is not None
        (task,) = retention_tasks(TaskResultStatus.SUCCESSFUL)
        assert task.return_value == {"filed": 0, "erased": 0, "due_dates": 0}


def test_the_nightly_run_forgets_forms_sent_more_than_a_week_ago(coordinator):
    sent = {days: Submission.objects.create(token=uuid.uuid4(), user=coordinator) for days in (8, 6)}
    for days, submission in sent.items():
        Submission.objects.filter(pk=submission.pk).update(
            sent_at=timezone.now() - datetime.timedelta(days=days)
        )

    tasks.apply_retention_daily.enqueue()
    run_worker()

    assert list(Submission.objects.values_list("pk", flat=True)) == [sent[6].pk]
