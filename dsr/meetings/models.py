"""Multi-agency meetings run from the register: their agenda, attendance, what was discussed and decided,
and escalations to the C(E)TR oversight panel."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from dsr.people.models import Person
from dsr.referrals.models import Referral
from dsr.registers.models import Register


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REGISTER = "register", "Monthly dynamic support register meeting"
        FORUM_CHILDREN = "forum_children", "Dynamic Support Forum (children and young people)"
        FORUM_ADULTS = "forum_adults", "Dynamic Support Forum (adults)"
        OVERSIGHT_PANEL = "oversight_panel", "C(E)TR oversight panel"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        FINISHED = "finished", "Finished"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField("Date of the meeting")
    starts_at = models.TimeField("Start time", null=True, blank=True)
    location = models.CharField("Where, or how to join", max_length=200, blank=True)
    chair = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.TextField("Why it was cancelled", max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["register", "-held_on"], name="meeting_register")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.held_on:%-d %B %Y}"

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def begins_at(self) -> datetime.datetime:
        """When the meeting starts, in local time: its date and start time (the start of the day when it has
        no start time)."""
        return timezone.make_aware(
            datetime.datetime.combine(self.held_on, self.starts_at or datetime.time.min)
        )

    def has_begun(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.begins_at


class Attendee(models.Model):
    """Someone invited to a meeting, and whether they came. Staff, not people on the register."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    organisation = models.CharField("Role or organisation", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    present = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """One item of a meeting's agenda: a person (or a referral awaiting a decision), why they are on it,
    and what the meeting said and decided about them."""

    class Category(models.TextChoices):
        NEW_REFERRAL = "new_referral", "New referrals awaiting a decision"
        ESCALATED = "escalated", "Escalated to the oversight panel"
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        BLUE = "blue", "Blue: in hospital"
        OVERDUE_REVIEW = "overdue_review", "Reviews overdue"
        OVERDUE_ACTION = "overdue_action", "Actions overdue"
        ADDED = "added", "Added to the agenda"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    category = models.CharField(max_length=20, choices=Category.choices)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_items"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_items"
    )
    reasons = models.CharField("Why it is on the agenda", max_length=500, blank=True)
    discussion = models.TextField("Discussion", max_length=8000, blank=True)
    decisions = models.TextField("Decisions", max_length=8000, blank=True)
    discussed = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(referral__isnull=False),
                name="agenda_item_about_someone",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "meeting"], name="agenda_item_person"),
            # A page of an agenda in order: the first 50 of thousands read from the index, none sorted.
            models.Index(fields=["meeting", "position"], name="agenda_item_order"),
        ]

    def __str__(self) -> str:
        return f"Item {self.position} of {self.meeting}"

    @property
    def register_id(self) -> int:
        return self.meeting.register_id


class Escalation(models.Model):
    """A decision, with its reason, to bring a person to the C(E)TR oversight panel; open until the
    panel has dealt with it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="escalations")
    reason = models.TextField(max_length=4000)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="escalations"
    )
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    escalated_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField("What the panel decided", max_length=4000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at_meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="escalations_closed"
    )

    class Meta:
        ordering = ["-escalated_on"]
        indexes = [models.Index(fields=["person", "closed_on"], name="escalation_open")]

    def __str__(self) -> str:
        return f"Escalated on {self.escalated_on:%-d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
