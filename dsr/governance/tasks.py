"""Background work for information governance, once a day each: retention (and, in the same night's run,
working out again when something next falls due for everyone, as a day passing can move it), and the IG
officers' email of the day before's unusual access.

The database-backed worker (`manage.py db_worker`) runs them. Each run schedules the next one for the
following night, and every worker checks at each heartbeat that a run is waiting, so they keep going
even if a worker dies part way through a run (dsr.operations.worker).
"""

import datetime
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dsr.audit import RequestContext, audit_source
from dsr.audit.models import AuditEvent
from dsr.governance import digest, retention
from dsr.operations.schedule import locked_schedule, once_a_day
from dsr.reviews import services as review_services
from dsr.submissions import once

JOB = "retention"
RUN_AT = datetime.time(2, 0)
# Early enough that the email is there when the IG officer starts work, late enough that yesterday is over.
DIGEST_JOB = "unusual_access_digest"
DIGEST_RUN_AT = datetime.time(6, 0)


def next_run(after: datetime.datetime | None = None, *, at: datetime.time = RUN_AT) -> datetime.datetime:
    """The next time of day `at` (02:00 unless given), local time, after `after` (now by default)."""
    after = timezone.localtime(after or timezone.now())
    candidate = timezone.make_aware(datetime.datetime.combine(after.date(), at))
    return candidate if candidate > after else candidate + datetime.timedelta(days=1)


def clear_expired_sessions() -> None:
    """Delete expired sessions: an abandoned referral's draft answers live in one until then."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@task(takes_context=True)
def apply_retention_daily(context: TaskContext) -> dict[str, int]:
    """File and erase what each register's retention policy says is due today, clear expired sessions
    and forget old form tokens. Once a night, however many workers run and however often it is queued."""
    try:
        with once_a_day(JOB) as run:
            if run is None:
                return {"filed": 0, "erased": 0, "already_done": 1}
            with audit_source(RequestContext(source=AuditEvent.Source.TASK)):
                done = retention.apply(retention.plan())
            clear_expired_sessions()
            once.forget_old()
            worked_out = review_services.refresh_every_due_date()
            run.outcome = {
                "filed": sum(step.action == retention.FILE for step in done),
                "erased": sum(step.action == retention.ERASE for step in done),
                "due_dates": worked_out,
            }
            return run.outcome
    finally:
        ensure_scheduled(running=context.task_result.id)


@task(takes_context=True)
def send_unusual_access_digest_daily(context: TaskContext) -> dict[str, int]:
    """Email each IG officer of each register with signs of unusual access yesterday (dsr.governance.digest).
    Once a day, however many workers run and however often it is queued."""
    try:
        with once_a_day(DIGEST_JOB) as run:
            if run is None:
                return {"sent": 0, "already_done": 1}
            with audit_source(RequestContext(source=AuditEvent.Source.TASK)):
                sent = digest.send_digests(day=timezone.localdate() - datetime.timedelta(days=1))
            run.outcome = {"sent": sent}
            return run.outcome
    finally:
        ensure_digest_scheduled(running=context.task_result.id)


def task_path(daily_task) -> str:
    return f"{daily_task.func.__module__}.{daily_task.func.__qualname__}"


def _ensure_queued(job: str, daily_task, at: datetime.time, running: str | None) -> bool:
    with locked_schedule(job):
        waiting = DBTaskResult.objects.filter(
            task_path=task_path(daily_task),
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).exclude(pk=running)
        if waiting.exists():
            return False
        daily_task.using(run_after=next_run(at=at)).enqueue()
        return True


def ensure_scheduled(*, running: str | None = None) -> bool:
    """Queue the daily retention run unless one is already waiting or running (other than the run
    `running`, which is finishing); True if queued now. Workers that ask at once queue it once."""
    return _ensure_queued(JOB, apply_retention_daily, RUN_AT, running)


def ensure_digest_scheduled(*, running: str | None = None) -> bool:
    """Queue the daily email of unusual access as `ensure_scheduled` queues retention; True if queued now."""
    return _ensure_queued(DIGEST_JOB, send_unusual_access_digest_daily, DIGEST_RUN_AT, running)
