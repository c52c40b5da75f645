from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "dsr.registers"
    label = "registers"
    verbose_name = "Registers, organisations and access"
