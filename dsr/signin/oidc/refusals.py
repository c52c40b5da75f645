"""Why a sign-in through OpenID Connect was refused, in words fit for the logs: never the provider's own
message or the token's contents, which can name the person."""

import re

from allauth.socialaccount.providers.base import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from requests import RequestException

# An OAuth 2.0 error code (RFC 6749 4.1.2.1), as a provider sends back to the callback.
ERROR_CODE = re.compile(r"[a-z_]{1,40}")


class SignInRefused(OAuth2Error):
    """The provider's answer is not one to sign anyone in with (allauth's views catch OAuth2Error)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def reason_for(request, *, error: str | None, exception: Exception | None, extra_context: dict) -> str:
    """Why allauth's OAuth 2.0 views gave up on this sign-in."""
    if isinstance(exception, SignInRefused):
        return exception.reason
    if error == AuthError.CANCELLED:
        return "the person cancelled at the provider"
    if isinstance(exception, RequestException):
        return f"the provider could not be reached ({type(exception).__name__})"
    if isinstance(exception, OAuth2Error):
        return "the provider did not give a token for the code"
    if exception is not None:
        return f"refused by allauth ({type(exception).__name__})"
    if extra_context.get("state") is None:
        return "no sign-in is waiting for this state: used already, too old, or started in another browser"
    code = request.GET.get("error", "")
    return f"the provider answered with an error: {code if ERROR_CODE.fullmatch(code) else 'unrecognised'}"
