"""Check the audit trail's hash chain against its checkpoints; exits non-zero if it was tampered with."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dsr.audit import checkpoints
from dsr.audit.chain import ChainHeadMissing, seal_events
from dsr.audit.verification import verify_chain
from dsr.plurals import counted


class Command(BaseCommand):
    help = (
        "Seal any audit events waiting, then recompute the keyed hash chain, compare it with the checkpoints "
        "kept outside the database, report tampering, and write a new checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since-checkpoint",
            action="store_true",
            help="Check only the events sealed since the last checkpoint a check found intact (fast, daily); "
            "without it the whole chain is checked",
        )
        parser.add_argument(
            "--checkpoints",
            dest="checkpoints_from",
            type=Path,
            help="Read the checkpoints from this directory, or this file of JSON lines (checkpoints exported "
            "from a log service, say), instead of AUDIT_CHECKPOINT_DIR",
        )

    def handle(self, *args, since_checkpoint: bool, checkpoints_from: Path | None, **options):
        try:
            sealed = seal_events()
        except ChainHeadMissing:
            sealed = 0  # the check reports the missing head
        if sealed:
            self.stdout.write(f"Sealed {sealed} audit events that were waiting.")
        reading = checkpoints.read(checkpoints_from)
        verdict = verify_chain(checkpoints=reading.checkpoints, since_checkpoint=since_checkpoint)
        problems = reading.problems + verdict.problems
        if verdict.since is not None:
            self.stdout.write(
                f"Checked the events sealed since {verdict.since} (event {verdict.since.position})."
            )
        elif since_checkpoint:
            self.stdout.write("No checkpoint of an intact trail to start from: the whole chain was checked.")
        if reading.checkpoints:
            count = len(reading.checkpoints)
            self.stdout.write(f"Compared with {counted(count, 'checkpoint')} in {reading.source}.")
        else:
            self.stdout.write(
                f"There are no checkpoints in {reading.source} to compare with: a trail cut short or wiped "
                "along with its head would not show."
            )
        written = checkpoints.write(position=verdict.position, hash=verdict.hash, verified=not problems)
        self.stdout.write(f"Wrote a checkpoint at event {written.position}.")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The audit trail has been tampered with ({len(problems)} problems)")
        self.stdout.write(self.style.SUCCESS(f"The audit trail is intact: {verdict.checked} events checked."))
