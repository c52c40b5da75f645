"""The privacy notice, the accessibility statement and the cookies page."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dsr.about.selectors import published_registers


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    """What the register collects, why, who sees it, for how long, and each register's contacts."""
    return render(request, "about/privacy.jinja", {"registers": published_registers()})


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "about/accessibility.jinja", {"registers": published_registers()})


@login_not_required
def cookies(request: HttpRequest) -> HttpResponse:
    context = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
    }
    return render(request, "about/cookies.jinja", context)
