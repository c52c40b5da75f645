"""The address a request came from, the same for the audit trail, the sign-in lockout and the
public form's rate limit.

Behind a reverse proxy or a load balancer, REMOTE_ADDR is the proxy's. Each proxy appends the
address it received the request from to X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies in
front of the app the client is that many entries from the right. Entries further left were written
by whoever sent the request and are never believed. See docs/adr/0007-client-address.md.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: from X-Forwarded-For only as far as the trusted proxies vouch for it."""
    direct = _address(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies == 0:
        return direct
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    if len(forwarded) < proxies:
        # Not every proxy added its hop: the request did not come the way the deployment says.
        return direct
    return _address(forwarded[-proxies]) or direct


def _address(text: str) -> str | None:
    """An IP address in its normal form; some proxies add a port ("192.0.2.1:5000", "[2001:db8::1]:80")."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
