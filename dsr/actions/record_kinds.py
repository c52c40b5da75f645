"""Actions and their history, registered for subject access packs and erasure."""

from dsr.actions.models import Action, ActionUpdate
from dsr.audit import records

records.register(
    Action,
    heading="Actions",
    fields=["description", "owner_name", "organisation", "due_on", "status", "status_note", "closed_on"],
    order_by=["created_at"],
)
records.register(
    ActionUpdate,
    heading="Action history",
    person_path="action__person",
    fields=["action", "status", "note", "due_on", "updated_at"],
    order_by=["updated_at"],
)
