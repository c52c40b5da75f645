"""Signing in: allauth's views, with the register's pages."""

from allauth.account.views import LoginView
from django.conf import settings

from dsr.registers.idle import SIGNED_OUT_IDLE
from dsr.signin.oidc.provider import configured_provider


class SignInView(LoginView):
    """Sign in with a username and password (then a second factor), or with the organisation's own account
    when OpenID Connect is set up, saying why the user is here when they were signed out for doing nothing."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("signed_out") == SIGNED_OUT_IDLE:
            context["idle_minutes"] = settings.SESSION_IDLE_MINUTES
        provider = configured_provider(self.request)
        context["oidc_providers"] = (
            [{"name": provider.name, "login_url": provider.get_login_url(self.request)}] if provider else []
        )
        return context


sign_in = SignInView.as_view()
