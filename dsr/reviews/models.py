"""Care (Education) and Treatment Reviews, Local Area Emergency Protocols and oversight visits."""

import datetime
import uuid

from django.conf import settings
from django.db import models

from dsr.people.models import Admission, Person
from dsr.reviews import policy


class Review(models.Model):
    class Kind(models.TextChoices):
        CETR = "cetr", "Care, Education and Treatment Review (CETR)"
        CTR = "ctr", "Care and Treatment Review (CTR)"
        LAEP = "laep", "Local Area Emergency Protocol (LAEP)"
        OVERSIGHT_VISIT = "oversight_visit", "Commissioner oversight visit"

    class Setting(models.TextChoices):
        COMMUNITY = "community", "Community"
        POST_ADMISSION = "post_admission", "Post-admission"
        INPATIENT = "inpatient", "Inpatient"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        TOOK_PLACE = "took_place", "Took place"
        CANCELLED = "cancelled", "Cancelled"

    class Consent(models.TextChoices):
        NOT_YET = "not_yet", "Not yet recorded"
        PERSON = "person", "The person consented"
        PARENT = "parent", "Someone with parental responsibility consented"
        BEST_INTERESTS = "best_interests", "Best-interests decision (the person lacks capacity)"
        DECLINED = "declined", "Consent declined"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    setting = models.CharField(max_length=20, choices=Setting.choices)
    admission = models.ForeignKey(
        Admission, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews"
    )
    review_on = models.DateField("Date of the review")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    chair = models.CharField(max_length=200, blank=True)
    clinical_expert = models.CharField(max_length=200, blank=True)
    expert_by_experience = models.CharField(max_length=200, blank=True)
    attendees = models.TextField(max_length=2000, blank=True)
    person_attended = models.BooleanField(default=False)
    family_attended = models.BooleanField(default=False)
    consent = models.CharField(
        "Consent to the review", max_length=20, choices=Consent.choices, default=Consent.NOT_YET
    )
    consent_decided_by = models.CharField(
        "Who consented or made the best-interests decision", max_length=200, blank=True
    )
    invitations_sent_on = models.DateField(null=True, blank=True)
    papers_shared_on = models.DateField(null=True, blank=True)
    admission_recommended = models.BooleanField(default=False)
    psychiatrist = models.CharField(max_length=200, blank=True)
    psychiatrist_decision = models.TextField("The psychiatrist's decision", max_length=4000, blank=True)
    outcome = models.TextField(max_length=8000, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        help_text="The meeting that arranged this review",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-review_on"]
        indexes = [models.Index(fields=["person", "status", "kind", "review_on"], name="review_history")]

    def __str__(self) -> str:
        return f"{self.short_kind} on {self.review_on:%d %b %Y}"

    @property
    def short_kind(self) -> str:
        return "Oversight visit" if self.kind == self.Kind.OVERSIGHT_VISIT else self.kind.upper()

    @property
    def took_place(self) -> bool:
        return self.status == self.Status.TOOK_PLACE

    def preparation_problems(self, on: datetime.date) -> list[str]:
        """What is late or missing in the preparation as the review date nears (dsr/reviews/policy.py)."""
        return policy.preparation_problems(
            kind=self.kind,
            status=self.status,
            review_on=self.review_on,
            invitations_sent_on=self.invitations_sent_on,
            papers_shared_on=self.papers_shared_on,
            on=on,
        )


class Recommendation(models.Model):
    """A recommendation of a review; it is followed up as an action until done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField("Recommendation", max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def person(self) -> Person:
        return self.review.person
