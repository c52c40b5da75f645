"""Where an action stands, from its status, due date and the register's escalation threshold."""

import datetime

import pytest

from dsr.actions import policy

D = datetime.date
TODAY = D(2026, 3, 1)


@pytest.mark.parametrize(
    ("status", "due_on", "expected"),
    [
        ("open", D(2026, 3, 1), "open"),  # due today: not yet overdue
        ("open", D(2026, 2, 28), "overdue"),
        ("open", D(2026, 2, 1), "overdue"),  # 28 days: at the threshold, not past it
        ("open", D(2026, 1, 31), "escalate"),  # 29 days: offered for escalation
        ("done", D(2026, 1, 1), "done"),
        ("no_longer_needed", D(2026, 1, 1), "no_longer_needed"),
    ],
)
def test_an_action_is_overdue_when_open_and_past_due_and_offered_for_escalation_past_the_threshold(
    status, due_on, expected
):
    assert policy.action_state(status=status, due_on=due_on, on=TODAY, escalation_days=28) == expected
