"""The admin is for registers, organisations, users and policy: never person data."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from dsr.ratings.models import RiskFactor
from dsr.registers.models import Membership, Organisation, Register


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ods_code"]
    list_filter = ["kind"]
    search_fields = ["name", "ods_code"]


class RiskFactorInline(admin.TabularInline):
    model = RiskFactor
    extra = 0
    fields = ["name", "position"]


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "min_age", "max_age"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["organisations"]
    inlines = [RiskFactorInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "organisations"]}),
        (
            "Who the register is for",
            {"fields": ["min_age", "max_age", "waiting_list_eligible", "waiting_list_max_age"]},
        ),
        (
            "Review cadence (days)",
            {
                "fields": [
                    "review_days_red",
                    "review_days_amber",
                    "review_days_green",
                    "review_days_blue",
                    "admission_sets_blue",
                ]
            },
        ),
        ("Referrals", {"fields": ["consultation_target_days"]}),
        (
            "What each rating requires (reviews, visits and actions)",
            {
                "fields": [
                    "red_review_target_days",
                    "keyworker_max_age",
                    "post_admission_review_days_child",
                    "post_admission_review_days_adult",
                    "pre_admission_review_counts_days",
                    "inpatient_review_months_child",
                    "inpatient_review_months_adult",
                    "inpatient_review_months_secure",
                    "oversight_visit_weeks_child",
                    "oversight_visit_weeks_adult",
                    "action_escalation_days",
                ]
            },
        ),
        (
            "Retention and consent",
            {"fields": ["archive_after_days", "erase_after_days", "consent_withdrawal_ends_membership"]},
        ),
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["register", "organisation"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class RegisterUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "register", "role", "organisation"]
    list_filter = ["register", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
