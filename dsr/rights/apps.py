from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "dsr.rights"
    label = "rights"
    verbose_name = "Information rights requests"

    def ready(self) -> None:
        from dsr.rights import record_kinds  # noqa: F401 (registers the requests as person records)
