from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dsr.meetings"
    label = "meetings"
    verbose_name = "Meetings: the monthly register meeting, forums and the oversight panel"

    def ready(self) -> None:
        from dsr.meetings import record_kinds, sections  # noqa: F401 (registers the app's person records and page sections)
