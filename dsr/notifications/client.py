"""The sending side: GOV.UK Notify through its official client when an API key is configured.

Without NOTIFY_API_KEY nothing leaves the machine: the message stays in the local outbox, which
coordinators read in the app.
"""

from dataclasses import dataclass

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient


class SendFailed(Exception):
    """An attempt to send failed. `permanent` when trying again cannot help (Notify said 400)."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Sent:
    notify_id: str  # empty when kept in the local outbox


def uses_notify() -> bool:
    return bool(settings.NOTIFY_API_KEY)


def _client() -> NotificationsAPIClient:
    # The timeout is shorter than a sending attempt's lease (settings), so an attempt that is still
    # waiting for Notify has always given up before another worker may try the message again.
    return NotificationsAPIClient(
        settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT_SECONDS
    )


def already_sent(*, reference: str) -> str | None:
    """Notify's id for the email it accepted with this reference, if it accepted one: asked before
    trying again a send whose outcome was never recorded. SendFailed if Notify cannot say."""
    if not uses_notify():
        return None
    try:
        found = _client().get_all_notifications(template_type="email", reference=reference)
    except APIError as error:
        raise SendFailed(_reason(error)) from error
    for notification in found.get("notifications", []):
        if notification.get("reference") == reference:
            return str(notification["id"])
    return None


def send_email(*, to_email: str, subject: str, body: str, reference: str) -> Sent:
    """Send one email through Notify's template of ((subject)) and ((body)); SendFailed if it fails."""
    if not uses_notify():
        return Sent(notify_id="")
    client = _client()
    try:
        response = client.send_email_notification(
            email_address=to_email,
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            personalisation={"subject": subject, "body": body},
            reference=reference,
            email_reply_to_id=settings.NOTIFY_REPLY_TO_ID or None,
        )
    except APIError as error:
        raise SendFailed(_reason(error), permanent=error.status_code == 400) from error
    return Sent(notify_id=str(response["id"]))


def _reason(error: APIError) -> str:
    """Why Notify refused, by status code and error kind only: its message can quote what was sent."""
    if error.response is None:
        cause = error.__cause__ or error
        return f"Could not reach GOV.UK Notify ({type(cause).__name__})"
    try:
        kind = str(error.response.json()["errors"][0]["error"])[:60]
    except (ValueError, KeyError, IndexError, TypeError):
        kind = type(error).__name__
    return f"GOV.UK Notify answered {error.response.status_code} {kind}"
