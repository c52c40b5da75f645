"""Pages for actions: "My actions", agreeing an action for a person, and recording its progress."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dsr import audit
from dsr.access import scope_for
from dsr.actions import selectors, services
from dsr.actions.forms import ActionForm, UpdateActionForm
from dsr.dates import today
from dsr.form_pages import form_page


def my_actions(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.registers_for("see_register_list"):
        raise PermissionDenied
    on = today()
    actions = list(selectors.my_actions(scope, on))
    for action in actions:
        action.state = selectors.state(action, on)
        action.overdue_days = action.days_overdue(on)
    audit.record_list(
        by=request.user,
        shown=[a.person for a in actions],
        what="my_actions",
        detail={"actions": len(actions)},
    )
    return render(request, "actions/mine.jinja", {"actions": actions})


@require_http_methods(["GET", "POST"])
def add_action(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="add_action")
    form = ActionForm(request.POST or None, register=person.register)

    def save(data: dict[str, Any]) -> None:
        services.add_action(person=person, by=request.user, **data)

    return form_page(
        request,
        form=form,
        person=person,
        title="Add an action",
        save=save,
        success=reverse("people:detail", kwargs={"person_id": person.pk}) + "#actions",
        success_message="Action added",
        submit="Add action",
    )


@require_http_methods(["GET", "POST"])
def update_action(request: HttpRequest, person_id, action_id) -> HttpResponse:
    scope = scope_for(request)
    person = scope.person_to_change(person_id, action="update_action")
    action = selectors.action_of(person, action_id)
    if not scope.may("update_action", action):
        raise PermissionDenied("Only the action's owner, a coordinator or a professional can update it")
    history = list(action.updates.select_related("updated_by"))
    audit.record_read(by=request.user, record=action, what="action")
    on = today()
    form = UpdateActionForm(request.POST or None, initial={"status": action.status})
    return form_page(
        request,
        form=form,
        person=person,
        title="Update an action",
        save=lambda data: services.update_action(
            action=action, status=data["status"], note=data["note"], due_on=data["due_on"], by=request.user
        ),
        success=reverse("people:detail", kwargs={"person_id": person.pk}) + "#actions",
        success_message="Action updated",
        submit="Save update",
        template="actions/update.jinja",
        extra={
            "action": action,
            "history": history,
            "state": selectors.state(action, on),
            "on": on,
            "may_escalate": scope.may("escalate", person),
        },
    )
