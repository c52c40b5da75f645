"""Every change to an action: agreeing it, and its progress until done or no longer needed. Audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from dsr import audit
from dsr.actions.models import Action, ActionUpdate
from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.people.models import Person
from dsr.registers.models import Organisation


@transaction.atomic
def add_action(
    *,
    person: Person,
    description: str,
    owner_name: str,
    due_on: datetime.date | None,
    by,
    owner=None,
    organisation: Organisation | None = None,
    review=None,
    recommendation=None,
    meeting=None,
) -> Action:
    """Record an action agreed for a person (at a review or a meeting), with who is responsible and when it
    is due."""
    errors = {}
    if not description.strip():
        errors["description"] = "Enter what is to be done"
    if not owner_name.strip():
        errors["owner_name"] = "Enter the name of the person responsible"
    if due_on is None:
        errors["due_on"] = "Enter the due date"
    if review is not None and review.person_id != person.pk:
        raise ValidationError("The review is about someone else")
    if errors or due_on is None:  # a missing due date is among the errors
        raise ValidationError(errors)
    action = Action.objects.create(
        person=person,
        description=description.strip(),
        owner_name=owner_name.strip(),
        owner=owner,
        organisation=organisation,
        due_on=due_on,
        review=review,
        recommendation=recommendation,
        meeting=meeting,
        created_by=by,
    )
    audit.record_change(by=by, record=action, action=AuditEvent.Action.CREATE)
    update = ActionUpdate.objects.create(action=action, status=action.status, due_on=due_on, updated_by=by)
    audit.record_change(by=by, record=update, action=AuditEvent.Action.CREATE)
    return action


@transaction.atomic
def update_action(
    *, action: Action, status: str, note: str, by, due_on: datetime.date | None = None
) -> ActionUpdate:
    """Record progress on an action: a note, a new due date, or closing it (done, or no longer needed
    with a note saying why)."""
    note = note.strip()
    errors = {}
    if status not in Action.Status.values:
        errors["status"] = "Choose the action's status"
    elif status == Action.Status.NO_LONGER_NEEDED and not note:
        errors["note"] = "Enter why the action is no longer needed"
    elif status == Action.Status.OPEN and not note and (due_on is None or due_on == action.due_on):
        errors["note"] = "Enter a progress note or a new due date"
    if due_on is not None and due_on != action.due_on and status != Action.Status.OPEN:
        errors["due_on"] = "Only an open action has a new due date"
    if errors:
        raise ValidationError(errors)
    values: dict[str, str | datetime.date | None] = {"status": status}
    if status == Action.Status.OPEN:
        values["closed_on"] = None
        if due_on is not None:
            values["due_on"] = due_on
    elif action.status == Action.Status.OPEN:
        values["closed_on"] = today()
    if status != Action.Status.OPEN or note:
        values["status_note"] = note
    audit.save_changes(by=by, record=action, values=values)
    update = ActionUpdate.objects.create(
        action=action, status=status, note=note, due_on=values.get("due_on"), updated_by=by
    )
    audit.record_change(by=by, record=update, action=AuditEvent.Action.CREATE)
    return update
