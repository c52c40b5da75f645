from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "dsr.signin"
    label = "signin"
    verbose_name = "Signing in"

    def ready(self) -> None:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.signals import authentication_failed
        from django.db.models.signals import post_save

        from dsr.signin import checks  # noqa: F401 (registers the deployment check)
        from dsr.signin.lockout import second_factor_failed
        from dsr.signin.second_factor import authenticator_saved

        post_save.connect(authenticator_saved, sender=Authenticator, dispatch_uid="dsr-signin-authenticator")
        authentication_failed.connect(second_factor_failed, dispatch_uid="dsr-signin-code-failed")
