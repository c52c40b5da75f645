"""Nobody reaches the register's records without a second factor (dsr.signin.policy says who needs one).

A signed-in user who needs one and has not set one up is taken to set one up, and can reach nothing
else meanwhile; one whose session did not use theirs (a session from before they set it up) is asked
for it. Checking costs no query once the session has used a second factor."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from dsr.signin.policy import excused_in_demo, needs_second_factor
from dsr.signin.second_factor import checked_recently, has_second_factor, note_not_needed, used_second_factor

# What a user may reach before their session has used a second factor.
WHILE_SETTING_UP = {
    "login",
    "account_login",
    "oidc_login",
    "oidc_callback",
    "logout",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_reauthenticate",
    "mfa_reauthenticate_webauthn",
    "account_reauthenticate",
    "session_status",
    "session_keep_alive",
    "healthz",
    "privacy",
    "accessibility",
    "cookies",
}


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or request.resolver_match.url_name in WHILE_SETTING_UP:
            return None
        if used_second_factor(request) or checked_recently(request):
            return None
        if excused_in_demo(user) or not needs_second_factor(user):
            note_not_needed(request)
            return None
        step = "mfa_reauthenticate" if has_second_factor(user) else "mfa_index"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
