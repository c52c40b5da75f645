"""Django's `createsuperuser`, audited: the bootstrap route to the first system administrator.

It runs on the server, where nobody is signed in to act or approve, so the account is made as Django makes
it and written to the IG audit trail as made by a command (docs/adr/0010). The registers app comes before
django.contrib.auth in INSTALLED_APPS so that this command, not Django's, answers to the name.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.db import transaction

from dsr.administration import accounts
from dsr.audit import RequestContext, audit_source
from dsr.audit.models import AuditEvent


class Command(createsuperuser.Command):
    help = createsuperuser.Command.help + " The account is written to the IG audit trail."

    def handle(self, *args, **options):
        users = get_user_model()._default_manager.db_manager(options["database"])
        context = RequestContext(source=AuditEvent.Source.COMMAND, path="createsuperuser")
        with audit_source(context), transaction.atomic(using=options["database"]):
            existing = set(users.values_list("pk", flat=True))
            super().handle(*args, **options)
            for user in users.exclude(pk__in=existing):
                accounts.record_bootstrap_account(user=user)
