"""The public referral pages, open without signing in."""

from django.urls import path

from dsr.referrals import views

app_name = "refer"

urlpatterns = [
    path("", views.start, name="start"),
    path("form/", views.public_form, name="form"),
    path("check/", views.public_check, name="check"),
    path("sent/", views.public_sent, name="sent"),
]
