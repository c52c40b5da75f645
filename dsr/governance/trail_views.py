"""The audit trail, for information governance officers: the page, filtered, and its CSV download."""

import csv
import uuid
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property

from dsr import audit
from dsr.access import Scope, scope_for
from dsr.audit.models import AuditEvent
from dsr.governance.filters import AuditFilter
from dsr.governance.selectors import audit_lines, audit_trail_for, people_named, referrals_named
from dsr.people.models import Person

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
    if not scope.registers_for("see_audit_trail"):
        raise PermissionDenied
    return scope, AuditFilter(request.GET, queryset=audit_trail_for(scope), people=scope.governed_people())


def _filtered_person(scope: Scope, filterset: AuditFilter) -> Person | None:
    """The person the trail is filtered to, when it is one the IG officer governs."""
    value = filterset.form.cleaned_data.get("person") if not filterset.errors else None
    if not value:
        return None
    people = scope.governed_people()
    return (
        people.filter(pk=value) if isinstance(value, uuid.UUID) else people.filter(nhs_number=value)
    ).first()


# The trail of a busy register grows by thousands of events a day: counting them all would cost more with
# every page. The page counts up to this many, says "more than" beyond it, and pages that far; the filters
# (dates, person, user) narrow the rest (docs/performance.md).
COUNTED = 10_000


class TrailPaginator(Paginator):
    """Pages through the newest COUNTED events of the trail as filtered; `more` says there are others."""

    @cached_property
    def _counted(self) -> int:
        return self.object_list[: COUNTED + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, COUNTED)

    @property
    def more(self) -> bool:
        return self._counted > COUNTED


def audit_trail(request: HttpRequest) -> HttpResponse:
    scope, filterset = _filtered(request)
    page = TrailPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    events = list(page.object_list)
    people = people_named(scope, events)
    about = _filtered_person(scope, filterset)
    shown = {**people, **({str(about.pk): about} if about is not None else {})}
    if shown:
        # It names them: reading it is audited as a list of the people it showed.
        audit.record_list(
            by=request.user, shown=list(shown.values()), what="audit_trail", detail={"page": page.number}
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/audit_trail.jinja",
        {
            "filterset": filterset,
            "page": page,
            "lines": audit_lines(events, people=people, referrals=referrals_named(scope, events)),
            "query": query.urlencode(),
            "about": about,
        },
    )


# Beside the raw columns, the same event in plain words, as the page shows it.
PLAIN_COLUMNS = ["who", "what", "whose record"]
EXPORT_BATCH = 2000


def _batches(items: Iterator[AuditEvent], size: int) -> Iterator[list[AuditEvent]]:
    batch: list[AuditEvent] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_audit_trail(request: HttpRequest) -> HttpResponse:
    scope, filterset = _filtered(request)
    if filterset.errors:
        # The page says what is wrong with the filters; nothing is downloaded until they are right.
        return redirect(reverse("governance:audit_trail") + "?" + request.GET.urlencode())
    audit.record_export(
        by=request.user,
        register_ids=[r.pk for r in scope.registers_for("see_audit_trail")],
        what="audit_trail",
        detail={"filters": dict(request.GET.items())},
    )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow([*EXPORT_COLUMNS, *PLAIN_COLUMNS])
        for events in _batches(filterset.qs.iterator(chunk_size=EXPORT_BATCH), EXPORT_BATCH):
            # Names are looked up once a batch, so a long export runs a few queries per thousand rows.
            named = {"people": people_named(scope, events), "referrals": referrals_named(scope, events)}
            for line in audit_lines(events, **named):
                whose = ", ".join(line.whose)
                if line.erased:
                    whose += f"{'; ' if whose else ''}{line.erased} erased since"
                raw = [getattr(line.event, column) for column in EXPORT_COLUMNS]
                yield writer.writerow([*raw, line.who, line.what, whose])

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
