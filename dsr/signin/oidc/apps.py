from django.apps import AppConfig


class OpenIDConnectConfig(AppConfig):
    """The organisation's own sign-in (NHS CIS2, Microsoft Entra ID) as a django-allauth provider: allauth
    finds providers by an app's `provider` module."""

    name = "dsr.signin.oidc"
    label = "signin_oidc"
    verbose_name = "Signing in through OpenID Connect"
