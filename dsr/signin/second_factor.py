"""Whether this session's sign-in used a second factor, read from what allauth records in the session
(no query), and recorded when a user proves one outside the sign-in itself (setting one up), or when the
organisation's own sign-in asked for one (OpenID Connect, dsr.signin.oidc)."""

import time

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

# The organisation's sign-in (OpenID Connect), when its ID token says it asked for a second factor.
AT_PROVIDER = "oidc_second_factor"
# Methods that count as a second factor: the MFA stage of sign-in (a code, a recovery code or a key), or
# the provider's.
SECOND_FACTORS = {"mfa", AT_PROVIDER}
CHECKED = "signin.no_second_factor_needed_at"


def used_second_factor(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") in SECOND_FACTORS for record in records)


def has_second_factor(user) -> bool:
    """The user has set up an authenticator app or a security key (recovery codes alone do not count)."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def record_second_factor(request: HttpRequest, authenticator: Authenticator) -> None:
    """The user has just proved they hold this authenticator (by setting it up with a code or a key)."""
    record_authentication(request, request.user, method="mfa", type=authenticator.type, id=authenticator.pk)


def record_second_factor_at_provider(request: HttpRequest, user, *, provider: str) -> None:
    """The organisation's sign-in asked this user for a second factor (its ID token's `amr` or `acr` says so,
    as OIDC_SECOND_FACTOR_AMR and OIDC_SECOND_FACTOR_ACR configure)."""
    record_authentication(request, user, method=AT_PROVIDER, provider=provider)


def authenticator_saved(sender, instance: Authenticator, created: bool, **kwargs) -> None:
    """Setting up an authenticator app or a key proves it, as entering its code at sign-in would: the
    user had to enter the app's code, or use the key, to set it up."""
    request = context.request
    if not created or request is None or instance.type == Authenticator.Type.RECOVERY_CODES:
        return
    if getattr(request, "user", None) is not None and request.user.pk == instance.user_id:
        record_second_factor(request, instance)


def note_not_needed(request: HttpRequest) -> None:
    """This user needs no second factor (an analyst, say): asked again in a minute, as roles change."""
    request.session[CHECKED] = time.time()


def checked_recently(request: HttpRequest, seconds: int = 60) -> bool:
    return time.time() - request.session.get(CHECKED, 0) < seconds
