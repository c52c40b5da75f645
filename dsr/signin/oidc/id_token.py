"""Checking an ID token as OpenID Connect Core 1.0 (3.1.3.7) asks, however it reached us: signed with one of
the provider's published keys by an asymmetric algorithm, by the expected issuer, for this client, not
expired, and carrying the nonce this sign-in sent."""

import hmac

import jwt

from dsr.signin.oidc.refusals import SignInRefused

# Never HS256 (the key would be the client secret, which the provider is not the only one to hold) or none.
ALGORITHMS = ["RS256", "PS256", "ES256"]
# For clocks a little out between the provider and us.
LEEWAY_SECONDS = 60
# What each of PyJWT's refusals means, most specific first.
REFUSALS = [
    (jwt.InvalidSignatureError, "the ID token's signature does not match the provider's key"),
    (jwt.ExpiredSignatureError, "the ID token has expired"),
    (jwt.ImmatureSignatureError, "the ID token is not valid yet"),
    (jwt.InvalidAudienceError, "the ID token is for another client"),
    (jwt.InvalidIssuerError, "the ID token is from another issuer"),
    (jwt.MissingRequiredClaimError, "the ID token lacks a claim it must have"),
    (jwt.InvalidTokenError, "the ID token is not valid"),
]


def verified_claims(token: str, *, keys: dict, issuer: str, client_id: str, nonce: str | None) -> dict:
    """The ID token's claims, once every check has passed; SignInRefused otherwise."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as error:
        raise SignInRefused("the ID token is not a JSON Web Token") from error
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise SignInRefused("the ID token is not signed with an algorithm allowed (RS256, PS256, ES256)")
    key = signing_key(keys, kid=header.get("kid"), algorithm=algorithm)
    try:
        claims = jwt.decode(
            token,
            key=key,
            algorithms=[algorithm],
            audience=client_id,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.InvalidTokenError as error:
        raise SignInRefused(next(reason for kind, reason in REFUSALS if isinstance(error, kind))) from error
    if not nonce or not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
        raise SignInRefused("the ID token's nonce is not the one this sign-in sent")
    # Core 3.1.3.7 (4, 5): a token for several audiences must say which client it was issued to.
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != client_id:
        raise SignInRefused("the ID token was issued to another client")
    if not isinstance(claims["sub"], str) or not claims["sub"]:
        raise SignInRefused("the ID token names nobody")
    return claims


def signing_key(keys: dict, *, kid: str | None, algorithm: str) -> jwt.PyJWK:
    """The provider's published signing key the token names (or its only one), for this algorithm."""
    published = keys.get("keys") if isinstance(keys, dict) else None
    if not isinstance(published, list):
        raise SignInRefused("the provider's keys are not a JSON Web Key Set")
    found = [
        key
        for key in published
        if isinstance(key, dict) and key.get("use", "sig") == "sig" and (kid is None or key.get("kid") == kid)
    ]
    if len(found) != 1:
        raise SignInRefused("none of the provider's published keys is the one the ID token names")
    if found[0].get("alg", algorithm) != algorithm:
        raise SignInRefused("the provider's key is for another algorithm than the ID token's")
    try:
        return jwt.PyJWK(found[0], algorithm=algorithm)
    except jwt.PyJWTError as error:
        raise SignInRefused("the provider's key does not fit the ID token's algorithm") from error
