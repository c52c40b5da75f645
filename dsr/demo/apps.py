from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration data `make run` serves (`manage.py seed_demo`). It sits above every other app
    and nothing imports it."""

    name = "dsr.demo"
    label = "demo"
    verbose_name = "Demonstration data"
