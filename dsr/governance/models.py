"""The audit trail: who read or changed which person's record, when, and from where; documents about a
person; legal holds that keep a record from being filed or erased."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from dsr.dates import today
from dsr.governance.documents import TYPES


class AppendOnly(Exception):
    """The audit trail is never edited or deleted through the application."""


# What stands in an event's changed values for a part erasure removed (dsr.governance.redaction).
REMOVED = "Removed when a record was erased"


class AuditEventQuerySet(models.QuerySet):
    def delete(self):
        raise AppendOnly("Audit events are never deleted")

    def update(self, **kwargs):
        # Sealing (dsr.governance.chain) writes an event's place in the chain, once.
        if not set(kwargs) <= {"chain_position", "hash"}:
            raise AppendOnly("Audit events are never changed")
        return super().update(**kwargs)

    def redact(self, *, changes, salts: dict[str, str], redactions: dict[str, str]) -> int:
        """Erasure's one change: parts of the events' changed values replaced by REMOVED, keeping the
        digests the chain covers.

        Only dsr.governance.redaction calls this, for erasure, which records what it removed in a
        tombstone event, so `verify_audit` can tell a redaction from tampering (docs/adr/0005)."""
        return super().update(changes=changes, salts=salts, redactions=redactions, redacted=True)


class AuditEvent(models.Model):
    """One read or change of person data. Only ever inserted (see dsr.governance.audit)."""

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

    # Set before the event is written, because its signature covers it (dsr.governance.chain).
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
    # (dsr.governance.redaction; docs/adr/0005-erasure-and-the-audit-trail.md). `salts` holds each
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
    # Set once, when the event is sealed into the hash chain (dsr.governance.chain).
    chain_position = models.BigIntegerField(null=True, unique=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
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

    def __str__(self) -> str:
        return f"Audit chain at {self.position}"


class Document(models.Model):
    """A report or plan shared about a person. The file is kept outside the web root
    (dsr.governance.documents) under a generated name and served only through an access check."""

    class Kind(models.TextChoices):
        DIAGNOSTIC_REPORT = "diagnostic_report", "Diagnostic report"
        COGNITIVE_ASSESSMENT = "cognitive_assessment", "Cognitive assessment"
        SPEECH_AND_LANGUAGE = "speech_and_language", "Speech and language report"
        CAMHS_CARE_PLAN = "camhs_care_plan", "CAMHS care plan"
        EHCP = "ehcp", "Education, health and care plan (EHCP)"
        SOCIAL_CARE_PLAN = "social_care_plan", "Social care plan"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        """A safe file name for the download: the title, slugified, and the detected type's extension."""
        file_type = TYPES.get(self.content_type)
        extension = file_type.extension if file_type else "bin"
        return f"{(slugify(self.title) or 'document')[:100]}.{extension}"

    @property
    def type_label(self) -> str:
        file_type = TYPES.get(self.content_type)
        return file_type.label if file_type else "File"

    @property
    def size_display(self) -> str:
        if self.size < 1024:
            return f"{self.size} bytes"
        if self.size < 1024 * 1024:
            return f"{round(self.size / 1024)} KB"
        return f"{self.size / (1024 * 1024):.1f} MB"


class LegalHoldQuerySet(models.QuerySet):
    def in_force(self) -> "LegalHoldQuerySet":
        """Holds not yet lifted."""
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """A hold on a person's record for a claim, an inquiry or an investigation: while it is in force,
    retention neither files nor erases the record and it is not erased on request. Set and lifted by an
    information governance officer (dsr.governance.services); kept, once lifted, until the record itself
    is erased. See docs/adr/0015-legal-hold.md."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.TextField("Why the record is held")
    reference = models.CharField("Reference", max_length=100)
    review_on = models.DateField("Review the hold on")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField("Held since", default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField("Lifted", null=True, blank=True)
    lift_reason = models.TextField("Why the hold was lifted", blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-set_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(lifted_at__isnull=True), name="one_legal_hold_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.reference}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None

    @property
    def review_passed(self) -> bool:
        """The review date has gone by and the hold is still in force."""
        return self.in_force and self.review_on < today()
