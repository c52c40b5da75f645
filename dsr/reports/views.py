from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dsr.access import scope_for
from dsr.reports import selectors
from dsr.reports.presenters import figures_table


def summary(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.registers_for("see_reports"):
        raise PermissionDenied
    return render(
        request,
        "reports/summary.jinja",
        {
            "tables": [
                (figures.register, figures_table(figures)) for figures in selectors.register_summary(scope)
            ],
        },
    )
