"""A person on the register and everything recorded about them."""

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from dsr.dates import age_on, today
from dsr.people import nhs_number
from dsr.ratings.models import RATING_MEANING, Rating  # noqa: F401 (a person's rating, as people read it)
from dsr.registers.models import Organisation, Register

if TYPE_CHECKING:  # for types only: actions and meetings sit above people (docs/adr/0017-layers.md)
    from dsr.actions.models import Action
    from dsr.meetings.models import Escalation


class Person(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "On the register"
        LEFT = "left", "Left the register"
        # Kept for retention after leaving: out of every list, read-only, for coordinators and IG.
        FILED = "filed", "Filed"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        NOT_KNOWN = "not_known", "Not known"

    class Accommodation(models.TextChoices):
        FAMILY_HOME = "family_home", "Family home"
        OWN_HOME = "own_home", "Own home"
        SUPPORTED_LIVING = "supported_living", "Supported living"
        RESIDENTIAL_CARE = "residential_care", "Residential care home"
        RESIDENTIAL_SCHOOL = "residential_school", "Residential school or college"
        FOSTER_CARE = "foster_care", "Foster care"
        HOSPITAL = "hospital", "Hospital"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="people")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    given_name = models.CharField("First name", max_length=100)
    family_name = models.CharField("Last name", max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    address = models.TextField(max_length=500, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    gp_practice = models.CharField("GP practice", max_length=200, blank=True)
    accommodation = models.CharField(max_length=20, choices=Accommodation.choices, blank=True, default="")
    communication_needs = models.TextField(max_length=2000, blank=True)

    # The current rating, kept in step with the latest RiskRating entry by the ratings
    # service so that lists never scan history.
    current_rating = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    current_rating_at = models.DateTimeField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    # The first day anything on the record falls due: the rating's review or a C(E)TR or oversight visit its
    # rating requires (dsr.reviews.services.refresh_due_dates keeps it, from dsr.reviews.policy). Today's
    # work reads the most urgent people from it rather than working out everyone's requirements. Empty
    # until it is worked out, when the page works it out itself; NOTHING_DUE when nothing has a date.
    due_on = models.DateField(null=True, blank=True, editable=False)

    filed_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not stored: worked out for a page that shows the person, and set on them there: what their rating
    # requires, in short, and its worst state (dsr.reviews.selectors.describe_rows); their open actions
    # and open escalation, on a meeting's agenda item (dsr.meetings.selectors.person_on_item).
    requirements_summary: str
    requirements_state: str
    open_actions: list["Action"]
    open_escalation: "Escalation | None"

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "nhs_number"],
                condition=~Q(nhs_number=""),
                name="nhs_number_unique_per_register",
            )
        ]
        # The register list pages through ids in its two main orders (dsr.workspace.selectors.list_rows):
        # with the whole sort key and the id in the index, a deep page is read from the index alone.
        # Searching by name uses trigram indexes on PostgreSQL (migration 0004).
        indexes = [
            models.Index(
                fields=["register", "status", "next_review_due", "family_name", "given_name", "id"],
                name="person_review_due",
            ),
            models.Index(fields=["register", "status", "current_rating"], name="person_rating"),
            models.Index(fields=["register", "status", "date_of_birth"], name="person_dob"),
            models.Index(
                fields=["register", "status", "family_name", "given_name", "id"], name="person_name"
            ),
            models.Index(fields=["nhs_number"], name="person_nhs_number"),
            models.Index(fields=["register", "status", "due_on"], name="person_due_on"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, today())

    @property
    def is_child(self) -> bool:
        return self.age < 18

    @property
    def nhs_number_formatted(self) -> str:
        return nhs_number.formatted(self.nhs_number)

    def current_admission(self) -> "Admission | None":
        """The admission they are still in hospital for, if any, from their admissions (prefetched on the
        pages that show it, so no query of its own there)."""
        return next((a for a in self.admissions.all() if a.is_current), None)

    def review_overdue(self, on: datetime.date | None = None) -> bool:
        return bool(self.next_review_due and self.next_review_due < (on or today()))

    @property
    def left_on(self) -> datetime.date | None:
        """When they last left the register (None while on it). Uses prefetched episodes if there."""
        if self.status == self.Status.ACTIVE:
            return None
        dates = [episode.left_on for episode in self.episodes.all() if episode.left_on]
        return max(dates) if dates else None

    @property
    def days_overdue(self) -> int:
        if not self.review_overdue():
            return 0
        return (today() - self.next_review_due).days


class Circumstances(models.Model):
    """How the person is managing, and what everyone involved must know to keep them safe."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="circumstances")
    key_safety_information = models.TextField(max_length=4000, blank=True)
    why_enhanced_support = models.TextField("Why enhanced support may be needed", max_length=4000, blank=True)
    health = models.TextField("Health", max_length=4000, blank=True)
    education = models.TextField("Education", max_length=4000, blank=True)
    social = models.TextField("Social circumstances", max_length=4000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Circumstances of {self.person_id}"


class Diagnosis(models.Model):
    class Condition(models.TextChoices):
        AUTISM = "autism", "Autism"
        LEARNING_DISABILITY = "learning_disability", "Learning disability"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        AWAITING = "awaiting", "On an assessment waiting list"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="diagnoses")
    condition = models.CharField(max_length=30, choices=Condition.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    diagnosed_on = models.DateField(null=True, blank=True)
    waiting_since = models.DateField("On the waiting list since", null=True, blank=True)
    notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["condition"]

    def __str__(self) -> str:
        return f"{self.get_condition_display()} ({self.get_status_display()})"


class Involvement(models.Model):
    """A professional or service in the person's care team."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.CharField("Phone or email", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
        help_text="The user account of this professional, if they use the register",
    )
    is_keyworker = models.BooleanField("Keyworker", default=False)
    is_care_coordinator = models.BooleanField("Care coordinator", default=False)
    is_lead_professional = models.BooleanField("Lead professional", default=False)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-is_keyworker", "name"]
        indexes = [
            models.Index(fields=["user", "ended_on"], name="involvement_user"),
            models.Index(fields=["person", "is_keyworker", "ended_on"], name="involvement_keyworker"),
            # A person's current keyworker, on every row of the lists, and the list of people without one:
            # small enough to read whole when a list asks about every keyworker at once.
            models.Index(
                fields=["person", "started_on"],
                condition=Q(is_keyworker=True, ended_on__isnull=True),
                name="involvement_current_keyworker",
            ),
        ]

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class Consent(models.Model):
    class GivenBy(models.TextChoices):
        PERSON = "person", "The person (16 or over, or Gillick competent)"
        PARENT = "parent", "Someone with parental responsibility"
        BEST_INTERESTS = "best_interests", "Best-interests decision (the person lacks capacity)"

    class Purpose(models.TextChoices):
        REGISTER = "register", "To be on the register and share information"
        REVIEW = "review", "To a care (education) and treatment review"

    class Method(models.TextChoices):
        WRITTEN = "written", "In writing"
        VERBAL = "verbal", "Verbally, recorded by a professional"
        ELECTRONIC = "electronic", "Electronically"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.REGISTER)
    given_by = models.CharField(max_length=20, choices=GivenBy.choices)
    given_by_name = models.CharField("Name of the person who gave consent or decided", max_length=200)
    given_on = models.DateField()
    method = models.CharField("How it was recorded", max_length=20, choices=Method.choices)
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on"]

    @property
    def is_current(self) -> bool:
        return self.withdrawn_on is None

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} given {self.given_on}"


class Admission(models.Model):
    class LegalStatus(models.TextChoices):
        INFORMAL = "informal", "Informal"
        SECTION_2 = "section_2", "Mental Health Act section 2"
        SECTION_3 = "section_3", "Mental Health Act section 3"
        SECTION_37 = "section_37", "Mental Health Act section 37 (court order)"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="admissions")
    hospital = models.CharField(max_length=200)
    admitted_on = models.DateField()
    legal_status = models.CharField(max_length=20, choices=LegalStatus.choices)
    out_of_area = models.BooleanField(default=False)
    secure_service = models.BooleanField(default=False)
    discharged_on = models.DateField(null=True, blank=True)
    discharged_to = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-admitted_on"]

    @property
    def is_current(self) -> bool:
        return self.discharged_on is None

    @property
    def length_of_stay_days(self) -> int:
        return ((self.discharged_on or today()) - self.admitted_on).days

    def __str__(self) -> str:
        return f"{self.hospital} from {self.admitted_on}"


class Episode(models.Model):
    """A spell on the register: joined, and (once they leave) left. Leaving starts retention."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="episodes")
    joined_on = models.DateField()
    joined_reason = models.CharField(max_length=500)
    left_on = models.DateField(null=True, blank=True)
    left_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-joined_on"]
        indexes = [models.Index(fields=["left_on"], name="episode_left_on")]

    def __str__(self) -> str:
        return f"On the register from {self.joined_on}"


class ContactLog(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", "Phone call"
        VISIT = "visit", "Visit"
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "Email or letter"
        EVENT = "event", "Notable event"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    occurred_on = models.DateField()
    summary = models.TextField(max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"
