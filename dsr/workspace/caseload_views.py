"""Pages for keyworkers' caseloads: "My caseload", one keyworker's caseload, and the keyworkers."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dsr import audit
from dsr.access import Scope, scope_for
from dsr.dates import today
from dsr.workspace import caseload


def _caseload_page(
    request: HttpRequest, scope: Scope, *, people: list, keyworker, mine: bool
) -> HttpResponse:
    audit.record_list(
        by=request.user,
        shown=people,
        what="caseload",
        detail={"keyworker": keyworker.pk, "people": len(people)},
    )
    for person in people:
        person.may_log_contact = scope.may("log_contact", person)
    context = {
        "people": people,
        "keyworker": keyworker,
        "mine": mine,
        "show_register": scope.current is None and len(scope.all_registers) > 1,
        "may_see_keyworkers": bool(scope.registers_for("see_keyworkers")),
    }
    return render(request, "people/caseload.jinja", context)


def my_caseload(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.registers_for("see_register_list"):
        raise PermissionDenied
    people = caseload.caseload(scope.people(), keyworker=request.user, on=today())
    return _caseload_page(request, scope, people=people, keyworker=request.user, mine=True)


def keyworker_caseload(request: HttpRequest, user_id: int) -> HttpResponse:
    scope = scope_for(request)
    if not scope.registers_for("oversee_caseloads"):
        raise PermissionDenied
    keyworker = caseload.keyworker_in(scope, user_id)
    people = caseload.caseload(caseload.overseen_people(scope), keyworker=keyworker, on=today())
    return _caseload_page(request, scope, people=people, keyworker=keyworker, mine=False)


def keyworkers(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.registers_for("see_keyworkers"):
        raise PermissionDenied
    return render(
        request, "people/keyworkers.jinja", {"keyworkers": caseload.keyworkers_with_caseloads(scope)}
    )
