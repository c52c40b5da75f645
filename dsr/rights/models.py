"""Requests a person (or someone for them) makes under data protection law: to see their record
(subject access) and to have it corrected (rectification). Each has a one-month deadline, which may be
extended by up to two further months (UK GDPR Article 12(3))."""

import datetime
import uuid

from django.conf import settings
from django.db import models

from dsr.dates import today
from dsr.people.models import Person
from dsr.rights.deadlines import answer_due


class Relationship(models.TextChoices):
    """Who is asking, in relation to the person the record is about."""

    PERSON = "person", "The person themselves"
    PARENT = "parent", "A parent or guardian (someone with parental responsibility)"
    LEGAL_AUTHORITY = (
        "legal_authority",
        "Someone with legal authority, such as a lasting power of attorney or deputy",
    )
    REPRESENTATIVE = "representative", "A solicitor or advocate with the person's written authority"


class Competence(models.TextChoices):
    """Whether a child under 16 was judged able to understand their rights (Gillick competence)."""

    COMPETENT = "competent", "Yes, they understand their rights and what asking means"
    NOT_COMPETENT = "not_competent", "No, they are not able to understand this yet"


class Authority(models.TextChoices):
    """What allows someone to ask for another person's record."""

    CONSENT = "consent", "The person's consent"
    LASTING_POWER_OF_ATTORNEY = "lpa", "A lasting power of attorney for health and welfare"
    DEPUTY = "deputy", "A Court of Protection deputy for personal welfare"


class ClockStart(models.TextChoices):
    """What started the one-month clock."""

    RECEIVED = "received", "The request was received"
    IDENTITY = "identity", "The requester's identity was confirmed"
    CLARIFIED = "clarified", "The requester said what they are asking for"


class ExtensionGround(models.TextChoices):
    """Why the deadline was extended (UK GDPR Article 12(3))."""

    COMPLEX = "complex", "The request is complex"
    NUMEROUS = "numerous", "The person has made a number of requests"


class InformationRequest(models.Model):
    """What every information rights request records: who asked, on what authority, when the clock
    started and by when to answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester_name = models.CharField("Name of the person asking", max_length=200)
    requester_relationship = models.CharField("Who is asking", max_length=20, choices=Relationship.choices)
    competence = models.CharField(
        "Judged competent to understand their rights", max_length=15, choices=Competence.choices, blank=True
    )
    competence_judged_by = models.CharField("Who judged their competence", max_length=200, blank=True)
    competence_reason = models.TextField("Why they were judged so", max_length=4000, blank=True)
    authority = models.CharField(
        "What allows the requester to ask", max_length=10, choices=Authority.choices, blank=True
    )
    authority_detail = models.CharField("Consent or authority seen", max_length=500, blank=True)
    received_on = models.DateField("Date received")
    clock_started_on = models.DateField("Clock started on")
    clock_start = models.CharField(
        "What started the clock", max_length=10, choices=ClockStart.choices, default=ClockStart.RECEIVED
    )
    clock_start_detail = models.TextField("What was checked or asked", max_length=4000, blank=True)
    extended_by_months = models.PositiveSmallIntegerField("Deadline extended by (months)", default=0)
    extension_ground = models.CharField(
        "Why the deadline was extended", max_length=10, choices=ExtensionGround.choices, blank=True
    )
    extension_reason = models.TextField("Reason for the extension", max_length=4000, blank=True)
    extension_told_on = models.DateField(
        "Date the requester was told of the extension", null=True, blank=True
    )
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
    def first_due_on(self) -> datetime.date:
        """The deadline before any extension: one calendar month from the clock's start."""
        return answer_due(self.clock_started_on)

    @property
    def is_extended(self) -> bool:
        return self.extended_by_months > 0

    @property
    def may_still_extend(self) -> bool:
        """Open, and the first month (in which the requester must be told of an extension) not over."""
        return self.is_open and today() <= self.first_due_on

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

    class RefusalGround(models.TextChoices):
        """UK GDPR Article 12(5) (manifestly unfounded or excessive) and the other grounds for refusing."""

        MANIFESTLY_UNFOUNDED = "unfounded", "Manifestly unfounded"
        MANIFESTLY_EXCESSIVE = "excessive", "Manifestly excessive"
        EXEMPTION = "exemption", "An exemption in the Data Protection Act 2018 applies"
        NOT_CONFIRMED = "not_confirmed", "The requester's identity or authority to ask was not confirmed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    refusal_ground = models.CharField(
        "Ground for refusing", max_length=15, choices=RefusalGround.choices, blank=True
    )
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

    class RefusalGround(models.TextChoices):
        """Why the record was not corrected: it is accurate, or UK GDPR Article 12(5) applies."""

        ACCURATE = "accurate", "The record is accurate"
        MANIFESTLY_UNFOUNDED = "unfounded", "Manifestly unfounded"
        MANIFESTLY_EXCESSIVE = "excessive", "Manifestly excessive"
        NOT_CONFIRMED = "not_confirmed", "The requester's identity or authority to ask was not confirmed"

    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    change_made = models.TextField("What was corrected", max_length=4000, blank=True)
    refusal_ground = models.CharField(
        "Ground for refusing", max_length=15, choices=RefusalGround.choices, blank=True
    )
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


class PackRedaction(models.Model):
    """A value withheld from the subject access pack because it identifies someone else (UK GDPR Article
    15(4); Data Protection Act 2018, Schedule 2, paragraphs 16 and 17). Together the marks are the request's
    redaction log: what was withheld, why, by whom and when. It is kept with the request and never sent."""

    class Reason(models.TextChoices):
        FAMILY = "family", "It identifies a family member or friend"
        OTHER_PERSON = "other_person", "It identifies someone else who gets support or care"
        STAFF = "staff", "It is a member of staff's personal details, not their work"
        CONFIDENCE = "confidence", "It identifies someone who gave information in confidence"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="redactions")
    record_kind = models.CharField("Kind of record", max_length=100)  # its key in dsr.audit.records
    record_id = models.CharField("Record", max_length=64)
    field_name = models.CharField("Value", max_length=100)
    reason = models.CharField("Why it is withheld", max_length=20, choices=Reason.choices)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField("When it was marked", auto_now_add=True)

    class Meta:
        ordering = ["marked_at"]
        verbose_name = "withheld value"
        constraints = [
            models.UniqueConstraint(
                fields=["request", "record_kind", "record_id", "field_name"], name="one_mark_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"Withheld from the pack: {self.record_kind} {self.field_name}"

    @property
    def person(self) -> Person:
        return self.request.person

    @property
    def value_key(self) -> str:
        """The value it withholds, as the pack names it (dsr.rights.pack.value_key)."""
        return f"{self.record_kind}.{self.record_id}.{self.field_name}"
