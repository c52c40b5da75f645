from dsr.access import scope_for
from dsr.registers.idle import timeout_settings


def scope(request):
    """The user's scope for the header, the CSP nonce for the design system's inline script, and what
    the page needs to warn before signing an idle user out."""
    context = {"cspNonce": str(getattr(request, "csp_nonce", ""))}
    if request.user.is_authenticated:
        context["scope"] = scope_for(request)
        context["session_timeout"] = timeout_settings(request)
    return context
