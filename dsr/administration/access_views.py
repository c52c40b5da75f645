"""The information governance officer's pages about who may do what: the changes to roles and memberships
in a period, and the requests for access waiting for a second person's decision."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from dsr.access import Scope, scope_for
from dsr.administration import presenters, selectors, services
from dsr.administration.forms import DecisionForm, PeriodForm

PAGE_SIZE = 50


def _ig_scope(request: HttpRequest) -> Scope:
    scope = scope_for(request)
    if not selectors.governed_registers(scope):
        raise PermissionDenied
    return scope


def _audit_trail(**query) -> str:
    """The audit trail, filtered: to one event, or to what one user did in a period."""
    for name in ("since", "until"):
        day = query.pop(name, None)
        if isinstance(day, datetime.date):
            query.update({f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year})
    return reverse("governance:audit_trail") + "?" + urlencode(query)


@require_GET
def access_changes(request: HttpRequest) -> HttpResponse:
    """Roles given, changed and removed, and requests for access made and decided, in a period (the last 30
    days unless chosen), for the registers where the user is an IG officer."""
    scope = _ig_scope(request)
    form = PeriodForm.from_query(request.GET)
    since, until = form.period()
    page = Paginator(selectors.access_changes(scope, since=since, until=until), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    names = {register.pk: register.name for register in scope.all_registers}
    rows = [presenters.access_change(event, names) for event in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "access/changes.jinja",
        {
            "form": form,
            "since": since,
            "until": until,
            "waiting": list(selectors.waiting_requests(scope)),
            "page": page,
            "rows": [
                (
                    row,
                    _audit_trail(event=row.event.pk),
                    _audit_trail(username=row.whose, since=since, until=until) if row.whose else "",
                )
                for row in rows
            ],
            "query": query.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, grant_id) -> HttpResponse:
    """Approve or decline a request for access: never the person who asked for it, nor the one it is for."""
    grant = selectors.grant_request(_ig_scope(request), grant_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.decide(grant=grant, approve=approve, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{grant.describe()} {'approved' if approve else 'declined'} for {grant.user}"
            )
            return redirect("access:changes")
    return render(
        request,
        "access/decide.jinja",
        {"form": form, "grant": grant, "may_decide": services.may_decide(grant, request.user)},
    )
