"""Check a running register answers as it should: the sign-in page, the public referral form, a
stylesheet, the health check, and a page behind sign-in.

    python scripts/smoke_test.py http://127.0.0.1:8000 --username coordinator --password dsr-demo

Exits non-zero, saying which check failed, if any did. Used after a deployment, and by CI against
gunicorn with the production settings.
"""

import argparse
import re
import sys
from functools import partial
from urllib.parse import urljoin

import requests

TIMEOUT = 30


def check(ok: bool, what: str) -> None:
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--signed-in-page", default="/people/")
    parser.add_argument("--ca-file", help="a certificate to trust for HTTPS (a test certificate, say)")
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
        data={"username": args.username, "password": args.password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": urljoin(args.base_url, "/sign-in/")},
        timeout=TIMEOUT,
    )
    check(signed_in.status_code == 200 and "Sign out" in signed_in.text, f"{args.username} signs in")
    page = site.get(urljoin(args.base_url, args.signed_in_page), timeout=TIMEOUT, allow_redirects=False)
    answer = page.status_code
    check(answer == 200, f"{args.signed_in_page} answers 200 when signed in (got {answer})")


if __name__ == "__main__":
    main()
