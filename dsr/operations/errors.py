"""Error pages in the design system's words.

The 500 and 503 pages are rendered without the request's context processors: they must still show
when the database or the session store is what failed.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.jinja", status=404)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "errors/403.jinja", {"reason": reason}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return _standalone(request, "errors/500.jinja", status=500)


def busy(request: HttpRequest) -> HttpResponse:
    """The database did not answer in time (a statement or lock timeout): nothing was saved."""
    response = _standalone(request, "errors/503.jinja", status=503)
    response["Retry-After"] = "30"
    return response


def _standalone(request: HttpRequest, template: str, *, status: int) -> HttpResponse:
    context = {"cspNonce": str(getattr(request, "csp_nonce", ""))}
    return HttpResponse(render_to_string(template, context), status=status)
