from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "dsr.governance"
    label = "governance"
    verbose_name = "Information governance"

    def ready(self) -> None:
        from dsr.governance import record_kinds, sections  # noqa: F401 (registers the app's person records and page sections)
        from dsr.governance.tasks import ensure_digest_scheduled, ensure_scheduled
        from dsr.operations.schedule import upkeep

        upkeep(ensure_scheduled)
        upkeep(ensure_digest_scheduled)
