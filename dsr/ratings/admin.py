from django.contrib import admin

from dsr.ratings.models import RiskFactor


@admin.register(RiskFactor)
class RiskFactorAdmin(admin.ModelAdmin):
    list_display = ["name", "register", "position"]
    list_filter = ["register"]
