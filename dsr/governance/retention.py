"""Retention by each register's policy: file a record some time after the person leaves, erase it later.

`plan()` works out what is due and why, touching nothing (the dry run); `apply()` does it. The
command `manage.py apply_retention`, the daily background task and the IG officer's retention page
all call these two functions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, QuerySet

from dsr.dates import format_date, today
from dsr.governance import audit, erasure
from dsr.governance.models import AuditEvent
from dsr.people.models import Person
from dsr.registers.models import Register

FILE = "file"
ERASE = "erase"


def _days(days: int) -> str:
    if days % 365 in (0, 1, 2) and days >= 365:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''}"
    if days >= 28 and days % 30 in (0, 1, 2, 3) and days < 365:
        months = round(days / 30.4)
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def file_rule(register: Register) -> str:
    name = register.short_name or register.name
    return f"{name} files a record {_days(register.archive_after_days)} after leaving"


def erase_rule(register: Register) -> str:
    name = register.short_name or register.name
    return f"{name} erases a record {_days(register.erase_after_days)} after leaving"


@dataclass(frozen=True)
class Step:
    """One thing retention will do (or did) to one record."""

    person_id: str
    register: Register
    left_on: datetime.date
    action: str  # FILE or ERASE
    due_on: datetime.date
    rule: str
    name: str  # for the IG officer's report only; never written to the tombstone

    @property
    def pk(self) -> str:
        return self.person_id

    @property
    def register_id(self) -> int:
        return self.register.pk

    @property
    def why(self) -> str:
        return f"Left on {format_date(self.left_on)}; {self.rule} (due {format_date(self.due_on)})"


def candidates(registers: list[Register] | None = None) -> QuerySet[Person]:
    """People who have left a register, with the day they last left."""
    people = Person.objects.exclude(status=Person.Status.ACTIVE)
    if registers is not None:
        people = people.filter(register__in=registers)
    return (
        people.annotate(last_left_on=Max("episodes__left_on"))
        .filter(last_left_on__isnull=False)
        .select_related("register")
        .order_by("last_left_on", "pk")
    )


def plan(*, on: datetime.date | None = None, registers: list[Register] | None = None) -> list[Step]:
    """What retention would do today (or on `on`), and why. Changes nothing."""
    on = on or today()
    steps = []
    for person in candidates(registers).iterator(chunk_size=500):
        register, left_on = person.register, person.last_left_on
        erase_on = left_on + datetime.timedelta(days=register.erase_after_days)
        if erase_on <= on:
            rule = erase_rule(register)
            steps.append(Step(str(person.pk), register, left_on, ERASE, erase_on, rule, person.full_name))
            continue
        if register.archive_after_days is None or person.status == Person.Status.FILED:
            continue
        file_on = left_on + datetime.timedelta(days=register.archive_after_days)
        if file_on <= on:
            steps.append(
                Step(str(person.pk), register, left_on, FILE, file_on, file_rule(register), person.full_name)
            )
    return steps


@transaction.atomic
def file_person(*, person: Person, rule: str, by=None) -> Person:
    """Take a left record off every list and make it read-only, visible to coordinators and IG only."""
    audit.save_changes(by=by, record=person, values={"status": Person.Status.FILED, "filed_on": today()})
    audit.record_retention(
        by=by,
        action=AuditEvent.Action.FILE,
        person_id=person.pk,
        register_id=person.register_id,
        detail={"rule": rule},
    )
    return person


def apply(steps: list[Step], *, by=None) -> list[Step]:
    """Do what the plan says, each record in its own transaction; returns the steps done.

    A record that changed since the plan was made (rejoined the register, already erased) is skipped."""
    done = []
    for step in steps:
        with transaction.atomic():
            person = (
                Person.objects.select_for_update()
                .exclude(status=Person.Status.ACTIVE)
                .filter(pk=step.person_id)
                .first()
            )
            if person is None:
                continue
            if step.action == ERASE:
                rule = f"{step.rule}; left on {step.left_on.isoformat()}"
                erasure.erase_person(person=person, rule=rule, by=by)
            elif person.status == Person.Status.LEFT:
                file_person(person=person, rule=step.rule, by=by)
            else:
                continue
        done.append(step)
    return done
