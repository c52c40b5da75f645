"""The public referral pages, open without signing in."""

from django.urls import path

from dsr.referrals import form_views

app_name = "refer"

urlpatterns = [
    path("", form_views.start, name="start"),
    path("form/", form_views.public_form, name="form"),
    path("check/", form_views.public_check, name="check"),
    path("sent/", form_views.public_sent, name="sent"),
    path("form/<slug:step>/", form_views.public_step, name="step"),
]
