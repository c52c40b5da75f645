"""Where an action stands: open, overdue, or overdue long enough to be offered for escalation."""

import datetime


def action_state(*, status: str, due_on: datetime.date, on: datetime.date, escalation_days: int) -> str:
    """open, overdue, or escalate (overdue past the register's threshold: offered for escalation);
    a closed action keeps its status (done, no_longer_needed)."""
    if status != "open":
        return status
    if on <= due_on:
        return "open"
    return "escalate" if (on - due_on).days > escalation_days else "overdue"
