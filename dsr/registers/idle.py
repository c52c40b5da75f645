"""Signing out after a time without activity (SESSION_IDLE_MINUTES, 30 by default).

A record left open on an unattended screen is a disclosure. Each request from a signed-in user counts
as activity; after the idle time the next request signs them out and the sign-in page says why. With
JavaScript, the page warns two minutes before and offers to stay signed in (the NHS.UK pattern for a
session timeout); the page asks the server how long is left, so activity in another tab counts too.
"""

import math
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

LAST_ACTIVE = "last_active"
# Activity is written to the session at most this often, so reading pages does not write each time.
RECORD_EVERY_SECONDS = 60
# The views that report on the session without counting as activity themselves.
NOT_ACTIVITY = {"session_status"}
SIGNED_OUT_IDLE = "idle"
# The warning shows this long before the user would be signed out.
WARN_SECONDS = 120


def idle_seconds() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


def seconds_left(request: HttpRequest, now: float | None = None) -> int:
    """How long the signed-in user has before they are signed out for inactivity."""
    now = time.time() if now is None else now
    last = request.session.get(LAST_ACTIVE, now)
    # Rounded up, so 0 means the idle time has run out, not that less than a second is left.
    return max(0, math.ceil(last + idle_seconds() - now))


class IdleTimeoutMiddleware:
    """Sign out a user who has done nothing for the idle time; otherwise note their activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and seconds_left(request) == 0:
            logout(request)
            return _to_sign_in(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if not request.user.is_authenticated or request.resolver_match.url_name in NOT_ACTIVITY:
            return
        now = time.time()
        last = request.session.get(LAST_ACTIVE)
        if last is None or now - last >= RECORD_EVERY_SECONDS:
            request.session[LAST_ACTIVE] = now


def note_sign_in(sender, request: HttpRequest, user, **kwargs) -> None:
    """Signing in is activity: the idle time runs from here."""
    request.session[LAST_ACTIVE] = time.time()


def timeout_settings(request: HttpRequest) -> dict:
    """What the page's script needs to warn before the user is signed out."""
    return {
        "secondsLeft": seconds_left(request),
        "warnSeconds": WARN_SECONDS,
        "statusUrl": reverse("session_status"),
        "keepAliveUrl": reverse("session_keep_alive"),
        "signInUrl": f"{reverse('login')}?{urlencode({'signed_out': SIGNED_OUT_IDLE})}",
    }


def _to_sign_in(request: HttpRequest) -> HttpResponse:
    query = {"signed_out": SIGNED_OUT_IDLE}
    if back_to := _page_to_come_back_to(request):
        query["next"] = back_to
    url = f"{reverse('login')}?{urlencode(query)}"
    if request.headers.get("HX-Request"):  # an htmx request: send the whole page to sign in
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _page_to_come_back_to(request: HttpRequest) -> str | None:
    """Where signing in again should lead: the page the browser shows.

    An htmx request is for part of a page (a filtered list, notes saved as typed), so the page is the
    one htmx says it was sent from. A form posted without htmx has no page of its own to go back to.
    """
    if request.headers.get("HX-Request"):
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
        if page.netloc == request.get_host() and page.path:
            return f"{page.path}?{page.query}" if page.query else page.path
    if request.method == "GET" and not request.path.startswith(reverse("login")):
        return request.get_full_path()
    return None


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long is left before the user is signed out (does not count as activity)."""
    return JsonResponse({"secondsLeft": seconds_left(request)})


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """The user chose to stay signed in."""
    request.session[LAST_ACTIVE] = time.time()
    return JsonResponse({"secondsLeft": seconds_left(request)})
