"""Queue the daily background work (retention, the email of unusual access) if it is not already queued."""

from django.core.management.base import BaseCommand

from dsr.governance.tasks import (
    DIGEST_RUN_AT,
    ensure_digest_scheduled,
    ensure_scheduled,
    next_run,
)


class Command(BaseCommand):
    help = (
        "Queue the daily retention run and the IG officers' daily email of unusual access for the background "
        "worker, unless they are already queued."
    )

    def handle(self, *args, **options):
        if ensure_scheduled():
            self.stdout.write(f"Daily retention queued for {next_run():%-d %B %Y %H:%M}.")
        else:
            self.stdout.write("Daily retention is already queued.")
        if ensure_digest_scheduled():
            self.stdout.write(
                f"Daily email of unusual access queued for {next_run(at=DIGEST_RUN_AT):%-d %B %Y %H:%M}."
            )
        else:
            self.stdout.write("Daily email of unusual access is already queued.")
