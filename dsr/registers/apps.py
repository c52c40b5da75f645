from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class RegistersConfig(AppConfig):
    name = "dsr.registers"
    label = "registers"
    verbose_name = "Registers, organisations and access"

    def ready(self) -> None:
        from dsr.registers.idle import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="dsr-idle-timeout")
