from django.urls import path

from dsr.governance import views

app_name = "governance"

urlpatterns = [
    path("audit/", views.audit_trail, name="audit_trail"),
    path("audit/export.csv", views.export_audit_trail, name="export_audit_trail"),
]
