from django.urls import path

from dsr.workspace import people_views as views
from dsr.workspace import register_export

app_name = "people"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("register.csv", register_export.register_list_csv, name="export_csv"),
    path("register.xlsx", register_export.register_list_xlsx, name="export_xlsx"),
    path("add/", views.add_person, name="add"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/details/", views.change_details, name="change_details"),
    path("<uuid:person_id>/rating/", views.change_rating, name="change_rating"),
    path("<uuid:person_id>/circumstances/", views.change_circumstances, name="change_circumstances"),
    path("<uuid:person_id>/diagnoses/add/", views.add_diagnosis, name="add_diagnosis"),
    path("<uuid:person_id>/care-team/add/", views.add_involvement, name="add_involvement"),
    path(
        "<uuid:person_id>/care-team/<uuid:involvement_id>/end/", views.end_involvement, name="end_involvement"
    ),
    path("<uuid:person_id>/consent/add/", views.add_consent, name="add_consent"),
    path(
        "<uuid:person_id>/consent/<uuid:consent_id>/withdraw/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("<uuid:person_id>/admissions/add/", views.record_admission, name="record_admission"),
    path(
        "<uuid:person_id>/admissions/<uuid:admission_id>/discharge/",
        views.record_discharge,
        name="record_discharge",
    ),
    path("<uuid:person_id>/contacts/add/", views.log_contact, name="log_contact"),
    path("<uuid:person_id>/leave/", views.remove_from_register, name="remove_from_register"),
]
