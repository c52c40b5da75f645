"""Unusual access, noticed for the information governance officer: users who opened many more records than
usual, records opened outside working hours, and keyworkers opening people outside their caseload.

Each sign is worked out from the audit trail's reads of a person's record ("view" events written by a
signed-in user), with the thresholds and working hours each register sets (Register.unusual_*,
working_day_*). The counting is done by the database, so the number of queries stays the same however long
the trail grows: one per sign, over the audit trail's index on (register, time), and one for the staff
names. They read; they change nothing. Days are local days (GMT or BST, whichever is in force).
"""

import datetime
import decimal
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate, TruncTime
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from dsr.audit.models import AuditEvent
from dsr.dates import days_off, start_of
from dsr.people.models import Involvement
from dsr.plurals import counted
from dsr.registers.models import Membership, Register
from dsr.registers.policy import roles_that_may

MANY_RECORDS = "many_records"
OUT_OF_HOURS = "out_of_hours"
OUTSIDE_CASELOAD = "outside_caseload"

# In the order the page and the email give them.
KINDS = {
    MANY_RECORDS: "Opened many more records than usual",
    OUT_OF_HOURS: "Opened records outside working hours",
    OUTSIDE_CASELOAD: "Keyworkers who opened a record outside their caseload",
}


@dataclass(frozen=True)
class Finding:
    """One sign of unusual access: who, in which register, on which day, and how many."""

    kind: str
    register: Register
    day: datetime.date
    user_id: int
    username: str  # as the audit trail has it, which its filter matches
    records: int  # how many people's records they opened (for a keyworker outside their caseload, one)
    times: int  # how many times they opened them
    usual: decimal.Decimal | None = None  # their daily average over the look-back days (many records)
    person_id: uuid.UUID | None = None  # whose record (outside the caseload): only ever in the link
    name: str = ""  # the member of staff's name, when findings() gives it

    @property
    def who(self) -> str:
        return self.name or self.username

    @property
    def audit_trail_url(self) -> str:
        """The audit trail filtered to the events behind this finding: the user's reads that day (of the one
        person, for a keyworker outside their caseload)."""
        query = {"username": self.username, "action": AuditEvent.Action.VIEW}
        if self.person_id is not None:
            query["person"] = str(self.person_id)
        for name in ("since", "until"):
            query.update(
                {f"{name}-day": self.day.day, f"{name}-month": self.day.month, f"{name}-year": self.day.year}
            )
        return reverse("governance:audit_trail") + "?" + urlencode(query)

    @property
    def detail(self) -> str:
        """What was found, in plain words, without naming anyone on the register."""
        records = counted(self.records, "record")
        times = "" if self.times == self.records else f", {self.times} times in all,"
        if self.kind == MANY_RECORDS:
            days = f"the {counted(self.register.unusual_lookback_days, 'day')} before"
            usual = f"usually {self.usual} a day in {days}" if self.usual else f"none in {days}"
            opened = counted(self.records, "person's record", "people's records")
            return f"Opened {opened} ({usual})"
        if self.kind == OUT_OF_HOURS:
            return f"Opened {records}{times} outside working hours"
        return "Opened the record of someone not on their caseload" + (
            f", {self.times} times" if self.times > 1 else ""
        )


def _day() -> TruncDate:
    return TruncDate("at", tzinfo=timezone.get_current_timezone())


def _opened(
    registers: Sequence[Register], since: datetime.date, until: datetime.date
) -> QuerySet[AuditEvent]:
    """Reads of a person's record by a signed-in user in these registers, from one day to another
    (inclusive)."""
    return AuditEvent.objects.filter(
        register_id__in=[register.pk for register in registers],
        at__gte=start_of(since),
        at__lt=start_of(until + datetime.timedelta(days=1)),
        action=AuditEvent.Action.VIEW,
        person_id__isnull=False,
        user_id__isnull=False,
    ).order_by()


def many_more_than_usual(
    registers: Sequence[Register], *, since: datetime.date, until: datetime.date
) -> list[Finding]:
    """Users who opened many more people's records in a day than they usually do.

    For each user and day: the number of different people whose records they opened, against their own
    daily average over the register's look-back days before it (a day they opened none counts as nought).
    Flagged when it is at least the register's multiple of that average and at least its minimum, so that a
    quiet user who opens three records is not. Someone with no reads in the look-back days (a new starter,
    say) is flagged once they reach the minimum."""
    if not registers:
        return []
    longest = max(register.unusual_lookback_days for register in registers)
    rows = (
        _opened(registers, since - datetime.timedelta(days=longest), until)
        .annotate(day=_day())
        .values("register_id", "user_id", "day")
        .annotate(records=Count("person_id", distinct=True), times=Count("id"), username=Max("username"))
    )
    daily: dict[tuple[int, int], dict[datetime.date, int]] = defaultdict(dict)
    on_the_day = []
    for row in rows:
        daily[row["register_id"], row["user_id"]][row["day"]] = row["records"]
        if since <= row["day"] <= until:
            on_the_day.append(row)
    by_id = {register.pk: register for register in registers}
    found = []
    for row in on_the_day:
        register = by_id[row["register_id"]]
        if row["records"] < register.unusual_minimum_records:
            continue
        history = daily[row["register_id"], row["user_id"]]
        days = register.unusual_lookback_days
        before = sum(history.get(row["day"] - datetime.timedelta(days=n), 0) for n in range(1, days + 1))
        usual = decimal.Decimal(before) / days
        if row["records"] >= register.unusual_multiple * usual:
            found.append(
                Finding(
                    kind=MANY_RECORDS,
                    register=register,
                    day=row["day"],
                    user_id=row["user_id"],
                    username=row["username"],
                    records=row["records"],
                    times=row["times"],
                    # Rounded up, so that a few reads never show as an average of nought.
                    usual=usual.quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_UP),
                )
            )
    return found


def outside_working_hours(
    registers: Sequence[Register], *, since: datetime.date, until: datetime.date
) -> list[Finding]:
    """Records opened outside the register's working hours: before its working day starts or at or after it
    ends, or at any time on a Saturday, a Sunday or a bank holiday in England. One finding per user and day,
    with how many people's records and how many times."""
    if not registers:
        return []
    hours = Q()
    for register in registers:
        hours |= Q(register_id=register.pk) & (
            Q(time__lt=register.working_day_starts) | Q(time__gte=register.working_day_ends)
        )
    rows = (
        _opened(registers, since, until)
        .annotate(day=_day(), time=TruncTime("at", tzinfo=timezone.get_current_timezone()))
        .filter(Q(day__in=sorted(days_off(since, until))) | hours)
        .values("register_id", "user_id", "day")
        .annotate(records=Count("person_id", distinct=True), times=Count("id"), username=Max("username"))
    )
    by_id = {register.pk: register for register in registers}
    return [
        Finding(
            kind=OUT_OF_HOURS,
            register=by_id[row["register_id"]],
            day=row["day"],
            user_id=row["user_id"],
            username=row["username"],
            records=row["records"],
            times=row["times"],
        )
        for row in rows
    ]


def outside_caseload(
    registers: Sequence[Register], *, since: datetime.date, until: datetime.date
) -> list[Finding]:
    """Keyworkers who opened the record of someone who was not on their caseload that day.

    A keyworker here is a user whose role in the register is keyworker (one role per register). Someone is
    on their caseload on a day when a care-team entry linked to the keyworker's account, marked as their
    keyworker, had started by then and had not ended before it: the day an allocation ends still counts, as
    the record may have been opened before the end was recorded. One finding per keyworker, person and day."""
    if not registers:
        return []
    keyworker = Membership.objects.filter(
        user_id=OuterRef("user_id"),
        register_id=OuterRef("register_id"),
        role__in=roles_that_may("have_own_caseload"),
    )
    allocated = Involvement.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("day")),
        person_id=OuterRef("person_id"),
        user_id=OuterRef("user_id"),
        is_keyworker=True,
        started_on__lte=OuterRef("day"),
    )
    rows = (
        _opened(registers, since, until)
        .annotate(day=_day())
        .filter(Exists(keyworker), ~Exists(allocated))
        .values("register_id", "user_id", "person_id", "day")
        .annotate(times=Count("id"), username=Max("username"))
    )
    by_id = {register.pk: register for register in registers}
    return [
        Finding(
            kind=OUTSIDE_CASELOAD,
            register=by_id[row["register_id"]],
            day=row["day"],
            user_id=row["user_id"],
            username=row["username"],
            records=1,
            times=row["times"],
            person_id=row["person_id"],
        )
        for row in rows
    ]


def findings(registers: Sequence[Register], *, since: datetime.date, until: datetime.date) -> list[Finding]:
    """Every sign of unusual access in these registers from one day to another (inclusive), each naming the
    member of staff: by register, most recent day first, then by kind and user. Four queries at most."""
    found = [
        *many_more_than_usual(registers, since=since, until=until),
        *outside_working_hours(registers, since=since, until=until),
        *outside_caseload(registers, since=since, until=until),
    ]
    users = get_user_model().objects.filter(pk__in={finding.user_id for finding in found})
    names = {user.pk: user.get_full_name() for user in users.only("first_name", "last_name")} if found else {}
    order = list(KINDS)
    return sorted(
        (replace(finding, name=names.get(finding.user_id, "")) for finding in found),
        key=lambda f: (
            f.register.name,
            -f.day.toordinal(),
            order.index(f.kind),
            f.username,
            str(f.person_id),
        ),
    )
