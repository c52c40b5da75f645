"""The audit trail: who read or changed which person's record, when, and from where.

The models keep the `governance` app label they were created with, so their tables and migrations stay
where they are (docs/adr/0017-layers.md); this package is the audit platform every layer may import.
"""

from django.db import models
from django.utils import timezone


class AppendOnly(Exception):
    """The audit trail is never edited or deleted through the application."""


# What stands in an event's changed values for a part erasure removed (dsr.audit.redaction).
REMOVED = "Removed when a record was erased"


class AuditEventQuerySet(models.QuerySet):
    def delete(self):
        raise AppendOnly("Audit events are never deleted")

    def update(self, **kwargs):
        # Sealing (dsr.audit.chain) writes an event's place in the chain, once.
        if not set(kwargs) <= {"chain_position", "hash"}:
            raise AppendOnly("Audit events are never changed")
        return super().update(**kwargs)

    def redact(self, *, changes, salts: dict[str, str], redactions: dict[str, str]) -> int:
        """Erasure's one change: parts of the events' changed values replaced by REMOVED, keeping the
        digests the chain covers.

        Only dsr.audit.redaction calls this, for erasure, which records what it removed in a
        tombstone event, so `verify_audit` can tell a redaction from tampering (docs/adr/0005)."""
        return super().update(changes=changes, salts=salts, redactions=redactions, redacted=True)


class AuditEvent(models.Model):
    """One read or change of person data. Only ever inserted (see dsr.audit)."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        FILE = "file", "Filed"
        ERASE = "erase", "Erased"

    class Source(models.TextChoices):
        WEB = "web", "Web page"
        API = "api", "API"
        COMMAND = "command", "Command"
        TASK = "task", "Background task"

    # Set before the event is written, because its signature covers it (dsr.audit.chain).
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Kept as plain values, not foreign keys, so the trail outlives users, registers and
    # erased people alike.
    user_id = models.IntegerField(null=True)
    username = models.CharField(max_length=150, blank=True)
    register_id = models.IntegerField(null=True)
    person_id = models.UUIDField(null=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    record_type = models.CharField(max_length=60)
    record_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    # The chain covers a digest of `changes` built from a salted digest of each value, not the values,
    # so erasure can remove one person's values and leave the rest, and the chain, verifiable
    # (dsr.audit.redaction; docs/adr/0005-erasure-and-the-audit-trail.md). `salts` holds each
    # value's salt, by its place in `changes`; `redactions` each removed part's digest.
    salts = models.JSONField(default=dict, blank=True)
    redactions = models.JSONField(default=dict, blank=True)
    changes_digest = models.CharField(max_length=64, blank=True)
    redacted = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    ip_address = models.GenericIPAddressField(null=True)
    path = models.CharField(max_length=500, blank=True)
    # Made with the audit key when the event is written: only a signed event, and only one with a
    # given signature, is sealed into the chain (docs/adr/0009-audit-key-and-checkpoints.md).
    signature = models.CharField(max_length=64, blank=True, db_index=True)
    # Set once, when the event is sealed into the hash chain (dsr.audit.chain).
    chain_position = models.BigIntegerField(null=True, unique=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        app_label = "governance"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person_id", "-at"], name="audit_person"),
            models.Index(fields=["user_id", "-at"], name="audit_user"),
            models.Index(fields=["register_id", "-at"], name="audit_register"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.record_type} {self.record_id}"

    @property
    def people_shown(self) -> list[str]:
        """The record ids a list showed, without those of people erased since."""
        shown = self.changes.get("shown", []) if isinstance(self.changes, dict) else []
        return [person_id for person_id in shown if person_id != REMOVED]

    @property
    def erased_shown(self) -> int:
        """How many of the people a list showed have been erased since."""
        shown = self.changes.get("shown", []) if isinstance(self.changes, dict) else []
        return sum(1 for person_id in shown if person_id == REMOVED)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit events are never deleted")


class AuditChainHead(models.Model):
    """The last sealed event's position and hash. Its row lock serialises sealing."""

    position = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        app_label = "governance"

    def __str__(self) -> str:
        return f"Audit chain at {self.position}"
