from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "dsr.ratings"
    label = "ratings"
    verbose_name = "Risk ratings"
