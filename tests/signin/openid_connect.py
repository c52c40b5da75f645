"""Signing in through a stand-in OpenID Connect provider the tests run (dsr.signin.oidc_standin), as a
browser would: the app's pages through the Django test client, the provider's through `requests`."""

from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from django.urls import reverse

from dsr.signin.oidc_standin import OpenIDConnectStandIn

LOGIN = reverse("oidc_login")
CALLBACK = reverse("oidc_callback")
NAME = "NHS Care Identity Service 2"


def providers(issuer: str, client_id: str, secret: str, **app_settings) -> dict:
    """SOCIALACCOUNT_PROVIDERS as config/settings.py makes it from the OIDC_* variables (their defaults,
    but for the name on the button)."""
    return {
        "oidc": {
            "APPS": [
                {
                    "provider_id": f"oidc:{issuer}",
                    "name": NAME,
                    "client_id": client_id,
                    "secret": secret,
                    "settings": {
                        "server_url": issuer,
                        "scope": ["openid", "profile", "email"],
                        "username_claim": "email",
                        "second_factor_amr": ["mfa"],
                        "second_factor_acr": [],
                        **app_settings,
                    },
                }
            ]
        }
    }


def configure(settings, standin: OpenIDConnectStandIn, **app_settings) -> None:
    """Point the app at the stand-in, with these of the provider's settings changed."""
    settings.SOCIALACCOUNT_PROVIDERS = providers(
        standin.url, standin.client_id, standin.client_secret, **app_settings
    )


def start(client, next_url: str = "") -> str:
    """Press "Sign in with …": the app sends the browser to the provider's authorize URL."""
    response = client.post(LOGIN, {"next": next_url} if next_url else {})
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def at_provider(authorize_url: str) -> str:
    """The provider signs the person in and sends the browser back: the callback URL, with code and state."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def sign_in(client, next_url: str = ""):
    """The whole round trip: the app's answer to the provider sending the browser back."""
    return client.get(at_provider(start(client, next_url)))


def query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def with_query(url: str, **values: str) -> str:
    return f"{urlsplit(url).path}?{urlencode(values)}"


def signed_in_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def assert_refused(response, client) -> None:
    """The NHS.UK page that says sign-in did not work, and nobody signed in."""
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sign in did not work" in page
    assert "username and password" in page
    assert signed_in_id(client) is None
