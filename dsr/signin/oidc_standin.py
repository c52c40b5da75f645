"""A local stand-in for an OpenID Connect provider (NHS CIS2, Microsoft Entra ID), for tests and for trying
the organisation's sign-in without one.

It speaks the authorization code flow with PKCE as the app uses it: discovery
(/.well-known/openid-configuration), its signing keys (/jwks), an authorize endpoint that signs the
configured person in at once (no form) and sends the browser back to the redirect URI with a code and the
state, a token endpoint that checks the client's id and secret, the code (once only, for the client and
redirect URI it was given to) and the PKCE verifier, and answers with an RS256-signed ID token (iss, aud,
exp, nonce, amr, acr), and userinfo. Like a real provider, it refuses an authorization request without an
S256 code challenge. It accepts any redirect URI: a real provider sends the browser only to those
registered with it.

Switches make it misbehave as the tests need: `sign_with_unknown_key` (a key it does not publish, under
its published key's id), `wrong_audience`, `expired`, `wrong_nonce`, `algorithm` ("HS256" signs with the
client secret, "none" not at all), `userinfo_about_someone_else`, and `authorize_error` (send the browser
back with that error, "access_denied" as when the person cancels). `refused` lists why it refused
requests.

Run it on its own with `python -m dsr.signin.oidc_standin` (see docs/operations.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from dsr.loopback import LoopbackServer

DISCOVERY_PATH = "/.well-known/openid-configuration"
AUTHORIZE_PATH = "/authorize"
TOKEN_PATH = "/token"  # noqa: S105 (a path, not a secret)
USERINFO_PATH = "/userinfo"
JWKS_PATH = "/jwks"
TOKEN_SECONDS = 300
# Someone made up, as a provider would describe them.
PERSON = {
    "sub": "standin-0001",
    "email": "alex.taylor@example.org",
    "email_verified": True,
    "preferred_username": "alex.taylor@example.org",
    "name": "Alex Taylor",
    "given_name": "Alex",
    "family_name": "Taylor",
}


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Grant:
    """An authorization code the stand-in gave, and what it was given for."""

    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None


@dataclass
class OpenIDConnectStandIn(LoopbackServer):
    """An OpenID Connect provider on 127.0.0.1 that signs in `person` (with `userinfo_only` claims in the
    userinfo alone, as CIS2 keeps `uid`), having checked them with the `amr` methods and `acr` given."""

    client_id: str = "dsr-standin"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    port: int = 0
    person: dict[str, Any] = field(default_factory=lambda: dict(PERSON))
    userinfo_only: dict[str, Any] = field(default_factory=dict)
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    acr: str | None = None
    # Misbehaviour, for the tests.
    sign_with_unknown_key: bool = False
    wrong_audience: bool = False
    expired: bool = False
    wrong_nonce: bool = False
    algorithm: str = "RS256"
    userinfo_about_someone_else: bool = False
    authorize_error: str | None = None
    # What it did.
    refused: list[str] = field(default_factory=list)
    signed_in: list[str] = field(default_factory=list)  # the `sub` of each ID token it issued
    _key: rsa.RSAPrivateKey = field(default_factory=_private_key)
    _unknown_key: rsa.RSAPrivateKey = field(default_factory=_private_key)
    _kid: str = field(default_factory=lambda: secrets.token_hex(8))
    _grants: dict[str, Grant] = field(default_factory=dict)
    _access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": self.url + AUTHORIZE_PATH,
            "token_endpoint": self.url + TOKEN_PATH,
            "userinfo_endpoint": self.url + USERINFO_PATH,
            "jwks_uri": self.url + JWKS_PATH,
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def jwks(self) -> dict[str, Any]:
        key = jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return {"keys": [{**key, "kid": self._kid, "alg": "RS256", "use": "sig"}]}

    def _refuse(self, why: str, status: int, error: str) -> _Refused:
        """Note why it refused a request; the error to answer it with."""
        with self._lock:
            self.refused.append(why)
        return _Refused(status, error)

    def authorize(self, query: dict[str, str]) -> str:
        """Where to send the browser back to: the redirect URI with a code and the state, or with an error."""
        if query.get("client_id") != self.client_id:
            raise self._refuse("client_id", 400, "invalid_client")
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://", "https://")):
            raise self._refuse("redirect_uri", 400, "invalid_request")
        back = {"state": query["state"]} if "state" in query else {}
        try:
            if query.get("response_type") != "code":
                raise self._refuse("response_type", 302, "unsupported_response_type")
            if "openid" not in query.get("scope", "").split():
                raise self._refuse("scope", 302, "invalid_scope")
            if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
                raise self._refuse("code_challenge", 302, "invalid_request")
        except _Refused as refusal:
            return f"{redirect_uri}?{urlencode({'error': refusal.error, **back})}"
        if self.authorize_error:
            return f"{redirect_uri}?{urlencode({'error': self.authorize_error, **back})}"
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._grants[code] = Grant(
                client_id=self.client_id,
                redirect_uri=redirect_uri,
                code_challenge=query["code_challenge"],
                nonce=query.get("nonce"),
            )
        return f"{redirect_uri}?{urlencode({'code': code, **back})}"

    def token(self, form: dict[str, str], authorization: str) -> dict[str, Any]:
        """The tokens for a code, once the client, the code and the PKCE verifier check out."""
        client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        scheme, _, credentials = authorization.partition(" ")
        if scheme == "Basic":
            client_id, _, client_secret = base64.b64decode(credentials).decode().partition(":")
        secret_matches = hmac.compare_digest(client_secret.encode(), self.client_secret.encode())
        if client_id != self.client_id or not secret_matches:
            raise self._refuse("client_secret", 401, "invalid_client")
        if form.get("grant_type") != "authorization_code":
            raise self._refuse("grant_type", 400, "unsupported_grant_type")
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code is good once
        if grant is None:
            raise self._refuse("code", 400, "invalid_grant")
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri"):
            raise self._refuse("redirect_uri", 400, "invalid_grant")
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or not hmac.compare_digest(challenge.encode(), grant.code_challenge.encode()):
            raise self._refuse("code_verifier", 400, "invalid_grant")
        access_token = secrets.token_urlsafe(32)
        with self._lock:
            self._access_tokens[access_token] = dict(self.person)
            self.signed_in.append(self.person["sub"])
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "id_token": self.id_token(grant),
        }

    def id_token(self, grant: Grant) -> str:
        issued = int(time.time()) - (3600 if self.expired else 0)
        claims = {
            **self.person,
            "iss": self.url,
            "aud": "someone-else" if self.wrong_audience else self.client_id,
            "iat": issued,
            "auth_time": issued,
            "exp": issued + TOKEN_SECONDS,
            "amr": list(self.amr),
        }
        if self.acr is not None:
            claims["acr"] = self.acr
        if self.wrong_nonce:
            claims["nonce"] = secrets.token_urlsafe(32)
        elif grant.nonce is not None:
            claims["nonce"] = grant.nonce
        if self.algorithm == "HS256":
            return jwt.encode(claims, self.client_secret, algorithm="HS256", headers={"kid": self._kid})
        if self.algorithm == "none":
            return jwt.encode(claims, None, algorithm="none")
        key = self._unknown_key if self.sign_with_unknown_key else self._key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self._kid})

    def userinfo(self, authorization: str) -> dict[str, Any]:
        scheme, _, token = authorization.partition(" ")
        with self._lock:
            person = self._access_tokens.get(token) if scheme == "Bearer" else None
        if person is None:
            raise self._refuse("access_token", 401, "invalid_token")
        if self.userinfo_about_someone_else:
            person = {**person, "sub": "someone-else"}
        return {**person, **self.userinfo_only}


class _Refused(Exception):
    def __init__(self, status: int, error: str):
        super().__init__(error)
        self.status = status
        self.error = error


class _Handler(BaseHTTPRequestHandler):
    standin: OpenIDConnectStandIn

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        try:
            if url.path == DISCOVERY_PATH:
                self._answer(200, self.standin.discovery())
            elif url.path == JWKS_PATH:
                self._answer(200, self.standin.jwks())
            elif url.path == AUTHORIZE_PATH:
                self._redirect(self.standin.authorize(query))
            elif url.path == USERINFO_PATH:
                self._answer(200, self.standin.userinfo(self.headers.get("Authorization", "")))
            else:
                self._answer(404, {"error": "not_found"})
        except _Refused as refusal:
            self._answer(refusal.status, {"error": refusal.error})

    def do_POST(self) -> None:
        if urlsplit(self.path).path != TOKEN_PATH:
            self._answer(404, {"error": "not_found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
        try:
            self._answer(200, self.standin.token(form, self.headers.get("Authorization", "")))
        except _Refused as refusal:
            self._answer(refusal.status, {"error": refusal.error})

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


OpenIDConnectStandIn.handler = _Handler
OpenIDConnectStandIn.thread_name = "oidc-standin"


def main() -> None:
    """Serve on a fixed port and print the settings that point the app at it."""
    import argparse

    parser = argparse.ArgumentParser(description="A local stand-in for an OpenID Connect provider")
    parser.add_argument("--port", type=int, default=8026)
    parser.add_argument("--email", default=PERSON["email"], help="who it signs in (also their username)")
    parser.add_argument("--name", default=PERSON["name"])
    parser.add_argument("--sub", default=PERSON["sub"], help="their id at the provider")
    parser.add_argument("--amr", default="pwd", help="comma-separated: how it says it checked them (mfa…)")
    options = parser.parse_args()
    given, _, family = options.name.partition(" ")
    person = {
        **PERSON,
        "sub": options.sub,
        "email": options.email,
        "preferred_username": options.email,
        "name": options.name,
        "given_name": given,
        "family_name": family,
    }
    amr = [value.strip() for value in options.amr.split(",") if value.strip()]
    standin = OpenIDConnectStandIn(port=options.port, person=person, amr=amr).start()
    print("OpenID Connect stand-in listening. Start the app with:")
    print(f"  export OIDC_ISSUER={standin.url}")
    print(f"  export OIDC_CLIENT_ID={standin.client_id}")
    print(f"  export OIDC_CLIENT_SECRET={standin.client_secret}")
    print("  export OIDC_DISPLAY_NAME='the OpenID Connect stand-in'")
    print(f"It signs in {options.email} ({options.sub}), amr {amr}, without asking.", flush=True)
    signed_in = refused = 0
    try:
        while True:
            time.sleep(1)
            for sub in standin.signed_in[signed_in:]:
                print(f"Gave an ID token for {sub}", flush=True)
            for why in standin.refused[refused:]:
                print(f"Refused a request: wrong {why}", flush=True)
            signed_in, refused = len(standin.signed_in), len(standin.refused)
    except KeyboardInterrupt:
        standin.stop()


if __name__ == "__main__":
    main()
