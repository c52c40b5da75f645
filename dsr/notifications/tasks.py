"""Background sending, run by `manage.py db_worker` (django-tasks with the database backend).

Task arguments are ids only: the task rows are kept in the database, so personal data never goes
in them.
"""

from django_tasks import task

from dsr.audit import RequestContext, audit_source
from dsr.audit.models import AuditEvent
from dsr.notifications import services


@task()
def send_notification(notification_id: str) -> str:
    """Send one queued message (the same step `manage.py send_notifications` takes for each)."""
    with audit_source(RequestContext(source=AuditEvent.Source.TASK)):
        return services.send_notification(notification_id=notification_id)
