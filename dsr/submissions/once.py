"""Forms that create something are safe to send twice: a double click, the back button and "send"
again, or a connection that dropped before the answer came back all make one record, not two.

Every form page is rendered with a token of its own (`form_token_input`). The first post that saves
claims the token in the same transaction as what it saves; a second post with the same token, even one
sent at the same moment, finds it claimed and is sent to what the first one made. If saving fails, the
claim is rolled back with it and the corrected form can be sent.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from dsr.submissions.models import Submission

FIELD = "submission_token"
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
    token = _token(request)
    if token is None:
        return save()
    earlier = _claim(request, token)
    if earlier is not None:
        raise AlreadySent(earlier.result_url or "/")
    result = save()
    Submission.objects.filter(token=token).update(result_url=result_url(result)[:500])
    return result


def _token(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _claim(request: HttpRequest, token: uuid.UUID) -> Submission | None:
    """Claim the token for this post; the earlier submission if another post claimed it first."""
    earlier = Submission.objects.filter(token=token, user=request.user).first()
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            Submission.objects.create(token=token, user=request.user)
    except IntegrityError:
        # Another post of the same form committed first: the database held this insert until it did.
        return Submission.objects.filter(token=token, user=request.user).first() or Submission(result_url="/")
    return None
