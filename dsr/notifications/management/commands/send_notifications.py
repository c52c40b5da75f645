"""Send every queued message that is due, as the background worker does."""

from django.core.management.base import BaseCommand

from dsr.notifications import services


class Command(BaseCommand):
    help = "Send every queued notification that is due (GOV.UK Notify, or the local outbox without a key)"

    def handle(self, *args, **options) -> None:
        outcomes = services.send_due()
        if not outcomes:
            self.stdout.write("Nothing to send")
            return
        self.stdout.write(", ".join(f"{outcome}: {n}" for outcome, n in sorted(outcomes.items())))
