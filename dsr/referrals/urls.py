from django.urls import path

from dsr.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.new_referral, name="new"),
    path("new/check/", views.check_referral, name="check"),
    path("new/sent/", views.referral_sent, name="sent"),
    path("<uuid:referral_id>/", views.detail, name="detail"),
    path("<uuid:referral_id>/consultation/", views.offer_consultation, name="offer_consultation"),
    path("<uuid:referral_id>/meeting/", views.await_meeting, name="await_meeting"),
    path("<uuid:referral_id>/decide/", views.decide, name="decide"),
    path("<uuid:referral_id>/accept/", views.accept, name="accept"),
    path("<uuid:referral_id>/close/", views.close, name="close"),
]
