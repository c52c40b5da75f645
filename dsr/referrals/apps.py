from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "dsr.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from dsr.referrals import record_kinds  # noqa: F401 (registers the app's person records)
