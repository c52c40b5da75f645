"""When a rating is next reviewed, from the register's policy."""

import datetime

from dsr.registers.models import Register


def next_review_due(*, register: Register, rating: str, rated_on: datetime.date) -> datetime.date:
    """The review date a rating proposes: red sooner than amber, amber sooner than green."""
    return rated_on + datetime.timedelta(days=register.review_days(rating))
