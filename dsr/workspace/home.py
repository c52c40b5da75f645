"""Home, choosing the register to work in, and signing out."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dsr.access import choose_register, scope_for


def home(request: HttpRequest) -> HttpResponse:
    """Send each user to where their role works."""
    scope = scope_for(request)
    page = scope.home_page()
    if page is not None:
        return redirect(page)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "registers/no_access.jinja", {"scope": scope})


@require_POST
def switch_register(request: HttpRequest) -> HttpResponse:
    if not choose_register(request, request.POST.get("register", "")):
        messages.error(request, "You are not a member of that register")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    # Filters and pages belong to the register being left.
    return redirect(target.split("?")[0])


logout = auth_views.LogoutView.as_view()
