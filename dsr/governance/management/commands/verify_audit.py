"""Check the audit trail's hash chain; exits non-zero if it was tampered with."""

from django.core.management.base import BaseCommand, CommandError

from dsr.governance.chain import seal_events, verify_chain


class Command(BaseCommand):
    help = "Seal any unsealed audit events, then recompute the hash chain and report tampering."

    def handle(self, *args, **options):
        sealed = seal_events()
        if sealed:
            self.stdout.write(f"Sealed {sealed} audit events that were waiting.")
        verdict = verify_chain()
        if not verdict.intact:
            for problem in verdict.problems:
                self.stderr.write(problem)
            raise CommandError(f"The audit trail has been tampered with ({len(verdict.problems)} problems)")
        self.stdout.write(self.style.SUCCESS(f"The audit trail is intact: {verdict.checked} events checked."))
