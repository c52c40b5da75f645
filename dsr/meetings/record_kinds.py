"""A person's sections of meeting minutes (those about their referral included) and their escalations,
registered for subject access packs and erasure. Meetings and attendance are about staff, not about a
person, so they are not registered."""

from dsr.audit import records
from dsr.meetings.models import AgendaItem, Escalation

records.register(
    AgendaItem,
    heading="Meetings that discussed them",
    fields=["meeting", "reasons", "discussion", "decisions"],
    also_via=["referral__person"],  # their referral, discussed before they joined
    order_by=["meeting__held_on", "position"],
)
records.register(
    Escalation,
    heading="Escalations to the oversight panel",
    fields=["reason", "escalated_on", "closed_on", "outcome"],
    order_by=["escalated_on"],
)
