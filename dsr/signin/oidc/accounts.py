"""Accounts made by a first sign-in through OpenID Connect: named by the provider's claim, never another
account's name, with no membership until an administrator gives one, and written to the audit trail."""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from dsr.administration.services import CREATE, account_values, audit_change

User = get_user_model()
# What Django allows in a username; the rest of a claim is dropped.
NOT_IN_A_USERNAME = re.compile(r"[^\w.@+-]")
# Room left for a "-2" or "-10" after the name, within Django's 150 characters.
LONGEST_BASE = 140
LONGEST_EMAIL = 254


def unique_username(wanted: str) -> str:
    """The name as the provider gives it, or with -2, -3… added when an account (of any case) has it: a
    provider's account never becomes an existing local one."""
    base = NOT_IN_A_USERNAME.sub("", wanted)[:LONGEST_BASE] or "user"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def email_or_blank(value) -> str:
    """The provider's email address for the account, if it is one that fits."""
    if not isinstance(value, str) or len(value) > LONGEST_EMAIL:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def record_account_made(*, user, issuer: str) -> None:
    """Note in the audit trail that a first sign-in through this provider made the account (the person
    made it themselves, so they are who did it)."""
    after = {**account_values(user), "password": "none", "signs_in_through": issuer}
    audit_change(by=user, record=user, action=CREATE, before={}, after=after)
