"""The audit trail, for information governance officers."""

import csv

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from dsr.governance import audit
from dsr.governance.filters import AuditFilter
from dsr.governance.selectors import audit_trail_for
from dsr.registers.access import Scope, scope_for
from dsr.registers.models import Role

PAGE_SIZE = 50
EXPORT_COLUMNS = [
    "at",
    "username",
    "action",
    "record_type",
    "record_id",
    "person_id",
    "register_id",
    "source",
    "ip_address",
    "path",
    "changes",
]


def _filtered(request: HttpRequest) -> tuple[Scope, AuditFilter]:
    scope = scope_for(request)
    if not scope.registers_with({Role.IG}):
        raise PermissionDenied
    return scope, AuditFilter(request.GET, queryset=audit_trail_for(scope), people=scope.governed_people())


def audit_trail(request: HttpRequest) -> HttpResponse:
    scope, filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/audit_trail.jinja",
        {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_audit_trail(request: HttpRequest) -> StreamingHttpResponse:
    scope, filterset = _filtered(request)
    audit.record_export(
        by=request.user,
        register_ids=[r.pk for r in scope.registers_with({Role.IG})],
        what="audit_trail",
        detail={"filters": dict(request.GET.items())},
    )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(EXPORT_COLUMNS)
        for event in filterset.qs.iterator(chunk_size=2000):
            yield writer.writerow([getattr(event, column) for column in EXPORT_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
