"""Accounts: their details, administrator rights, admin groups and roles, saved through
dsr.administration.accounts; nobody changes their own access here."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserChangeForm

from dsr.administration import accounts, services
from dsr.administration.admin.memberships import (
    REASON_HELP,
    MembershipInline,
    save_memberships,
    waiting_message,
)

User = get_user_model()
# What nobody changes on their own account (dsr.administration.services.refuse_own_access).
OWN_ACCESS_FIELDS = ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]


class AccountChangeForm(UserChangeForm):
    reason = forms.CharField(
        label="Why they need administrator rights",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )

    def clean(self):
        data = super().clean()
        asked = [name for name in services.RIGHTS if data.get(name) and not self.initial.get(name)]
        if asked and not data.get("reason", "").strip():
            self.add_error("reason", services.REASON_NEEDED)
        return data


admin.site.unregister(User)


@admin.register(User)
class RegisterUserAdmin(auth_admin.UserAdmin):
    form = AccountChangeForm
    inlines = [MembershipInline]
    fieldsets = (
        *auth_admin.UserAdmin.fieldsets,
        (
            "Why",
            {
                "fields": ["reason"],
                "description": "Administrator rights and roles that show identifiable data wait for approval "
                "by an IG officer or another system administrator.",
            },
        ),
    )

    def _own(self, request, obj) -> bool:
        return obj is not None and obj.pk == request.user.pk

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + OWN_ACCESS_FIELDS if self._own(request, obj) else fields

    def get_inline_instances(self, request, obj=None):
        # Roles are given once the account exists, on its own page.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return not self._own(request, obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("reason", "")
        obj.grant_requests_made = accounts.save_account(user=obj, by=request.user, reason=reason)

    def save_related(self, request, form, formsets, change):
        accounts.set_account_links(
            user=form.instance,
            by=request.user,
            groups=form.cleaned_data.get("groups"),
            permissions=form.cleaned_data.get("user_permissions"),
        )
        for formset in formsets:
            form.instance.grant_requests_made += save_memberships(request, form.instance, formset)

    def response_add(self, request, obj, post_url_continue=None):
        self._tell_waiting(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._tell_waiting(request, obj)
        return super().response_change(request, obj)

    def _tell_waiting(self, request, obj) -> None:
        for grant in getattr(obj, "grant_requests_made", []):
            self.message_user(request, waiting_message(grant), messages.WARNING)

    def delete_model(self, request, obj):
        accounts.delete_account(user=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)

    def user_change_password(self, request, id, form_url=""):
        """Django's password page, with the change audited and the account's owner told."""
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        response = super().user_change_password(request, id, form_url)
        if user is not None and request.method == "POST":
            user.refresh_from_db(fields=["password"])
            if user.password != before:
                accounts.record_password_set(user=user, by=request.user)
        return response
