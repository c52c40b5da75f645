"""Roles in registers, on their own pages and on each user's page, given and taken away through
dsr.administration.services."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from dsr.administration import services
from dsr.registers.models import GrantRequest, Membership

REASON_HELP = (
    "Needed for a role that shows identifiable data, and for administrator rights: whoever approves it "
    "reads this. Do not name anyone on the register."
)


def waiting_message(grant: GrantRequest) -> str:
    return (
        f"{grant.describe()} for {grant.user} is waiting for approval by an IG officer of the register or "
        "another system administrator. Nothing has changed until then."
    )


class MembershipForm(forms.ModelForm):
    reason = forms.CharField(
        label="Why they need this role",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )
    administrator = None  # the user making the change, set for each request by the admin

    class Meta:
        model = Membership
        fields = ["user", "register", "role", "organisation"]

    def clean(self):
        data = super().clean()
        user = data.get("user") or (self.instance.user if self.instance.user_id else None)
        register, role = data.get("register") or getattr(self.instance, "register", None), data.get("role")
        if user is not None:
            services.refuse_own_access(user=user, by=self.administrator)
        if self.instance.pk and "register" in self.changed_data:
            self.add_error(
                "register", "To move someone to another register, remove this role and add a new one"
            )
        needs_reason = (
            user is not None
            and user.pk is not None
            and register is not None
            and role
            and services.role_change_needs_approval(user=user, register=register, role=role)
        )
        if needs_reason and not data.get("reason", "").strip():
            self.add_error("reason", services.REASON_NEEDED)
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["register", "organisation"]
    fields = ["register", "role", "organisation", "reason"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.administrator = request.user
        return formset

    def _not_own(self, request, obj) -> bool:
        return obj is None or obj.pk != request.user.pk

    def has_add_permission(self, request, obj=None):
        return self._not_own(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._not_own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._not_own(request, obj) and super().has_delete_permission(request, obj)


def save_memberships(request, user, formset) -> list[GrantRequest]:
    """Each role added, changed or removed on a user's page, through the services. What was made at once is
    noted on the formset, as saving it would, for Django's own admin log."""
    waiting = []
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for membership_form in formset.forms:
        membership = membership_form.instance
        if membership_form in formset.deleted_forms:
            if membership.pk:
                stored = Membership.objects.get(pk=membership.pk)
                services.remove_membership(membership=stored, by=request.user)
                formset.deleted_objects.append(stored)
        elif membership_form.has_changed():
            result = services.set_role(
                user=user,
                register=membership.register,
                role=membership.role,
                organisation=membership.organisation,
                reason=membership_form.cleaned_data.get("reason", ""),
                by=request.user,
            )
            if isinstance(result, GrantRequest):
                waiting.append(result)
            elif membership.pk:
                formset.changed_objects.append((result, membership_form.changed_data))
            else:
                formset.new_objects.append(result)
    return waiting


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "register", "role", "organisation"]
    list_filter = ["register", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "register", "organisation"]
    fields = ["user", "register", "role", "organisation", "reason"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.administrator = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return ["user", "register"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        own = obj is not None and obj.user_id == request.user.pk
        return not own and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        own = obj is not None and obj.user_id == request.user.pk
        return not own and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # `obj` holds the role chosen; the service compares it with the membership as it is stored.
        result = services.set_role(
            user=obj.user,
            register=obj.register,
            role=obj.role,
            organisation=obj.organisation,
            reason=form.cleaned_data.get("reason", ""),
            by=request.user,
        )
        obj.grant_request = result if isinstance(result, GrantRequest) else None
        if isinstance(result, Membership):
            obj.pk = result.pk

    def delete_model(self, request, obj):
        services.remove_membership(membership=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "register"):
            self.delete_model(request, membership)

    def log_addition(self, request, obj, message):
        if not getattr(obj, "grant_request", None):
            return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if not getattr(obj, "grant_request", None):
            return super().log_change(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        return self._waiting(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._waiting(request, obj) or super().response_change(request, obj)

    def _waiting(self, request, obj):
        grant = getattr(obj, "grant_request", None)
        if grant is None:
            return None
        self.message_user(request, waiting_message(grant), messages.WARNING)
        return HttpResponseRedirect(reverse("admin:registers_grantrequest_change", args=[grant.pk]))
