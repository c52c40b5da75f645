"""Who is about to move from children's to adults' services: people turning 18 soon.

Sources: NHS England, "Dynamic support register and Care (Education) and Treatment Review policy and guide"
(2023), which names the transition between children's and adults' services among the risk factors a
register watches; NICE guideline NG43, "Transition from children's to adults' services for young people
using health or social care services" (2016), which asks for transition to be planned well ahead of the
transfer, with the young person meeting adult services before it. The 18th birthday divides CETRs from CTRs
(dsr.reviews.policy), so it is also when the kind of review changes; an age is reached at the start of the
birthday (Family Law Reform Act 1969 s. 9, as dsr.dates.age_on counts it). Today's work looks six calendar
months ahead.
"""

import datetime

from dsr.dates import months_after
from dsr.reviews.policy import adult_from

TRANSITION_MONTHS = 6


def turns_adult_within(
    date_of_birth: datetime.date, on: datetime.date, months: int = TRANSITION_MONTHS
) -> datetime.date | None:
    """The 18th birthday, when it falls after `on` and no later than `months` calendar months after it
    (the same day of the month, or the month's last day when it is shorter); None otherwise. Someone born
    on 29 February turns 18 on 1 March in a year that is not a leap year, as ages are counted
    (dsr.dates.age_on)."""
    birthday = adult_from(date_of_birth)
    if on < birthday <= months_after(on, months):
        return birthday
    return None
