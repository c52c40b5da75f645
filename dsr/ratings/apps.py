from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "dsr.ratings"
    label = "ratings"
    verbose_name = "Risk ratings"

    def ready(self) -> None:
        from dsr.ratings import record_kinds, sections  # noqa: F401 (registers the app's person records and page sections)
