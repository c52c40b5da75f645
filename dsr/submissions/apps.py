from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "dsr.submissions"
    label = "submissions"
    verbose_name = "Forms sent once"
