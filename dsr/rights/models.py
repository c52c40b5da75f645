"""Requests a person (or someone for them) makes under data protection law: to see their record
(subject access) and to have it corrected (rectification). Each has a one-month deadline."""

import uuid

from django.conf import settings
from django.db import models

from dsr.dates import today
from dsr.people.models import Person


class Relationship(models.TextChoices):
    """Who is asking, in relation to the person the record is about."""

    PERSON = "person", "The person themselves"
    PARENT = "parent", "A parent or guardian"
    LEGAL_AUTHORITY = (
        "legal_authority",
        "Someone with legal authority, such as a lasting power of attorney or deputy",
    )
    REPRESENTATIVE = "representative", "A solicitor or advocate with the person's written authority"


class InformationRequest(models.Model):
    """What every information rights request records: who asked, when, and by when to answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester_name = models.CharField("Name of the person asking", max_length=200)
    requester_relationship = models.CharField("Who is asking", max_length=20, choices=Relationship.choices)
    received_on = models.DateField("Date received")
    due_on = models.DateField("Answer due by")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    OPEN = "open"

    class Meta:
        abstract = True
        ordering = ["-received_on", "-recorded_at"]

    @property
    def is_open(self) -> bool:
        return self.state == self.OPEN

    @property
    def days_left(self) -> int:
        """Days until the deadline (negative once it has passed)."""
        return (self.due_on - today()).days

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.days_left < 0


class SubjectAccessRequest(InformationRequest):
    """A request for a copy of everything held about the person."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"
        REFUSED = "refused", "Refused"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="subject_access_requests")
    identity_checked = models.BooleanField("Identity checked", default=False)
    identity_check = models.CharField("How identity was checked", max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    refusal_reason = models.TextField("Why the request was refused", max_length=4000, blank=True)
    pack_produced_at = models.DateTimeField("Pack produced", null=True, blank=True)
    pack_produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_on = models.DateField("Date the requester was sent the pack or told", null=True, blank=True)
    notes = models.TextField(max_length=4000, blank=True)

    class Meta(InformationRequest.Meta):
        verbose_name = "subject access request"

    def __str__(self) -> str:
        return f"Subject access request received {self.received_on}"

    @property
    def state(self) -> str:
        return self.status

    @property
    def short_id(self) -> str:
        return str(self.pk)[:8]


class RectificationRequest(InformationRequest):
    """A request to correct something the register holds about the person."""

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        CORRECTED = "corrected", "Corrected"
        REFUSED = "refused", "Refused"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rectification_requests")
    what_is_wrong = models.TextField("What the requester says is wrong", max_length=4000)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    change_made = models.TextField("What was corrected", max_length=4000, blank=True)
    refusal_reason = models.TextField("Why the request was refused", max_length=4000, blank=True)
    told_on = models.DateField("Date the requester was told", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(InformationRequest.Meta):
        verbose_name = "rectification request"

    def __str__(self) -> str:
        return f"Rectification request received {self.received_on}"

    @property
    def state(self) -> str:
        return self.outcome
