"""Signing in through the organisation's OpenID Connect provider: allauth's OAuth 2.0 views, with an adapter
that checks the ID token fully whichever way it came (dsr.signin.oidc.id_token), with the nonce this sign-in
sent, and an NHS.UK page instead of a 500 when the provider cannot be reached."""

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from requests import RequestException

from dsr.signin.oidc.id_token import verified_claims
from dsr.signin.oidc.refusals import SignInRefused

PROVIDER_ID = "oidc"
# What a discovery document must give for a sign-in (the userinfo endpoint is optional).
DISCOVERED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
# allauth's limit on a social account's uid.
LONGEST_SUB = 191


class OrganisationAdapter(OpenIDConnectOAuth2Adapter):
    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request, PROVIDER_ID)
        # This sign-in's state (its nonce and PKCE verifier), once the callback has taken it from the session.
        self.state: dict | None = None

    @property
    def openid_config(self) -> dict:
        """The provider's discovery document, which must be the configured issuer's own (OpenID Connect
        Discovery 4.3), so that no other provider's tokens are taken for it."""
        config = super().openid_config
        if any(not isinstance(config.get(name), str) for name in DISCOVERED):
            raise SignInRefused("the provider's discovery document is incomplete")
        if config["issuer"] != self.get_provider().issuer:
            raise SignInRefused("the provider's discovery document names another issuer")
        return config

    def get_callback_url(self, request: HttpRequest, app) -> str:
        return build_absolute_uri(request, reverse("oidc_callback"), self.redirect_uri_protocol)

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        """Who signed in: the ID token's claims, checked whatever allauth would skip, with the userinfo's
        when it is about the same person."""
        provider = self.get_provider()
        id_token = kwargs["response"].get("id_token")
        if not isinstance(id_token, str):
            raise SignInRefused("the provider sent no ID token")
        claims = verified_claims(
            id_token,
            keys=self._get_json(self.openid_config["jwks_uri"]),
            issuer=provider.issuer,
            client_id=app.client_id,
            nonce=(self.state or {}).get("nonce"),
        )
        if len(claims["sub"]) > LONGEST_SUB:
            raise SignInRefused("the ID token's sub is too long to keep")
        userinfo = self._userinfo(token.token, sub=claims["sub"])
        username = {**userinfo, **claims}.get(provider.username_claim)
        if not isinstance(username, str) or not username.strip():
            raise SignInRefused(f"the provider sent no {provider.username_claim!r} to name the user by")
        return provider.sociallogin_from_response(request, {"id_token": claims, "userinfo": userinfo})

    def _userinfo(self, access_token: str, *, sub: str) -> dict:
        if "userinfo_endpoint" not in self.openid_config:
            return {}
        userinfo = self._fetch_user_info(access_token)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != sub:
            raise SignInRefused("the provider's userinfo is about someone other than the ID token")
        return userinfo

    def _get_json(self, url: str) -> dict:
        with get_adapter().get_requests_session() as session:
            response = session.get(url)
            response.raise_for_status()
            return response.json()


class LoginView(OAuth2LoginView):
    """A POST sends the browser to the provider (a GET shows a page with the button that posts)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().dispatch(request, *args, **kwargs)
        except (OAuth2Error, RequestException) as error:
            return render_authentication_error(request, self.get_provider(), exception=error)


class CallbackView(OAuth2CallbackView):
    """Where the provider sends the browser back: the state is taken from the session (once only), the code
    exchanged with the PKCE verifier, and the ID token checked with the state's nonce."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().dispatch(request, *args, **kwargs)
        except (OAuth2Error, RequestException) as error:
            return render_authentication_error(request, self.adapter.get_provider(), exception=error)

    def _get_state(self, request: HttpRequest, provider):
        # allauth hands the adapter the token endpoint's answer but not the state: without it the nonce check
        # refuses every sign-in, so a change here in allauth fails safe (and the tests fail).
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response


@login_not_required
def login(request: HttpRequest) -> HttpResponse:
    try:
        return LoginView.adapter_view(OrganisationAdapter)(request)
    except SocialApp.DoesNotExist:
        raise Http404("OpenID Connect is not set up") from None


@login_not_required
def callback(request: HttpRequest) -> HttpResponse:
    try:
        return CallbackView.adapter_view(OrganisationAdapter)(request)
    except SocialApp.DoesNotExist:
        raise Http404("OpenID Connect is not set up") from None
