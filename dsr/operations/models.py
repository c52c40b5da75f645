"""What the service keeps about its own running: which workers are alive, and which daily jobs ran."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A background worker (`manage.py db_worker`) that said it was alive at `seen_at`."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.hostname} (pid {self.pid})"


class DailyRun(models.Model):
    """One night's run of a daily job: at most one per job and day, however many workers there are."""

    job = models.CharField(max_length=100)
    day = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="one_daily_run_per_job_and_day")]

    def __str__(self) -> str:
        return f"{self.job} on {self.day}"


class JobSchedule(models.Model):
    """A row per recurring job, locked while deciding whether its next run needs queueing, so two
    workers never queue it twice."""

    job = models.CharField(max_length=100, primary_key=True)

    def __str__(self) -> str:
        return self.job
