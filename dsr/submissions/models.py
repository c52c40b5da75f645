"""Each form page is sent once: the token it was rendered with, and where what it made can be seen."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """A form that has been sent and saved; posting the same form again shows `result_url`."""

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    result_url = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"Form {self.token} sent by user {self.user_id}"
