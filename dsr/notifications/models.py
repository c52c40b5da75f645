"""Messages to families and referrers: the outbox, which is also the record of what was sent."""

import datetime
import uuid

from django.db import models
from django.utils import timezone

from dsr.people.models import Person
from dsr.registers.models import Register


class Notification(models.Model):
    """One email, rendered when it was queued, and how sending it went."""

    class Template(models.TextChoices):
        REFERRAL_RECEIVED = "referral_received", "Referral received"
        REFERRAL_DECISION = "referral_decision", "Referral decision"
        CONSULTATION_SUMMARY = "consultation_summary", "Consultation summary"
        ACCESS_CHANGED = "access_changed", "Change to a member of staff's access"
        UNUSUAL_ACCESS = "unusual_access", "Unusual access (to IG officers)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed permanently"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="notifications")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    template = models.CharField("Message", max_length=30, choices=Template.choices)
    to_email = models.EmailField("To", max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the next attempt is due; while sending, when the attempt counts as abandoned.
    send_after = models.DateTimeField(default=timezone.now)
    # Why the last attempt failed, in the sender's terms (a status code, an error class): never
    # the message or the address.
    last_error = models.CharField(max_length=200, blank=True)
    notify_id = models.CharField("GOV.UK Notify id", max_length=36, blank=True)
    created_at = models.DateTimeField("Queued", default=timezone.now)
    sent_at = models.DateTimeField("Sent", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["register", "-created_at"], name="notification_outbox"),
            models.Index(fields=["status", "send_after"], name="notification_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_template_display()} to {self.to_email}"

    @property
    def emailed(self) -> bool:
        """Sent through GOV.UK Notify, rather than kept in the local outbox only."""
        return bool(self.notify_id)

    @property
    def outcome(self) -> str:
        """What became of the message, in plain words: "Waiting to be sent", "Being sent", "Sent", "Kept in
        outbox" (when GOV.UK Notify is not set up, so nothing was emailed) or "Failed"."""
        if self.status == self.Status.SENT:
            return "Sent" if self.emailed else "Kept in outbox"
        if self.status == self.Status.FAILED:
            return "Failed"
        if self.status == self.Status.SENDING:
            return "Being sent"
        return "Waiting to be sent"

    @property
    def sent_on(self) -> datetime.datetime | None:
        """When it was emailed; None for a message never emailed (waiting, failed, or kept in the outbox)."""
        return self.sent_at if self.status == self.Status.SENT and self.emailed else None
