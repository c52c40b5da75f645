"""Recurring jobs that must happen once, however many workers and instances run."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from dsr.operations.models import DailyRun, JobSchedule

# What the worker does on every round of its upkeep, beside its own housekeeping: each app registers
# its own (governance queues the nightly jobs, notifications sends what was overlooked) when it loads,
# so the worker needs to know none of them.
UPKEEP: list[Callable[[], object]] = []


def upkeep(job: Callable[[], object]) -> Callable[[], object]:
    """Have the worker run `job` on every round (a decorator, or called in an app's `ready`)."""
    if job not in UPKEEP:
        UPKEEP.append(job)
    return job


@contextmanager
def locked_schedule(job: str) -> Iterator[None]:
    """Hold the job's schedule locked for the block, so only one worker at a time decides whether to
    queue its next run."""
    with transaction.atomic():
        JobSchedule.objects.get_or_create(job=job)
        JobSchedule.objects.select_for_update().get(job=job)
        yield


@contextmanager
def once_a_day(job: str) -> Iterator[DailyRun | None]:
    """Run the block for today's run of the job, or give None when today's run has already finished.

    A run that started but never finished (its worker died) is run again: daily jobs work out afresh
    what is due, so a second start finishes the work rather than repeating it. The block sets
    `outcome` on the run to record what it did."""
    with transaction.atomic():
        run, _ = DailyRun.objects.get_or_create(
            job=job, day=timezone.localdate(), defaults={"started_at": timezone.now()}
        )
        run = DailyRun.objects.select_for_update().get(pk=run.pk)
        if run.finished_at is None:
            run.started_at = timezone.now()
            run.save(update_fields=["started_at"])
    if run.finished_at is not None:
        yield None
        return
    yield run
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "outcome"])
