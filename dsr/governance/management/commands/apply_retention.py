"""Apply each register's retention policy: file, then erase, records of people who have left."""

from django.core.management.base import BaseCommand

from dsr.audit import RequestContext, audit_source
from dsr.audit.models import AuditEvent
from dsr.dates import format_date
from dsr.governance import retention
from dsr.plurals import counted

WOULD = {retention.FILE: "File", retention.ERASE: "Erase"}
DONE = {retention.FILE: "Filed", retention.ERASE: "Erased"}


class Command(BaseCommand):
    help = (
        "File and erase the records each register's retention policy says are due, with the dates. "
        "Records under legal hold are neither filed nor erased, and a record with an open subject access or "
        "rectification request is not erased; both are listed. "
        "With --dry-run, list what would happen and why, and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what is due; change nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        with audit_source(RequestContext(source=AuditEvent.Source.COMMAND)):
            found = retention.review()
            if not found.due:
                self.stdout.write("Nothing is due: no record has reached its register's retention limits.")
            elif dry_run:
                self.stdout.write(f"Dry run: {len(found.due)} records are due. Nothing has been changed.")
                self._report(found.due, tense="would")
            else:
                done = retention.apply(found.due)
                self._report(done, tense="done")
                filed = sum(step.action == retention.FILE for step in done)
                erased = len(done) - filed
                self.stdout.write(self.style.SUCCESS(f"Filed {filed} and erased {erased} records."))
            self._kept(found)

    def _report(self, steps, *, tense: str) -> None:
        for step in steps:
            verb = (WOULD if tense == "would" else DONE)[step.action]
            self.stdout.write(f"{verb:6} {step.person_id}  {step.register.name}  {step.why}")

    def _kept(self, found: retention.Review) -> None:
        if found.waiting:
            self.stdout.write(f"Not erased while a request is open: {_records(len(found.waiting))}.")
            for step in found.waiting:
                self.stdout.write(f"Kept   {step.person_id}  {step.register.name}  {step.why}")
                for reason in step.waiting_for:
                    self.stdout.write(f"       {reason}")
        if found.held:
            self.stdout.write(f"Under legal hold, neither filed nor erased: {_records(len(found.held))}.")
            for held in found.held:
                review = f"held until reviewed on {format_date(held.hold.review_on)}"
                if held.hold.review_passed:
                    review += " (the review date has passed)"
                self.stdout.write(
                    f"Held   {held.person_id}  {held.register.name}  {held.dates}; "
                    f"reference {held.hold.reference}, {review}"
                )


def _records(count: int) -> str:
    return counted(count, "record")
