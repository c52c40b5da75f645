from dsr.registers.access import scope_for


def scope(request):
    """The user's scope for the header, and the CSP nonce for the design system's inline script."""
    context = {"cspNonce": str(getattr(request, "csp_nonce", ""))}
    if request.user.is_authenticated:
        context["scope"] = scope_for(request)
    return context
