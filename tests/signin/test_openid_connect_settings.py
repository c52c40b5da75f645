"""OpenID Connect is set up from the environment (docs/configuration.md), and a setting that makes no sense
stops the app from starting."""

import json

import pytest

from tests.test_settings import run_manage

CIS2 = "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"
SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({'providers': "
    "s.SOCIALACCOUNT_PROVIDERS, 'form_action': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']}))"
)


def settings_with(**env: str) -> dict:
    result = run_manage("shell", "-c", SHOW, DEBUG="true", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_variables_set_up_the_provider_and_let_the_sign_in_page_send_the_browser_to_it():
    shown = settings_with(
        OIDC_ISSUER=CIS2,
        OIDC_CLIENT_ID="dsr-client",
        OIDC_CLIENT_SECRET="a-secret",  # noqa: S106
        OIDC_SCOPES="openid profile email nationalrbacaccess",
        OIDC_USERNAME_CLAIM="uid",
        OIDC_DISPLAY_NAME="NHS Care Identity Service 2",
        OIDC_SECOND_FACTOR_AMR="",
        OIDC_SECOND_FACTOR_ACR="AAL3_ANY",
    )
    assert shown["providers"] == {
        "oidc": {
            "APPS": [
                {
                    "provider_id": f"oidc:{CIS2}",
                    "name": "NHS Care Identity Service 2",
                    "client_id": "dsr-client",
                    "secret": "a-secret",
                    "settings": {
                        "server_url": CIS2,
                        "scope": ["openid", "profile", "email", "nationalrbacaccess"],
                        "username_claim": "uid",
                        "second_factor_amr": [],
                        "second_factor_acr": ["AAL3_ANY"],
                    },
                }
            ]
        }
    }
    assert shown["form_action"] == ["'self'", "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443"]


def test_without_an_issuer_openid_connect_is_off():
    assert settings_with() == {"providers": {}, "form_action": ["'self'"]}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set when OIDC_ISSUER is"),
        ({"OIDC_ISSUER": "http://login.example.org"}, "OIDC_ISSUER must be an https:// address"),
        ({"OIDC_SCOPES": "profile email"}, "OIDC_SCOPES must include openid"),
    ],
    ids=["no secret", "plain http", "no openid scope"],
)
def test_a_setting_that_makes_no_sense_stops_the_app(env, message):
    configured = {"OIDC_ISSUER": CIS2, "OIDC_CLIENT_ID": "dsr-client", "OIDC_CLIENT_SECRET": "a-secret"}
    result = run_manage("check", DEBUG="true", **{**configured, **env})
    assert result.returncode != 0
    assert message in result.stderr
