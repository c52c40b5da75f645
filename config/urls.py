from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Dynamic Support Register administration"
admin.site.site_title = "DSR administration"

urlpatterns = [
    path("", include("dsr.operations.urls")),
    path("", include("dsr.about.urls")),
    path("", include("dsr.signin.urls")),
    path("", include("dsr.workspace.urls")),
    path("people/", include("dsr.workspace.people_urls")),
    path("people/", include("dsr.reviews.urls")),
    path("", include("dsr.actions.urls")),
    path("caseload/", include("dsr.workspace.caseload_urls")),
    path("meetings/", include("dsr.meetings.urls")),
    path("reports/", include("dsr.reports.urls")),
    path("governance/", include("dsr.governance.urls")),
    path("refer/", include("dsr.referrals.public_urls")),
    path("referrals/", include("dsr.referrals.urls")),
    path("governance/", include("dsr.rights.urls")),
    path("governance/access/", include("dsr.administration.access_urls")),
    path("notifications/", include("dsr.notifications.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "dsr.operations.errors.not_found"
handler403 = "dsr.operations.errors.forbidden"
handler500 = "dsr.operations.errors.server_error"
