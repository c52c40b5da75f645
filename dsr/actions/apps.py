from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "dsr.actions"
    label = "actions"
    verbose_name = "Actions agreed for a person"

    def ready(self) -> None:
        from dsr.actions import record_kinds, sections  # noqa: F401 (registers the app's person records and page sections)
