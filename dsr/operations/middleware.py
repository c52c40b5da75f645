"""What every response goes through: a request id and a log line, no caching of pages, and a clear
page when the database is too busy to answer."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty

from dsr.operations import logs
from dsr.operations.errors import busy

logger = logging.getLogger("dsr.requests")

# A request id a trusted proxy may pass on (X-Request-ID), so its logs and ours line up.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestLogMiddleware:
    """Give each request an id (X-Request-ID on the response) and end it with one log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        trusted = settings.TRUSTED_PROXY_COUNT > 0 and REQUEST_ID.fullmatch(incoming)
        request_id = incoming if trusted else uuid.uuid4().hex
        id_token = logs.request_id.set(request_id)
        user_token = logs.user_id.set(None)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            logs.user_id.set(_signed_in_user_id(request))
            response["X-Request-ID"] = request_id
            match = request.resolver_match
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "route": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            logs.user_id.reset(user_token)
            logs.request_id.reset(id_token)


def _signed_in_user_id(request: HttpRequest) -> int | None:
    """The user's id if the request already looked the user up; never a query just for the log."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class NoStoreMiddleware:
    """No page is kept by the browser or a proxy: pages show person data, and the public form shows
    what a family typed. (Static files are served before this, with their own long cache headers.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class DatabaseBusyMiddleware:
    """A request the database gave up on (a statement or lock timeout, or no connection) ends with
    the "try again; nothing was saved" page. Nothing was: the request's transaction was rolled back
    before this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not gave_up(exception):
            return None
        logger.warning("The database did not answer in time", exc_info=exception)
        return busy(request)


# PostgreSQL's codes for giving up: statement timeout, lock timeout, deadlock, serialization failure.
GAVE_UP = {"57014", "55P03", "40P01", "40001"}


def gave_up(exception: BaseException) -> bool:
    """Whether the database gave up on the request (or could not be reached), rather than refusing it
    for a fault in the code, such as a missing table."""
    if not isinstance(exception, OperationalError):
        return False
    sqlstate = getattr(exception.__cause__, "sqlstate", None) or ""
    if sqlstate in GAVE_UP or sqlstate.startswith("08"):  # class 08: connection exceptions
        return True
    # SQLite: "database is locked" after its busy timeout, "database table is locked" between
    # connections that share a cache.
    return "is locked" in str(exception)
