from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AdministrationConfig(AppConfig):
    """Users, memberships and register settings, changed through audited services; the access changes
    page for information governance."""

    name = "dsr.administration"
    label = "administration"
    verbose_name = "Administration"


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the register's own site: no sign-in form of its own
    (dsr.administration.admin_site)."""

    default = False  # not the administration app's own configuration
    default_site = "dsr.administration.admin_site.AdminSite"
