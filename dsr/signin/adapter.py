"""How django-allauth behaves here: no signing up, the register's own words, and who an OpenID
Connect sign-in makes."""

import logging
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dsr.signin.oidc.accounts import email_or_blank, record_account_made, unique_username
from dsr.signin.oidc.provider import OrganisationProvider
from dsr.signin.oidc.refusals import reason_for
from dsr.signin.second_factor import record_second_factor_at_provider

logger = logging.getLogger(__name__)

# Changing how one signs in asks for the password again, unless one signed in this recently.
JUST_SIGNED_IN_SECONDS = 300
# allauth's messages that a page of ours already says another way.
UNSAID = {"account/messages/logged_in.txt", "account/messages/logged_out.txt"}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": "Too many attempts to sign in. For your security, try again later, "
        "or ask your system administrator to unlock the account.",
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are made by administrators (or by an organisation's OpenID Connect sign-in)."""
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up a second factor straight after signing in (as everyone must) does not ask for the
        password again; changing it later does."""
        request = context.request
        records = get_authentication_records(request, request.user) if request is not None else []
        if records and time.time() - records[-1]["at"] < JUST_SIGNED_IN_SECONDS:
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", **kw):
        if message_template in UNSAID:
            return
        super().add_message(request, level, message_template, message_context, extra_tags, **kw)

    def post_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse:
        """A sign-in through the organisation's provider counts as a second factor when its ID token says the
        provider asked for one."""
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        provider = getattr(sociallogin, "provider", None)
        if isinstance(provider, OrganisationProvider) and provider.asked_for_second_factor(
            sociallogin.account.extra_data["id_token"]
        ):
            record_second_factor_at_provider(request, user, provider=sociallogin.account.provider)
        return super().post_login(request, user, **kwargs)

    def respond_user_inactive(self, request: HttpRequest, user) -> HttpResponse:
        """An account an administrator has switched off, signing in through the organisation's provider."""
        return render(request, "account/account_inactive.jinja", status=403)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        """Someone signing in through the organisation's OpenID Connect provider for the first time
        gets an account with no access: an administrator gives them their memberships."""
        return True

    def list_apps(self, request: HttpRequest, provider=None, client_id=None) -> list:
        """Only the provider set up from the environment (config/settings.py): never one added as a row in
        the database, through /admin/ or otherwise."""
        return [app for app in super().list_apps(request, provider, client_id) if app.pk is None]

    def can_authenticate_by_email(self, login, email: str) -> bool:
        """A provider's account is never matched to an existing account by its email address."""
        return False

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        """A first sign-in makes an account named by the configured claim (made unique: never another
        account's), with the provider's email address but no password and no membership, and audits it."""
        provider = sociallogin.provider
        claims = provider.claims(sociallogin.account.extra_data)
        user = sociallogin.user
        user.username = unique_username(claims[provider.username_claim])
        super().save_user(request, sociallogin, form)
        # Set once the account is saved, so allauth keeps it as no address of its own (an unverified one
        # would stop the user setting up a second factor here).
        user.email = email_or_blank(claims.get("email"))
        user.save(update_fields=["email"])
        record_account_made(user=user, issuer=provider.issuer)
        return user

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """Every refused sign-in ends on a page of ours (never a 500), and is logged without personal data."""
        reason = reason_for(request, error=error, exception=exception, extra_context=extra_context or {})
        logger.warning("Sign-in through OpenID Connect refused: %s", reason, extra={"error": reason})
        if error == AuthError.CANCELLED:
            page = render(request, "socialaccount/login_cancelled.jinja", {"provider": provider})
        else:
            page = render(
                request, "socialaccount/authentication_error.jinja", {"provider": provider}, status=400
            )
        raise ImmediateHttpResponse(page)


class MFAAdapter(DefaultMFAAdapter):
    def get_public_key_credential_rp_entity(self) -> dict:
        entity = super().get_public_key_credential_rp_entity()
        entity["name"] = "Dynamic Support Register"
        return entity
