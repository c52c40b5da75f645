"""Referrals to a register, from the public or a professional, and each step of their triage."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from dsr.dates import age_on, today
from dsr.people import nhs_number
from dsr.people.models import Consent, Person
from dsr.referrals import targets
from dsr.registers.models import Register


class Route(models.TextChoices):
    SELF = "self", "I am the person who needs support"
    PARENT = "parent", "I am their parent or carer"
    HELPER = "helper", "I am helping them (for example a friend, relative or advocate)"
    PROFESSIONAL = "professional", "I am a professional referring them"


class DiagnosisAnswer(models.TextChoices):
    DIAGNOSED = "diagnosed", "Yes, diagnosed"
    WAITING = "waiting", "On an NHS assessment waiting list"
    NEITHER = "neither", "No, or I do not know"


class Concern(models.TextChoices):
    STAYING_SAFE = "staying_safe", "They are having trouble staying safe"
    SERVICES_BREAKING_DOWN = "services_breaking_down", "Their support or services are breaking down"
    RISK_OF_HARM = "risk_of_harm", "There is a risk of harm to themselves or others"
    POLICE_OR_COURT = "police_or_court", "There is a risk of police or court involvement"


class Referral(models.Model):
    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        CONSULTATION_OFFERED = "consultation_offered", "Consultation offered"
        AWAITING_MEETING = "awaiting_meeting", "Awaiting meeting"
        DECIDED = "decided", "Decided"
        CLOSED = "closed", "Closed"

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        MORE_INFORMATION = "more_information", "More information needed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="referrals")
    reference = models.CharField(max_length=12, unique=True)
    # The one-time token of the form it came from: a form posted twice makes one referral.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    route = models.CharField("Who is making the referral", max_length=20, choices=Route.choices)
    helper_relationship = models.CharField("How the helper knows them", max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The signed-in user who made the referral; empty for the public form",
    )

    # The person referred.
    given_name = models.CharField("First name", max_length=100)
    family_name = models.CharField("Last name", max_length=100)
    date_of_birth = models.DateField()
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    address = models.TextField(max_length=500, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    contact_name = models.CharField("Family contact name", max_length=200, blank=True)
    contact_email = models.EmailField("Family contact email", max_length=254, blank=True)
    contact_phone = models.CharField("Family contact phone", max_length=30, blank=True)

    # What decides eligibility.
    autism = models.CharField(max_length=20, choices=DiagnosisAnswer.choices)
    learning_disability = models.CharField(max_length=20, choices=DiagnosisAnswer.choices)
    waiting_since = models.DateField("On the assessment waiting list since", null=True, blank=True)
    services_involved = models.TextField("Services already involved", max_length=2000, blank=True)
    concerns = models.JSONField("Concerns", default=list, blank=True)
    concerns_detail = models.TextField("What is happening", max_length=4000, blank=True)

    # The professional making the referral.
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(max_length=254, blank=True)
    referrer_phone = models.CharField(max_length=30, blank=True)

    # Consent to the referral (No consent, no referral).
    consent_given_by = models.CharField(max_length=20, choices=Consent.GivenBy.choices)
    consent_given_by_name = models.CharField("Name of who gave consent or decided", max_length=200)
    consent_given_on = models.DateField()
    consent_method = models.CharField(max_length=20, choices=Consent.Method.choices)

    # Triage.
    state = models.CharField(max_length=30, choices=State.choices, default=State.RECEIVED)
    received_at = models.DateTimeField(default=timezone.now)
    consultation_offered_at = models.DateTimeField(null=True, blank=True)
    consultation_summary = models.TextField(max_length=4000, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(max_length=4000, blank=True)
    other_support = models.TextField("Other support suggested", max_length=4000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    family_told_at = models.DateTimeField(null=True, blank=True)
    referrer_told_at = models.DateTimeField(null=True, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        help_text="Set when the referral is accepted, or linked to someone already on the register",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["received_at"]
        indexes = [
            models.Index(fields=["register", "state", "received_at"], name="referral_queue"),
            models.Index(fields=["register", "nhs_number"], name="referral_nhs_number"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, today())

    @property
    def nhs_number_formatted(self) -> str:
        return nhs_number.formatted(self.nhs_number)

    @property
    def is_professional(self) -> bool:
        return self.route == Route.PROFESSIONAL

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.DECIDED, self.State.CLOSED)

    @property
    def received_on(self) -> datetime.date:
        """The day it was received, in England (GMT or BST)."""
        return timezone.localdate(self.received_at)

    @property
    def days_since_received(self) -> int:
        return (today() - self.received_on).days

    @property
    def consultation_due_on(self) -> datetime.date:
        """The last day to offer the consultation, by the register's target (dsr/referrals/targets.py)."""
        register = self.register
        return targets.consultation_due_on(
            self.received_on, register.consultation_target_days, register.consultation_target_working_days
        )

    @property
    def consultation_target(self) -> str:
        """The register's target in words, e.g. "5 working days"."""
        register = self.register
        return targets.target_in_words(
            register.consultation_target_days, register.consultation_target_working_days
        )

    @property
    def awaits_consultation(self) -> bool:
        """Received and not yet moved on: no consultation offered, nothing decided."""
        return self.state == self.State.RECEIVED

    @property
    def consultation_overdue(self) -> bool:
        """Still waiting for a consultation to be offered after the day it was due (DESIGN.md §4)."""
        return self.awaits_consultation and today() > self.consultation_due_on

    def concern_labels(self) -> list[str]:
        return [Concern(value).label for value in self.concerns if value in Concern.values]

    def get_concerns_display(self) -> str:
        """The concerns in plain words, as a subject access pack shows them."""
        return "; ".join(self.concern_labels())


class ReferralEvent(models.Model):
    """One step in a referral's triage: who moved it from which state to which, when and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=30, choices=Referral.State.choices, blank=True)
    to_state = models.CharField(max_length=30, choices=Referral.State.choices)
    note = models.TextField(max_length=4000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.referral} {self.from_state or 'new'} → {self.to_state}"

    @property
    def person(self) -> Person | None:
        return self.referral.person
