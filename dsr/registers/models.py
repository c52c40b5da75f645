"""Registers (the tenants), organisations, and who may do what in which register."""

import datetime
import decimal
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from dsr.dates import months_after


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Register coordinator"
    KEYWORKER = "keyworker", "Keyworker"
    PROFESSIONAL = "professional", "Panel member or professional"
    REFERRER = "referrer", "Referrer"
    IG = "ig", "Information governance officer"
    ANALYST = "analyst", "Analyst or commissioner"
    ADMIN = "admin", "System administrator"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        ICB = "icb", "Integrated care board"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        SCHOOL = "school", "School or college"
        VOLUNTARY = "voluntary", "Voluntary sector provider"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ods_code = models.CharField("ODS code", max_length=10, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Register(models.Model):
    """One local dynamic support register, with its own policy held as data."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="registers")

    # On the public referral form only once its coordinator publishes it (dsr.referrals.services).
    published = models.BooleanField(
        "On the public referral form",
        default=False,
        help_text="The register's coordinator puts it on the public referral form and takes it off",
    )
    # How referrers and families reach the register's team: shown on the referral pages and in messages.
    team_name = models.CharField(
        "Team name", max_length=200, blank=True, help_text="For example, Dynamic Support Register team"
    )
    team_phone = models.CharField("Team phone number", max_length=30, blank=True)
    team_email = models.EmailField("Team email address", max_length=254, blank=True)
    data_protection_officer = models.CharField(
        "Data protection officer",
        max_length=500,
        blank=True,
        help_text="How to contact the data protection officer: a name, an email address or a phone number",
    )

    # Who the register is for.
    min_age = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(120)])
    max_age = models.PositiveSmallIntegerField(
        default=25,
        validators=[MaxValueValidator(120)],
        help_text="Oldest age (in years) the register accepts",
    )
    waiting_list_eligible = models.BooleanField(
        "People on an assessment waiting list are eligible", default=True
    )
    waiting_list_max_age = models.PositiveSmallIntegerField(
        "Waiting-list eligibility up to age", default=25, validators=[MaxValueValidator(120)]
    )

    # How often each rating is reviewed, in days.
    review_days_red = models.PositiveSmallIntegerField(default=14, validators=[MinValueValidator(1)])
    review_days_amber = models.PositiveSmallIntegerField(default=28, validators=[MinValueValidator(1)])
    review_days_green = models.PositiveSmallIntegerField(default=90, validators=[MinValueValidator(1)])
    review_days_blue = models.PositiveSmallIntegerField(default=28, validators=[MinValueValidator(1)])
    admission_sets_blue = models.BooleanField(
        "An admission sets the rating to blue until discharge", default=True
    )
    consultation_target_days = models.PositiveSmallIntegerField(
        "Days within which a consultation is offered after a referral",
        default=7,
        validators=[MinValueValidator(1)],
    )
    consultation_target_working_days = models.BooleanField(
        "Count the consultation target in working days (not weekends or bank holidays)", default=False
    )

    # What each rating requires and when (dsr/reviews/policy.py). Defaults from NHS England,
    # "Dynamic support register and Care (Education) and Treatment Review policy and guide" (2023).
    red_review_target_days = models.PositiveSmallIntegerField(
        "Days after a red rating within which a community C(E)TR takes place",
        default=28,
        validators=[MinValueValidator(1)],
        help_text="Red means a community C(E)TR must take place; the target is set locally",
    )
    keyworker_max_age = models.PositiveSmallIntegerField(
        "Keyworker referral for red and amber up to age",
        default=25,  # the keyworking function is for children and young people aged 0 to 25 (policy, 2023)
        validators=[MaxValueValidator(120)],
    )
    # A post-admission C(E)TR within 2 weeks for children and 4 weeks for adults (policy, 2023).
    post_admission_review_days_child = models.PositiveSmallIntegerField(
        "Post-admission C(E)TR within (days), children", default=14, validators=[MinValueValidator(1)]
    )
    post_admission_review_days_adult = models.PositiveSmallIntegerField(
        "Post-admission C(E)TR within (days), adults", default=28, validators=[MinValueValidator(1)]
    )
    pre_admission_review_counts_days = models.PositiveSmallIntegerField(
        "A C(E)TR this many days before admission replaces the post-admission one",
        default=28,
        help_text="The policy needs no post-admission review when one took place just before admission",
    )
    # Inpatient C(E)TRs every 3 months (children), 6 months (adults), 12 months (adults in secure
    # services) (policy, 2023).
    inpatient_review_months_child = models.PositiveSmallIntegerField(
        "Inpatient C(E)TR every (months), children", default=3, validators=[MinValueValidator(1)]
    )
    inpatient_review_months_adult = models.PositiveSmallIntegerField(
        "Inpatient C(E)TR every (months), adults", default=6, validators=[MinValueValidator(1)]
    )
    inpatient_review_months_secure = models.PositiveSmallIntegerField(
        "Inpatient C(E)TR every (months), adults in secure services",
        default=12,
        validators=[MinValueValidator(1)],
    )
    # Commissioner oversight visits every 6 weeks (children) and 8 weeks (adults) (policy, 2023).
    oversight_visit_weeks_child = models.PositiveSmallIntegerField(
        "Commissioner oversight visit every (weeks), children", default=6, validators=[MinValueValidator(1)]
    )
    oversight_visit_weeks_adult = models.PositiveSmallIntegerField(
        "Commissioner oversight visit every (weeks), adults", default=8, validators=[MinValueValidator(1)]
    )
    action_escalation_days = models.PositiveSmallIntegerField(
        "Offer an action for escalation when it is this many days overdue",
        default=28,
        help_text="Set locally: the oversight panel then decides whether to escalate",
    )

    # Keyworker contact: how often the allocated keyworker is in touch, by rating. Set locally (the
    # national policy asks for a keyworker but sets no contact frequency); feeds the caseload page.
    contact_days_red = models.PositiveSmallIntegerField(
        "Keyworker contact every (days), red", default=7, validators=[MinValueValidator(1)]
    )
    contact_days_amber = models.PositiveSmallIntegerField(
        "Keyworker contact every (days), amber", default=14, validators=[MinValueValidator(1)]
    )
    contact_days_green = models.PositiveSmallIntegerField(
        "Keyworker contact every (days), green", default=28, validators=[MinValueValidator(1)]
    )
    contact_days_blue = models.PositiveSmallIntegerField(
        "Keyworker contact every (days), blue", default=14, validators=[MinValueValidator(1)]
    )
    # Meetings. The C(E)TR oversight panel meets every 6 weeks by default.
    oversight_panel_weeks = models.PositiveSmallIntegerField(
        "C(E)TR oversight panel every (weeks)", default=6, validators=[MinValueValidator(1)]
    )

    # Retention, as data (enforced by the governance app), in calendar months after leaving: 12 is a
    # year, 72 six years. Counted as the same day of the month (dsr.dates.months_after).
    file_after_months = models.PositiveSmallIntegerField(
        "File the record this many months after leaving",
        null=True,
        blank=True,
        default=6,
        help_text=(
            "Leave empty to keep the record on the register's lists until it is erased. 12 months is a year."
        ),
    )
    erase_after_months = models.PositiveSmallIntegerField(
        "Erase the record this many months after leaving",
        default=72,
        validators=[MinValueValidator(1)],
        help_text="72 months is 6 years.",
    )
    consent_withdrawal_ends_membership = models.BooleanField(
        "Withdrawing consent to be on the register takes the person off it", default=True
    )

    # Unusual access, noticed for the IG officer (dsr.governance.unusual_access). Set locally: signs to
    # look into, not rules that stop anyone.
    unusual_lookback_days = models.PositiveSmallIntegerField(
        "Compare a user's day with their daily average over this many days before it",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    unusual_multiple = models.DecimalField(
        "Flag a user who opens at least this many times their daily average",
        max_digits=4,
        decimal_places=1,
        default=decimal.Decimal("3.0"),
        validators=[MinValueValidator(decimal.Decimal("1.0"))],
    )
    unusual_minimum_records = models.PositiveSmallIntegerField(
        "Flag them only if they opened at least this many people's records that day",
        default=20,
        validators=[MinValueValidator(1)],
        help_text="So that someone who usually opens one record is not flagged for opening three",
    )
    working_day_starts = models.TimeField(
        "Working day starts", default=datetime.time(8, 0), help_text="Records opened before this are flagged"
    )
    working_day_ends = models.TimeField(
        "Working day ends",
        default=datetime.time(18, 0),
        help_text="Records opened at or after this are flagged, as are weekends and bank holidays in England",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.min_age > self.max_age:
            raise ValidationError({"max_age": "The oldest age must not be below the youngest"})
        if (
            self.file_after_months is not None
            and self.erase_after_months is not None
            and self.file_after_months >= self.erase_after_months
        ):
            raise ValidationError({"file_after_months": "A record must be filed before it is erased"})
        if self.working_day_starts >= self.working_day_ends:
            raise ValidationError({"working_day_ends": "The working day must end after it starts"})

    def files_on(self, left_on: datetime.date) -> datetime.date | None:
        """When a record of someone who left on `left_on` is filed under this register's policy: its own
        period (`file_after_months`; None, never), counted in calendar months as the law reads "month"
        (Interpretation Act 1978, Schedule 1) by dsr.dates.months_after: 31 August + 6 months is
        28 February."""
        if self.file_after_months is None:
            return None
        return months_after(left_on, self.file_after_months)

    def erases_on(self, left_on: datetime.date) -> datetime.date:
        """When a record of someone who left on `left_on` is erased under this register's policy: its own
        period (`erase_after_months`), counted in calendar months (Interpretation Act 1978, Schedule 1;
        dsr.dates.months_after), 29 February + 6 years being 28 February. The register chooses the period
        from the NHS England Records Management Code of Practice 2021 (Appendix II, the retention
        schedule) and its own policy; a legal hold or an open request delays erasure
        (dsr.governance.erasure.reasons_to_keep)."""
        return months_after(left_on, self.erase_after_months)

    @property
    def team(self) -> str:
        """Whom families and referrers contact: the team's name, or the register's."""
        return self.team_name or self.name

    @property
    def team_contact(self) -> str:
        """How to reach the team, in one line: "DSR team, phone 01622 000000, email dsr@example.nhs.uk";
        empty when the register gives neither a phone number nor an email address."""
        if not (self.team_phone or self.team_email):
            return ""
        parts = [
            self.team,
            f"phone {self.team_phone}" if self.team_phone else "",
            f"email {self.team_email}" if self.team_email else "",
        ]
        return ", ".join(part for part in parts if part)

    def review_days(self, rating: str) -> int:
        return getattr(self, f"review_days_{rating}")

    def contact_days(self, rating: str) -> int | None:
        """How often a keyworker is in touch with someone of this rating (None without a rating)."""
        return getattr(self, f"contact_days_{rating}", None) if rating else None


class Membership(models.Model):
    """A user's role in one register. Every access to person data starts here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "register"], name="one_role_per_register")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.register}"


class GrantRequest(models.Model):
    """Access that waits for a second person: a role that sees identifiable data, or administrator rights.

    Nothing changes until someone other than the requester (and other than the person concerned)
    approves it: an IG officer of the register, or another system administrator
    (dsr.administration.services; docs/adr/0010-administration-is-audited-and-approved.md)."""

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", "Role in a register"
        STAFF = "staff", "Access to the administration pages"
        SUPERUSER = "superuser", "Full administration rights"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_requests"
    )
    # For a role: the register, the role and the organisation the membership is for.
    register = models.ForeignKey(
        Register, on_delete=models.CASCADE, null=True, blank=True, related_name="grant_requests"
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField("Why they need it")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = "request for access"
        verbose_name_plural = "requests for access"
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "-requested_at"], name="grant_request_waiting")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="membership", register__isnull=False) & ~models.Q(role=""))
                | (~models.Q(kind="membership") & models.Q(register__isnull=True, role="")),
                name="grant_request_role_has_a_register",
            )
        ]

    def __str__(self) -> str:
        return f"{self.describe()} for {self.user}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def describe(self) -> str:
        """What is asked for, in plain words: "Register coordinator in Kent and Medway"."""
        if self.kind == self.Kind.MEMBERSHIP:
            return f"{self.get_role_display()} in {self.register}"
        return self.get_kind_display()
