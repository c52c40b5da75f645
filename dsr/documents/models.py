"""Documents shared about a person: reports and plans, stored outside the web root (dsr.documents).

The model keeps the `governance` app label it was created with (docs/adr/0017-layers.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.text import slugify

from dsr.documents import TYPES


class Document(models.Model):
    """A report or plan shared about a person. The file is kept outside the web root
    (dsr.documents) under a generated name and served only through an access check."""

    class Kind(models.TextChoices):
        DIAGNOSTIC_REPORT = "diagnostic_report", "Diagnostic report"
        COGNITIVE_ASSESSMENT = "cognitive_assessment", "Cognitive assessment"
        SPEECH_AND_LANGUAGE = "speech_and_language", "Speech and language report"
        CAMHS_CARE_PLAN = "camhs_care_plan", "CAMHS care plan"
        EHCP = "ehcp", "Education, health and care plan (EHCP)"
        SOCIAL_CARE_PLAN = "social_care_plan", "Social care plan"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "governance"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        """A safe file name for the download: the title, slugified, and the detected type's extension."""
        file_type = TYPES.get(self.content_type)
        extension = file_type.extension if file_type else "bin"
        return f"{(slugify(self.title) or 'document')[:100]}.{extension}"

    @property
    def type_label(self) -> str:
        file_type = TYPES.get(self.content_type)
        return file_type.label if file_type else "File"

    @property
    def size_display(self) -> str:
        if self.size < 1024:
            return f"{self.size} bytes"
        if self.size < 1024 * 1024:
            return f"{round(self.size / 1024)} KB"
        return f"{self.size / (1024 * 1024):.1f} MB"
