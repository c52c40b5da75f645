"""Actions an agency agreed to take for a person (from a review or a meeting), with their history."""

import datetime
import uuid

from django.conf import settings
from django.db import models

from dsr.people.models import Person
from dsr.registers.models import Organisation


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="actions")
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    recommendation = models.OneToOneField(
        "reviews.Recommendation", on_delete=models.SET_NULL, null=True, blank=True, related_name="action"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.TextField(max_length=4000)
    owner_name = models.CharField("Responsible person", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        help_text="Their account on the register, so the action is in their list",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField("Due date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    status_note = models.TextField(max_length=2000, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Not stored: worked out for a page that lists the action, and set on it there (selectors.for_person_page,
    # views): its state (open, overdue, escalate, done or no_longer_needed), the days it is overdue, and
    # whether the user may update it.
    state: str
    overdue_days: int
    may_update: bool

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="action_owner"),
            models.Index(fields=["person", "status", "due_on"], name="action_person"),
            # Today's work: the most urgent open actions first, however many are overdue.
            models.Index(fields=["status", "due_on", "id"], name="action_due"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def days_overdue(self, on: datetime.date) -> int:
        """Days past the due date while open (0 when not overdue)."""
        if not self.is_open or self.due_on >= on:
            return 0
        return (on - self.due_on).days


class ActionUpdate(models.Model):
    """One entry in an action's history: a status change or a progress note."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    note = models.TextField(max_length=2000, blank=True)
    due_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["updated_at"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.updated_at:%d %b %Y}"

    @property
    def person(self) -> Person:
        return self.action.person
