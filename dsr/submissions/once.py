"""Forms that create something are safe to send twice: a double click, the back button and "send"
again, or a connection that dropped before the answer came back all make one record, not two.

Every form page is rendered with a token of its own (`form_token_input`). The first post that saves
claims the token in the same transaction as what it saves; a second post with the same token, even one
sent at the same moment, finds it claimed and is sent to what the first one made. If saving fails, the
claim is rolled back with it and the corrected form can be sent. A claim is the user's own: a token that
reaches someone else (a form page left open in a shared browser) counts for them as a form of their own.
"""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from dsr.submissions.models import Submission

FIELD = "submission_token"
KEEP_FOR = datetime.timedelta(days=7)
ALREADY_SENT = "You had already sent this form. It was saved once: this is what was saved."


def form_token_input() -> SafeString:
    """The hidden field that makes a form page's post count once."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())


class AlreadySent(Exception):
    """This form was sent before: what it made is at `url`."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def save_once(request: HttpRequest, save: Callable[[], Any], result_url: Callable[[Any], str]) -> Any:
    """Call `save` unless this form was already sent; raises AlreadySent if it was.

    Must be called inside the transaction that saves, which the claim belongs to. A post without a
    token (a form that predates tokens, or a script) is saved as it is."""
    claim = _claim_key(request)
    if claim is None:
        return save()
    earlier = _claim(request, claim)
    if earlier is not None:
        raise AlreadySent(earlier.result_url or "/")
    result = save()
    Submission.objects.filter(token=claim).update(result_url=result_url(result)[:500])
    return result


def forget_old() -> int:
    """Forget the forms sent more than a week ago (the nightly run calls this); how many."""
    deleted, _ = Submission.objects.filter(sent_at__lt=timezone.now() - KEEP_FOR).delete()
    return deleted


def _claim_key(request: HttpRequest) -> uuid.UUID | None:
    """What this post claims: the form's token, made this user's own."""
    try:
        token = uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None
    # Keyed by user, so a token someone else already used can neither lead to what they made nor stop
    # this user's form from saving: telling them it was saved when it was not would lose what they wrote.
    return uuid.uuid5(token, f"user:{request.user.pk}")


def _claim(request: HttpRequest, claim: uuid.UUID) -> Submission | None:
    """Claim this post's form; the earlier submission if another post of it claimed it first."""
    earlier = Submission.objects.filter(token=claim, user=request.user).first()
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            Submission.objects.create(token=claim, user=request.user)
    except IntegrityError:
        # Another post of the same form committed first: the database held this insert until it did.
        return Submission.objects.get(token=claim, user=request.user)
    return None
