from django.urls import path

from dsr.reviews import views

app_name = "reviews"

urlpatterns = [
    path("<uuid:person_id>/reviews/add/", views.add_review, name="add"),
    path("<uuid:person_id>/reviews/<uuid:review_id>/", views.review_detail, name="detail"),
    path("<uuid:person_id>/reviews/<uuid:review_id>/change/", views.change_review, name="change"),
    path(
        "<uuid:person_id>/reviews/<uuid:review_id>/recommendations/add/",
        views.add_recommendation,
        name="add_recommendation",
    ),
]
