"""Signing in through the organisation's OpenID Connect provider. Register the callback's full address
(https://<host>/sign-in/oidc/callback/) with the provider as the redirect URI."""

from django.urls import path

from dsr.signin.oidc import views

urlpatterns = [
    path("sign-in/oidc/", views.login, name="oidc_login"),
    path("sign-in/oidc/callback/", views.callback, name="oidc_callback"),
]
