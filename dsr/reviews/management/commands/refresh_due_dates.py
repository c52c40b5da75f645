"""`manage.py refresh_due_dates`: work out when something next falls due for every active person (the
nightly run does the same; run it once after upgrading, so that today's work reads it from the start)."""

from django.core.management.base import BaseCommand

from dsr.plurals import counted
from dsr.reviews import services


class Command(BaseCommand):
    help = "Work out when something next falls due for every active person, as the nightly run does."

    def handle(self, *args, **options):
        worked_out = services.refresh_every_due_date()
        self.stdout.write(f"Worked out due dates for {counted(worked_out, 'person')}.")
