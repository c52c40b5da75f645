"""Home, today's work, choosing the register to work in, and signing out."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dsr import audit
from dsr.access import choose_register, scope_for
from dsr.dates import today
from dsr.workspace.today import todays_work


def home(request: HttpRequest) -> HttpResponse:
    """Send each user to where their role works."""
    scope = scope_for(request)
    page = scope.home_page()
    if page is not None:
        return redirect(page)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "registers/no_access.jinja", {"scope": scope})


def today_page(request: HttpRequest) -> HttpResponse:
    """What is due or overdue for the user, most urgent first (dsr.workspace.today)."""
    scope = scope_for(request)
    if not (scope.registers_for("see_register_list") or scope.registers_for("follow_own_referrals")):
        raise PermissionDenied
    work = todays_work(scope, today())
    people = list(work.shown_people.values())
    audit.record_list(
        by=request.user,
        shown=people,
        what="todays_work",
        detail={"people": len(people)},
        referrals=work.shown_referrals,
    )
    context = {"work": work, "show_register": scope.current is None and len(scope.all_registers) > 1}
    return render(request, "workspace/today.jinja", context)


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
