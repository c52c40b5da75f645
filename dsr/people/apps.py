from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "dsr.people"
    label = "people"
    verbose_name = "People on the register"
