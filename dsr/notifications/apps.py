from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dsr.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from dsr.notifications import record_kinds  # noqa: F401 (registers the app's person records)
        from dsr.notifications.services import send_overlooked
        from dsr.operations.schedule import upkeep

        upkeep(send_overlooked)
