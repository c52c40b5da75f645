from dsr.audit import RequestContext, audit_source
from dsr.audit.models import AuditEvent
from dsr.client_address import client_address


class AuditContextMiddleware:
    """Attribute audit events written during a request to that request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = RequestContext(
            source=AuditEvent.Source.WEB,
            ip_address=client_address(request),
            # The path without its query string: a search someone typed (a name, an NHS number) is kept
            # in the list event's details, which erasure can redact; the path is sealed as it is.
            path=request.path,
        )
        with audit_source(context):
            return self.get_response(request)
