from django.urls import path

from dsr.rights import views

app_name = "rights"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<uuid:person_id>/", views.person, name="person"),
    path("people/<uuid:person_id>/subject-access/add/", views.add_subject_access, name="add_subject_access"),
    path(
        "people/<uuid:person_id>/subject-access/<uuid:subject_access_id>/",
        views.subject_access,
        name="subject_access",
    ),
    path(
        "people/<uuid:person_id>/subject-access/<uuid:subject_access_id>/pack/",
        views.produce_pack,
        name="produce_pack",
    ),
    path(
        "people/<uuid:person_id>/subject-access/<uuid:subject_access_id>/pack/review/",
        views.review_pack,
        name="review_pack",
    ),
    path(
        "people/<uuid:person_id>/subject-access/<uuid:subject_access_id>/close/",
        views.close_subject_access,
        name="close_subject_access",
    ),
    path(
        "people/<uuid:person_id>/subject-access/<uuid:subject_access_id>/clock/",
        views.start_subject_access_clock,
        name="subject_access_clock",
    ),
    path(
        "people/<uuid:person_id>/subject-access/<uuid:subject_access_id>/extension/",
        views.extend_subject_access,
        name="extend_subject_access",
    ),
    path("people/<uuid:person_id>/rectification/add/", views.add_rectification, name="add_rectification"),
    path(
        "people/<uuid:person_id>/rectification/<uuid:rectification_id>/",
        views.rectification,
        name="rectification",
    ),
    path(
        "people/<uuid:person_id>/rectification/<uuid:rectification_id>/outcome/",
        views.decide_rectification,
        name="decide_rectification",
    ),
    path(
        "people/<uuid:person_id>/rectification/<uuid:rectification_id>/clock/",
        views.start_rectification_clock,
        name="rectification_clock",
    ),
    path(
        "people/<uuid:person_id>/rectification/<uuid:rectification_id>/extension/",
        views.extend_rectification,
        name="extend_rectification",
    ),
]
