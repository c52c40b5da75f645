from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dsr.reports"
    label = "reports"
    verbose_name = "Reports"
