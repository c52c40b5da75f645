from django.apps import AppConfig


class AboutConfig(AppConfig):
    """Pages every visitor may read, signed in or not: the privacy notice, the accessibility statement and
    the cookies page, linked from the footer of every page."""

    name = "dsr.about"
    label = "about"
    verbose_name = "About the service"
