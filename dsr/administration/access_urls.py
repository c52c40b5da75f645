from django.urls import path

from dsr.administration import access_views

app_name = "access"

urlpatterns = [
    path("", access_views.access_changes, name="changes"),
    path("requests/<uuid:grant_id>/", access_views.decide, name="decide"),
]
