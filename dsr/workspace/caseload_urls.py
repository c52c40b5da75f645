from django.urls import path

from dsr.workspace import caseload_views

app_name = "caseload"

urlpatterns = [
    path("", caseload_views.my_caseload, name="mine"),
    path("keyworkers/", caseload_views.keyworkers, name="keyworkers"),
    path("<int:user_id>/", caseload_views.keyworker_caseload, name="keyworker"),
]
