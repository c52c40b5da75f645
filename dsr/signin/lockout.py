"""What django-axes counts as failed sign-ins, and by what: wrong passwords and wrong security codes, by
the account tried, whichever address they came from."""

from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest


def username_tried(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username of a sign-in attempt: allauth passes it as `username`, its form posts `login`."""
    if credentials and credentials.get("username"):
        return str(credentials["username"])
    return request.POST.get("login") or None


def second_factor_failed(
    sender, request: HttpRequest, user, reauthentication: bool = False, **kwargs
) -> None:
    """A wrong security code counts towards the account's lockout, as a wrong password does."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
