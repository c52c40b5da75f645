from django.urls import path

from dsr.governance import trail_views, views

app_name = "governance"

urlpatterns = [
    path("audit/", trail_views.audit_trail, name="audit_trail"),
    path("audit/export.csv", trail_views.export_audit_trail, name="export_audit_trail"),
    path("retention/", views.retention_report, name="retention"),
    path("unusual-access/", views.unusual_access_report, name="unusual_access"),
    path("people/<uuid:person_id>/erase/", views.erase_person, name="erase_person"),
    path("people/<uuid:person_id>/legal-hold/", views.set_legal_hold, name="set_legal_hold"),
    path("people/<uuid:person_id>/legal-hold/lift/", views.lift_legal_hold, name="lift_legal_hold"),
    path("people/<uuid:person_id>/documents/upload/", views.upload_document, name="upload_document"),
    path(
        "people/<uuid:person_id>/documents/<uuid:document_id>/",
        views.download_document,
        name="download_document",
    ),
    path(
        "people/<uuid:person_id>/documents/<uuid:document_id>/delete/",
        views.delete_document,
        name="delete_document",
    ),
]
