"""Links that work across a user's registers.

A link to a person's record (a bookmark, a link in an email, a meeting's minutes) names the person, not the
register. When the user works in one register and opens someone in another register they belong to, with a
role that may open the record, they are switched to that register and told so; the page then opens in that
register's scope and is audited as any other read. A register they do not belong to stays a 404.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from dsr.access import InAnotherRegister, choose_register


def switched_message(register_name: str) -> str:
    return f"You are now working in the {register_name} register"


class RegisterLinksMiddleware:
    """Answers InAnotherRegister by switching the user to that register and loading the page again there.

    A form sent to a person in another register is not saved: the form opens again in that register, so
    nothing changes in a register the user did not know they were working in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, InAnotherRegister):
            return None
        if not choose_register(request, str(exception.register.pk)):
            return None  # no longer a member: the 404 stands
        messages.info(request, switched_message(exception.register.name))
        again = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
        return HttpResponseRedirect(again)
