"""Apply each register's retention policy: file, then erase, records of people who have left."""

from django.core.management.base import BaseCommand

from dsr.governance import retention
from dsr.governance.audit import RequestContext, audit_source
from dsr.governance.models import AuditEvent

WOULD = {retention.FILE: "File", retention.ERASE: "Erase"}
DONE = {retention.FILE: "Filed", retention.ERASE: "Erased"}


class Command(BaseCommand):
    help = (
        "File and erase the records each register's retention policy says are due. "
        "With --dry-run, list what would happen and why, and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what is due; change nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        with audit_source(RequestContext(source=AuditEvent.Source.COMMAND)):
            steps = retention.plan()
            if not steps:
                self.stdout.write("Nothing is due: no record has reached its register's retention limits.")
                return
            if dry_run:
                self.stdout.write(f"Dry run: {len(steps)} records are due. Nothing has been changed.")
                self._report(steps, tense="would")
                return
            done = retention.apply(steps)
            self._report(done, tense="done")
            filed = sum(step.action == retention.FILE for step in done)
            erased = len(done) - filed
            self.stdout.write(self.style.SUCCESS(f"Filed {filed} and erased {erased} records."))

    def _report(self, steps, *, tense: str) -> None:
        for step in steps:
            verb = (WOULD if tense == "would" else DONE)[step.action]
            self.stdout.write(f"{verb:6} {step.person_id}  {step.register.name}  {step.why}")
