"""The health check a load balancer or monitor polls: no sign-in, no personal data, never audited."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from dsr.operations import health


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    found = health.checks()
    healthy = all(check.ok for check in found.values())
    body = {"status": "ok" if healthy else "failing", "checks": {n: c.as_json() for n, c in found.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
