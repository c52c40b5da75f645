from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in


class RegistersConfig(AppConfig):
    name = "dsr.registers"
    label = "registers"
    verbose_name = "Registers, organisations and access"

    def ready(self) -> None:
        from dsr.registers.idle import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="dsr-idle-timeout")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the register's own site: no sign-in form of its own (dsr.registers.admin_site)."""

    default = False  # not the registers app's own configuration
    default_site = "dsr.registers.admin_site.AdminSite"
