"""Legal holds that keep a record from being filed or erased.

The audit trail's models (dsr.audit.models) and documents (dsr.documents.models) carry this app's label:
they are imported here so the app loads them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from dsr.audit.models import AuditChainHead, AuditEvent  # noqa: F401 (models of this app)
from dsr.dates import today
from dsr.documents.models import Document  # noqa: F401 (a model of this app)


class LegalHoldQuerySet(models.QuerySet):
    def in_force(self) -> "LegalHoldQuerySet":
        """Holds not yet lifted."""
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """A hold on a person's record for a claim, an inquiry or an investigation: while it is in force,
    retention neither files nor erases the record and it is not erased on request. Set and lifted by an
    information governance officer (dsr.governance.services); kept, once lifted, until the record itself
    is erased. See docs/adr/0015-legal-hold.md."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.TextField("Why the record is held")
    reference = models.CharField("Reference", max_length=100)
    review_on = models.DateField("Review the hold on")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField("Held since", default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField("Lifted", null=True, blank=True)
    lift_reason = models.TextField("Why the hold was lifted", blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-set_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(lifted_at__isnull=True), name="one_legal_hold_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.reference}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None

    @property
    def review_passed(self) -> bool:
        """The review date has gone by and the hold is still in force."""
        return self.in_force and self.review_on < today()
