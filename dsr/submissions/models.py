"""Each form page is sent once: its token, claimed by the user who sent it, and where what it made can be
seen (dsr.submissions.once)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """A form a user has sent and saved; posting the same form again shows `result_url`. Kept for a
    week (`forget_old`): a form page left open longer than that and sent twice saves twice."""

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    result_url = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"Form {self.token} sent by user {self.user_id}"
