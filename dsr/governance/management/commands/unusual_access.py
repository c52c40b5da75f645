"""List the signs of unusual access on a day, as the IG officer's page shows them; with --send, email each IG
officer as the nightly job does."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from dsr import audit
from dsr.audit import RequestContext, audit_source
from dsr.audit.models import AuditEvent
from dsr.dates import format_date, today
from dsr.governance import digest, unusual_access
from dsr.registers.models import Register


class Command(BaseCommand):
    help = (
        "List the users who opened many more records than usual, records opened outside working hours and "
        "keyworkers who opened records outside their caseload, on a day (yesterday unless --day), in every "
        "register. With --send, email each IG officer of a register with any, as the nightly job does "
        "(never twice for the same day)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="The day to look at, as YYYY-MM-DD (yesterday by default).")
        parser.add_argument("--send", action="store_true", help="Email the IG officers of each register.")

    def handle(self, *args, day: str | None = None, send: bool = False, **options):
        on = self._day(day)
        registers = list(Register.objects.order_by("name"))
        with audit_source(RequestContext(source=AuditEvent.Source.COMMAND)):
            found = unusual_access.findings(registers, since=on, until=on)
            # The list names members of staff: reading it is audited, as on the IG officer's page.
            for register in registers:
                audit.record_staff_list(
                    by=None,
                    register_id=register.pk,
                    what="unusual_access",
                    detail={
                        "since": on.isoformat(),
                        "until": on.isoformat(),
                        "users": sorted({f.user_id for f in found if f.register.pk == register.pk}),
                    },
                )
            if not found:
                self.stdout.write(f"No unusual access on {format_date(on)}.")
            else:
                self.stdout.write(f"Unusual access on {format_date(on)}:")
            for finding in found:
                self.stdout.write(
                    f"{finding.register.name}  {unusual_access.KINDS[finding.kind]}  {finding.username}  "
                    f"{finding.detail}  {finding.audit_trail_url}"
                )
            if send:
                sent = digest.send_digests(day=on)
                self.stdout.write(
                    self.style.SUCCESS(f"{sent} {'email' if sent == 1 else 'emails'} to IG officers queued.")
                )

    def _day(self, value: str | None) -> datetime.date:
        if not value:
            return today() - datetime.timedelta(days=1)
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(
                f"--day must be a date as YYYY-MM-DD, such as 2026-12-04, not {value!r}"
            ) from error
