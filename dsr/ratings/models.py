"""Risk ratings: an append-only history of dated, attributed RAG (and blue) entries."""

import uuid

from django.conf import settings
from django.db import models

from dsr.registers.models import Register


class Rating(models.TextChoices):
    """The RAG rating, plus blue for someone already in hospital."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"


RATING_MEANING = {
    Rating.RED: "High risk of admission straight away",
    Rating.AMBER: "At risk of admission without the right care and treatment soon",
    Rating.GREEN: "Risks and needs managed well at home",
    Rating.BLUE: "Already in hospital",
}


class RiskFactor(models.Model):
    """A factor considered when rating; national ones have no register, local ones do."""

    name = models.CharField(max_length=200)
    register = models.ForeignKey(
        Register, on_delete=models.CASCADE, null=True, blank=True, related_name="risk_factors"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["register", "name"], name="risk_factor_unique_name")]

    def __str__(self) -> str:
        return self.name


class RiskRating(models.Model):
    """One rating decision. Entries are only ever added; the history is never rewritten."""

    class Reason(models.TextChoices):
        REVIEW = "review", "Review"
        ADMISSION = "admission", "Admission to hospital"
        DISCHARGE = "discharge", "Discharge from hospital"
        JOINED = "joined", "Joined the register"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="ratings")
    rating = models.CharField(max_length=5, choices=Rating.choices)
    rationale = models.TextField(max_length=4000)
    risk_factors = models.ManyToManyField(RiskFactor, blank=True, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.REVIEW)
    admission = models.ForeignKey(
        "people.Admission", on_delete=models.CASCADE, null=True, blank=True, related_name="ratings"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        help_text="The meeting that decided this rating",
    )
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField()
    next_review_due = models.DateField()

    class Meta:
        ordering = ["-rated_at"]
        indexes = [models.Index(fields=["person", "-rated_at"], name="rating_history")]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} on {self.rated_at:%d %b %Y}"
