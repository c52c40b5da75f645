"""When a referral's consultation is due: the register's target, counted in calendar days or in working days.

Sources: the register's own local policy (Register.consultation_target_days, 7 by default, and
Register.consultation_target_working_days for how they are counted); DESIGN.md §4, "the consultation is
offered within the register's target"; NHS England, "Dynamic support register and Care (Education) and
Treatment Review policy and guide" (2023), under which each area runs its own register."""

import datetime

from dsr.dates import working_days_after
from dsr.plurals import counted


def consultation_due_on(received_on: datetime.date, days: int, working_days: bool) -> datetime.date:
    """The last day for offering the consultation: `days` after the day the referral was received (that day
    not counted), as calendar days or as working days (no weekends or bank holidays in England)."""
    if working_days:
        return working_days_after(received_on, days)
    return received_on + datetime.timedelta(days=days)


def target_in_words(days: int, working_days: bool) -> str:
    """The target as people say it: "7 days", "5 working days", "1 working day"."""
    return counted(days, "working day" if working_days else "day")
