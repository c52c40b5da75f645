"""Second factors for test users, set up as a person would have set them up: an authenticator app with
a known secret, so a test can read its codes as the app would show them."""

import pyotp
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

_secrets: dict[int, str] = {}


def authenticator_app(user) -> pyotp.TOTP:
    """The user's authenticator app, set up now if they have none."""
    if (
        user.pk not in _secrets
        or not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        secret = generate_totp_secret()
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        TOTP.activate(user, secret)
        _secrets[user.pk] = secret
    return pyotp.TOTP(_secrets[user.pk])
