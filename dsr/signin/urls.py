"""Signing in and the second factor, and through the organisation's OpenID Connect provider. The sign-in page
also answers to allauth's name for it, which allauth's own views use."""

from allauth.account import views as allauth_views
from django.urls import include, path

from dsr.signin import views

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/", views.sign_in, name="account_login"),
    path("sign-in/again/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("account/security/", include("allauth.mfa.urls")),
    path("", include("dsr.signin.oidc.urls")),
]
