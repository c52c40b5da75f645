"""The Django admin, entered only through the register's own sign-in.

The admin has no sign-in form of its own, which would skip the register's checks (the lockout, the second
factor): anyone not signed in is sent to the register's sign-in, and back here after it; a signed-in user
who is not a system administrator is refused. The site is Django's default admin site
(dsr.administration.apps.AdminConfig).
"""

from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from dsr.administration import accounts

NOT_STAFF = "The administration pages are for system administrators"


class AdminSite(admin.AdminSite):
    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """No second sign-in form: the register's own sign-in, then back to the page asked for."""
        if request.user.is_authenticated:
            # Signed in already but not staff: the sign-in page would only send them back here.
            raise PermissionDenied(NOT_STAFF)
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def refuse_if_not_staff(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(NOT_STAFF)
            return inner(request, *args, **kwargs)

        return update_wrapper(refuse_if_not_staff, inner)

    def get_urls(self):
        # LoginRequiredMiddleware sends a visitor who is not signed in to a view's `login_url`; the admin's
        # own views name the admin's sign-in page there.
        urls = super().get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern) and hasattr(pattern.callback, "login_url"):
                pattern.callback.login_url = settings.LOGIN_URL
        return urls

    def password_change(self, request, extra_context=None):
        """The admin's own password page: the change is audited like any other
        (dsr.administration.accounts)."""
        before = request.user.password
        response = super().password_change(request, extra_context)
        if request.user.password != before:
            accounts.record_password_set(user=request.user, by=request.user)
        return response
