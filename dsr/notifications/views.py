"""The outbox: the messages sent (or waiting to be sent) to families and referrers."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dsr import audit
from dsr.access import scope_for
from dsr.notifications import selectors

PAGE_SIZE = 50


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    page = Paginator(selectors.outbox_for(scope), PAGE_SIZE).get_page(request.GET.get("page"))
    # Each message names someone: reading the list is a read of person data, one event per register.
    shown = list(page.object_list)
    audit.record_list(by=request.user, shown=shown, what="notification_outbox", detail={"page": page.number})
    show_register = scope.current is None and len(scope.all_registers) > 1
    return render(request, "notifications/outbox.jinja", {"page": page, "show_register": show_register})


@require_GET
def notification_detail(request: HttpRequest, notification_id) -> HttpResponse:
    notification = selectors.notification_for(scope_for(request), notification_id)
    audit.record_read(by=request.user, record=notification, what="notification")
    return render(request, "notifications/detail.jinja", {"notification": notification})
