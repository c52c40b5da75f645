"""Django's `changepassword`, audited: the change is written to the IG audit trail as made by a command,
and the account's owner is told (docs/adr/0010)."""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword
from django.db import transaction

from dsr.administration import accounts
from dsr.audit import RequestContext, audit_source
from dsr.audit.models import AuditEvent


class Command(changepassword.Command):
    help = changepassword.Command.help + " The change is written to the IG audit trail."

    def handle(self, *args, **options):
        model = get_user_model()
        users = model._default_manager.db_manager(options["database"])
        named = {model.USERNAME_FIELD: options["username"] or getpass.getuser()}
        context = RequestContext(source=AuditEvent.Source.COMMAND, path="changepassword")
        with audit_source(context), transaction.atomic(using=options["database"]):
            before = users.filter(**named).values_list("password", flat=True).first()
            result = super().handle(*args, **options)
            user = users.get(**named)
            if user.password != before:
                accounts.record_password_set(user=user, by=None)
        return result
