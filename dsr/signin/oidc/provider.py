"""The organisation's OpenID Connect provider (NHS CIS2, Microsoft Entra ID), configured from the environment
(config/settings.py, docs/adr/0012-openid-connect.md).

A subclass of allauth's own OpenID Connect provider, which would skip the ID token's signature when the token
came from the token endpoint, take the algorithm from the token's own header and send no nonce. Here every
sign-in uses PKCE (S256) and a nonce, is always a plain sign-in (never connecting the provider's account to
someone already signed in), and names the user by the configured claim without ever matching an existing
account by email address or username."""

import secrets

from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.oauth2.utils import generate_code_challenge
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from dsr.signin.oidc.views import PROVIDER_ID, OrganisationAdapter

WELL_KNOWN = "/.well-known/openid-configuration"
# Django's limit on a user's first and last names.
LONGEST_NAME = 150


class OrganisationProvider(OpenIDConnectProvider):
    id = PROVIDER_ID
    name = "OpenID Connect"
    oauth2_adapter_class = OrganisationAdapter
    # Signing in by posting an ID token (allauth's headless API) would skip the nonce.
    supports_token_authentication = False

    @property
    def issuer(self) -> str:
        return self.app.settings["server_url"]

    @property
    def server_url(self) -> str:
        return self.issuer.rstrip("/") + WELL_KNOWN

    @property
    def username_claim(self) -> str:
        return self.app.settings.get("username_claim", "email")

    def get_login_url(self, request: HttpRequest, **kwargs) -> str:
        url = reverse("oidc_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self) -> str:
        return reverse("oidc_callback")

    def get_oauth2_adapter(self, request: HttpRequest) -> OrganisationAdapter:
        return OrganisationAdapter(request)

    def get_pkce_params(self) -> dict:
        return generate_code_challenge()

    def get_redirect_from_request_kwargs(self, request: HttpRequest) -> dict:
        """A plain sign-in with the configured scopes, whatever the request asks for: never `process=connect`,
        which would link the provider's account to whoever is signed in."""
        kwargs = {
            "process": AuthProcess.LOGIN,
            "scope": self.get_scope(),
            "auth_params": self.get_auth_params(),
        }
        if next_url := get_next_redirect_url(request):
            kwargs["next_url"] = next_url
        return kwargs

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        """Send the browser to the provider with a fresh nonce, kept in the sign-in's state (in the session)
        for the ID token to be checked against."""
        nonce = secrets.token_urlsafe(32)
        auth_params = {**(kwargs.pop("auth_params", None) or self.get_auth_params()), "nonce": nonce}
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )

    def verify_token(self, request: HttpRequest, token):
        raise get_adapter().validation_error("invalid_token")

    def extract_uid(self, data: dict) -> str:
        return data["id_token"]["sub"]

    def extract_common_fields(self, data: dict) -> dict:
        """The user's username (as the configured claim gives it) and names. Not their email address: allauth
        would match it against other accounts' (dsr.signin.adapter sets it once the account is made)."""
        claims = self.claims(data)
        return {
            "username": claims[self.username_claim],
            "first_name": _text(claims.get("given_name")),
            "last_name": _text(claims.get("family_name")),
            "name": _text(claims.get("name")),
        }

    def extract_email_addresses(self, data: dict) -> list:
        return []

    def claims(self, data: dict) -> dict:
        """What the provider says about the user: the ID token's claims, and the userinfo's beside them."""
        return {**data.get("userinfo", {}), **data["id_token"]}

    def asked_for_second_factor(self, id_token: dict) -> bool:
        """The provider says it asked for a second factor: an `amr` value or the `acr` configured to count."""
        amr = id_token.get("amr")
        said = {value for value in amr if isinstance(value, str)} if isinstance(amr, list) else set()
        if said & set(self.app.settings.get("second_factor_amr", [])):
            return True
        acr = id_token.get("acr")
        return isinstance(acr, str) and acr in self.app.settings.get("second_factor_acr", [])


def configured_provider(request: HttpRequest) -> OrganisationProvider | None:
    """The organisation's provider, or None when OpenID Connect is not set up (no OIDC_ISSUER)."""
    try:
        return get_adapter(request).get_provider(request, PROVIDER_ID)
    except SocialApp.DoesNotExist:
        return None


def _text(value) -> str:
    return value[:LONGEST_NAME] if isinstance(value, str) else ""


provider_classes = [OrganisationProvider]
