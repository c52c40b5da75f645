"""Registers with their policy and risk factors, organisations and admin groups, saved through
dsr.administration.configuration so each change is audited."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group

from dsr.administration import configuration, services
from dsr.ratings.models import RiskFactor
from dsr.registers.models import Organisation, Register


class ConfigurationAdmin(admin.ModelAdmin):
    """Saves and deletes records, their links and their inlines through dsr.administration.configuration."""

    def save_model(self, request, obj, form, change):
        configuration.save_configuration(record=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        for field in form.instance._meta.many_to_many:
            if field.name in form.cleaned_data:
                services.set_links(
                    record=form.instance,
                    field=field.name,
                    values=form.cleaned_data[field.name],
                    by=request.user,
                )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        saved = formset.save(commit=False)
        for record in formset.deleted_objects:
            configuration.delete_configuration(record=record, by=request.user)
        for record in saved:
            configuration.save_configuration(record=record, by=request.user)

    def delete_model(self, request, obj):
        configuration.delete_configuration(record=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            self.delete_model(request, record)


@admin.register(Organisation)
class OrganisationAdmin(ConfigurationAdmin):
    list_display = ["name", "kind", "ods_code"]
    list_filter = ["kind"]
    search_fields = ["name", "ods_code"]


class RiskFactorInline(admin.TabularInline):
    model = RiskFactor
    extra = 0
    fields = ["name", "position"]


@admin.register(Register)
class RegisterAdmin(ConfigurationAdmin):
    list_display = ["name", "min_age", "max_age", "published"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["organisations"]
    inlines = [RiskFactorInline]
    # The register's coordinator puts it on the public referral form (dsr.referrals.views).
    readonly_fields = ["published"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "organisations"]}),
        (
            "How to contact the team (shown to people who refer, and in messages)",
            {"fields": ["team_name", "team_phone", "team_email", "data_protection_officer", "published"]},
        ),
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
        ("Referrals", {"fields": ["consultation_target_days", "consultation_target_working_days"]}),
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
            {"fields": ["file_after_months", "erase_after_months", "consent_withdrawal_ends_membership"]},
        ),
        (
            "Unusual access (the IG officer's findings and daily email)",
            {
                "fields": [
                    "unusual_lookback_days",
                    "unusual_multiple",
                    "unusual_minimum_records",
                    "working_day_starts",
                    "working_day_ends",
                ]
            },
        ),
    ]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ConfigurationAdmin, auth_admin.GroupAdmin):
    """Django's groups of admin permissions, with their changes audited."""
