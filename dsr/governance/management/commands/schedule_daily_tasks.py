"""Queue the daily background work (retention) if it is not already queued."""

from django.core.management.base import BaseCommand

from dsr.governance.tasks import ensure_scheduled, next_run


class Command(BaseCommand):
    help = "Queue the daily retention run for the background worker, unless it is already queued."

    def handle(self, *args, **options):
        if ensure_scheduled():
            self.stdout.write(f"Daily retention queued for {next_run():%-d %B %Y %H:%M}.")
        else:
            self.stdout.write("Daily retention is already queued.")
