"""Check a running register answers as it should: the sign-in page, the public referral form, a
stylesheet, the health check, and a page behind sign-in with a second factor.

    python scripts/smoke_test.py https://dsr.example.nhs.uk --username smoke --password ... --totp-secret ...

With --totp-secret (the account's authenticator app key) it signs in with a code, as a person would.
Without it, the account must have no second factor yet: the script checks that no record can be reached
until one is set up, then sets up an authenticator app itself (use a throwaway account). Exits non-zero,
saying which check failed, if any did. Used after a deployment, and by CI against gunicorn with the
production settings.
"""

import argparse
import base64
import hashlib
import hmac
import re
import struct
import sys
import time
from functools import partial
from urllib.parse import urljoin

import requests

TIMEOUT = 30


def check(ok: bool, what: str) -> None:
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        sys.exit(1)


def totp(secret: str) -> str:
    """The code an authenticator app shows now for this key (RFC 6238: 30 seconds, 6 digits, SHA-1)."""
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def form_tokens(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrfmiddlewaretoken)" value="([^"]+)"', html))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--signed-in-page", default="/people/")
    parser.add_argument("--ca-file", help="a certificate to trust for HTTPS (a test certificate, say)")
    parser.add_argument("--totp-secret", help="the account's authenticator app key, to sign in with a code")
    args = parser.parse_args()
    site = requests.Session()
    if args.ca_file:
        # Not site.verify: requests lets REQUESTS_CA_BUNDLE in the environment override that.
        site.request = partial(site.request, verify=args.ca_file)  # type: ignore[method-assign]

    sign_in = site.get(urljoin(args.base_url, "/sign-in/"), timeout=TIMEOUT)
    check(sign_in.status_code == 200, f"sign-in page answers 200 (got {sign_in.status_code})")
    refer = site.get(urljoin(args.base_url, "/refer/"), timeout=TIMEOUT)
    check(refer.status_code == 200, f"public referral form answers 200 (got {refer.status_code})")

    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', sign_in.text)
    check(bool(stylesheets), "the sign-in page links its stylesheets")
    for href in stylesheets:
        css = site.get(urljoin(args.base_url, href), timeout=TIMEOUT)
        check(
            css.status_code == 200 and "text/css" in css.headers.get("Content-Type", ""),
            f"stylesheet {href} answers 200 as CSS (got {css.status_code})",
        )

    health = site.get(urljoin(args.base_url, "/healthz"), timeout=TIMEOUT)
    check(health.status_code == 200, f"health check answers 200 (got {health.status_code}: {health.text})")

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', sign_in.text)
    check(token is not None, "the sign-in form carries a CSRF token")
    signed_in = site.post(
        urljoin(args.base_url, "/sign-in/"),
        data={"login": args.username, "password": args.password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": urljoin(args.base_url, "/sign-in/")},
        timeout=TIMEOUT,
    )
    check(signed_in.status_code == 200, f"{args.username}'s password is accepted")
    page_url = urljoin(args.base_url, args.signed_in_page)
    if args.totp_secret:
        check("Enter your security code" in signed_in.text, "a security code is asked for")
        coded = site.post(
            signed_in.url,
            data={"code": totp(args.totp_secret), **form_tokens(signed_in.text)},
            headers={"Referer": signed_in.url},
            timeout=TIMEOUT,
        )
        check(coded.status_code == 200 and "Sign out" in coded.text, f"{args.username} signs in with a code")
    else:
        held = site.get(page_url, timeout=TIMEOUT, allow_redirects=False)
        check(
            held.status_code == 302 and "/account/security/" in held.headers.get("Location", ""),
            f"{args.signed_in_page} is out of reach until a second factor is set up",
        )
        setup_url = urljoin(args.base_url, "/account/security/totp/activate/")
        setup = site.get(setup_url, timeout=TIMEOUT)
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', setup.text)
        check(secret is not None, "the authenticator app set-up page shows its key")
        done = site.post(
            setup_url,
            data={"code": totp(secret.group(1)), **form_tokens(setup.text)},
            headers={"Referer": setup_url},
            timeout=TIMEOUT,
        )
        set_up = done.status_code == 200 and "Your recovery codes" in done.text
        check(set_up, "an authenticator app is set up")
    page = site.get(page_url, timeout=TIMEOUT, allow_redirects=False)
    answer = page.status_code
    check(answer == 200, f"{args.signed_in_page} answers 200 when signed in (got {answer})")


if __name__ == "__main__":
    main()
