"""When an answer to an information rights request is due."""

import datetime

from dsr.dates import months_after, next_working_day

MOST_EXTRA_MONTHS = 2


def answer_due(clock_started_on: datetime.date, *, extra_months: int = 0) -> datetime.date:
    """The day an answer is due: one calendar month from the day the clock started, plus any extension
    of up to two further months, moved to the next working day when it falls on a weekend or a bank
    holiday in England and Wales.

    UK GDPR Article 12(3): "without undue delay and in any event within one month of receipt of the
    request. That period may be extended by two further months where necessary, taking into account
    the complexity and number of the requests". ICO, "Right of access: time limits for responding":
    count from the day the request (or the identity information, or the clarification asked for) is
    received, to the corresponding calendar date in the next month, or that month's last day when it
    has no such date; a deadline on a weekend or bank holiday moves to the next working day."""
    if not 0 <= extra_months <= MOST_EXTRA_MONTHS:
        raise ValueError(f"an extension is of 0 to {MOST_EXTRA_MONTHS} months, not {extra_months}")
    return next_working_day(months_after(clock_started_on, 1 + extra_months))
