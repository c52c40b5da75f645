from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "dsr.people"
    label = "people"
    verbose_name = "People on the register"

    def ready(self) -> None:
        from dsr.people import record_kinds, sections  # noqa: F401 (registers the app's person records and page sections)
