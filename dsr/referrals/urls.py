from django.urls import path

from dsr.referrals import form_views, views

app_name = "referrals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("mine/<uuid:referral_id>/", views.my_referral, name="my_referral"),
    path("public-form/", views.public_form_registers, name="public_form"),
    path("new/", form_views.new_referral, name="new"),
    path("new/check/", form_views.check_referral, name="check"),
    path("new/sent/", form_views.referral_sent, name="sent"),
    path("new/<slug:step>/", form_views.referral_step, name="step"),
    path("<uuid:referral_id>/", views.detail, name="detail"),
    path("<uuid:referral_id>/consultation/", views.offer_consultation, name="offer_consultation"),
    path("<uuid:referral_id>/meeting/", views.await_meeting, name="await_meeting"),
    path("<uuid:referral_id>/decide/", views.decide, name="decide"),
    path("<uuid:referral_id>/accept/", views.accept, name="accept"),
    path("<uuid:referral_id>/close/", views.close, name="close"),
]
