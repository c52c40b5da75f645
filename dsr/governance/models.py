"""The audit trail: who read or changed which person's record, when, and from where."""

from django.db import models


class AuditEvent(models.Model):
    """One read or change of person data. Only ever inserted (see dsr.governance.audit)."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"

    class Source(models.TextChoices):
        WEB = "web", "Web page"
        API = "api", "API"
        COMMAND = "command", "Command"
        TASK = "task", "Background task"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
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
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    ip_address = models.GenericIPAddressField(null=True)
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person_id", "-at"], name="audit_person"),
            models.Index(fields=["user_id", "-at"], name="audit_user"),
            models.Index(fields=["register_id", "-at"], name="audit_register"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.record_type} {self.record_id}"
