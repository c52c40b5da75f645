from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "dsr.governance"
    label = "governance"
    verbose_name = "Information governance"
