"""Messages sent about a person, registered for subject access packs and erasure (dsr.audit.records).

Sending tasks carry only the message's id, so erasing the rows leaves nothing personal in the queue."""

from dsr.audit import records
from dsr.notifications.models import Notification

records.register(
    Notification,
    heading="Messages sent",
    fields=["created_at", "template", "to_email", "subject", "body", "status", "sent_at"],
    order_by=["created_at"],
)
