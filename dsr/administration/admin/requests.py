"""Requests for access, approved or declined by another system administrator."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from dsr.administration import services
from dsr.registers.models import GrantRequest


@admin.register(GrantRequest)
class GrantRequestAdmin(admin.ModelAdmin):
    """Requests for access, approved or declined here by another system administrator (or by an IG officer on
    the register's own page of access changes)."""

    list_display = ["user", "access", "requested_by", "requested_at", "status", "decided_by"]
    list_filter = ["status", "kind", "register"]
    list_select_related = ["user", "register", "requested_by", "decided_by"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    actions = ["approve", "decline"]
    fields = [
        "user",
        "kind",
        "register",
        "role",
        "organisation",
        "reason",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    readonly_fields = fields

    @admin.display(description="Access asked for")
    def access(self, grant: GrantRequest) -> str:
        return grant.describe()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Approve the selected requests")
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description="Decline the selected requests")
    def decline(self, request, queryset):
        self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, *, approve: bool) -> None:
        for grant in queryset.select_related("user", "register"):
            try:
                services.decide(grant=grant, approve=approve, by=request.user)
            except (ValidationError, PermissionDenied) as refusal:
                reason = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
                self.message_user(request, f"{grant}: {reason}", messages.ERROR)
            else:
                decided = "approved" if approve else "declined"
                self.message_user(request, f"{grant}: {decided}", messages.SUCCESS)
