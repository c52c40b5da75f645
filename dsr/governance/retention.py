"""Retention by each register's policy: file a record some months after the person leaves, erase it later.

`review()` works out what is due and why, what a legal hold keeps, and which erasures wait for an open
request, touching nothing (the dry run); `plan()` is the part that is due, and `apply()` does it. The
command `manage.py apply_retention`, the daily background task and the IG officer's retention page all
call these functions. Dates are counted in calendar months (Register.files_on, Register.erases_on).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet

from dsr import audit
from dsr.audit.models import AuditEvent
from dsr.dates import format_date, months_in_words, today
from dsr.governance import erasure
from dsr.governance.models import LegalHold
from dsr.people.models import Person
from dsr.registers.models import Register
from dsr.rights.models import RectificationRequest, SubjectAccessRequest

FILE = "file"
ERASE = "erase"


def file_rule(register: Register) -> str:
    name = register.short_name or register.name
    return f"{name} files a record {months_in_words(register.file_after_months)} after leaving"


def erase_rule(register: Register) -> str:
    name = register.short_name or register.name
    return f"{name} erases a record {months_in_words(register.erase_after_months)} after leaving"


def dates(files_on: datetime.date | None, erases_on: datetime.date) -> str:
    """When a record is filed and erased, as the report shows it: "filed on 28 February 2027, erased on
    31 August 2032"."""
    filed = f"filed on {format_date(files_on)}" if files_on else "not filed first"
    return f"{filed}, erased on {format_date(erases_on)}"


@dataclass(frozen=True)
class Step:
    """One thing retention will do (or did) to one record."""

    person_id: str
    register: Register
    left_on: datetime.date
    action: str  # FILE or ERASE
    rule: str
    name: str  # for the IG officer's report only; never written to the tombstone
    files_on: datetime.date | None
    erases_on: datetime.date
    # Why an erasure that is due waits (an open request), in words that do not name the person.
    waiting_for: tuple[str, ...] = field(default=(), compare=False)

    @property
    def pk(self) -> str:
        return self.person_id

    @property
    def register_id(self) -> int:
        return self.register.pk

    @property
    def due_on(self) -> datetime.date:
        return self.erases_on if self.action == ERASE else self.files_on

    @property
    def dates(self) -> str:
        return dates(self.files_on, self.erases_on)

    @property
    def why(self) -> str:
        return f"Left on {format_date(self.left_on)}: {self.dates} ({self.rule})"


@dataclass(frozen=True)
class Held:
    """A record under legal hold: retention neither files nor erases it until the hold is lifted."""

    person_id: str
    register: Register
    name: str
    hold: LegalHold
    left_on: datetime.date | None  # None while they are on the register
    files_on: datetime.date | None  # the day it was filed, if it was
    erases_on: datetime.date | None

    @property
    def pk(self) -> str:
        return self.person_id

    @property
    def register_id(self) -> int:
        return self.register.pk

    @property
    def dates(self) -> str:
        """What retention would do but for the hold."""
        if self.left_on is None:
            return "Still on the register"
        return (
            f"Left on {format_date(self.left_on)}: {dates(self.files_on, self.erases_on)}, but for the hold"
        )


@dataclass(frozen=True)
class Review:
    """What retention does on a day, and what it leaves alone and why."""

    due: list[Step]
    waiting: list[Step]  # erasures due that wait for an open request (see each step's `waiting_for`)
    held: list[Held]

    @property
    def shown(self) -> list:
        """Everyone the report names, for the audit trail."""
        return [*self.due, *self.waiting, *self.held]


def _hold_in_force():
    return Exists(LegalHold.objects.in_force().filter(person=OuterRef("pk")))


def _open_request():
    return Exists(
        SubjectAccessRequest.objects.filter(person=OuterRef("pk"), status=SubjectAccessRequest.Status.OPEN)
    ) | Exists(
        RectificationRequest.objects.filter(person=OuterRef("pk"), outcome=RectificationRequest.Outcome.OPEN)
    )


def candidates(registers: list[Register] | None = None) -> QuerySet[Person]:
    """People who have left a register, with the day they last left, whether a legal hold is in force
    and whether a subject access or rectification request about them is open."""
    people = Person.objects.exclude(status=Person.Status.ACTIVE)
    if registers is not None:
        people = people.filter(register__in=registers)
    return (
        people.annotate(
            last_left_on=Max("episodes__left_on"), held=_hold_in_force(), open_request=_open_request()
        )
        .filter(last_left_on__isnull=False)
        .select_related("register")
        .order_by("last_left_on", "pk")
    )


def held(registers: list[Register] | None = None) -> list[Held]:
    """Every record under a legal hold in force, whether or not retention would touch it yet."""
    people = Person.objects.filter(_hold_in_force())
    if registers is not None:
        people = people.filter(register__in=registers)
    people = (
        people.annotate(last_left_on=Max("episodes__left_on"))
        .select_related("register")
        .prefetch_related(
            Prefetch(
                "legal_holds",
                queryset=LegalHold.objects.in_force().select_related("set_by"),
                to_attr="held_by",
            )
        )
        .order_by("family_name", "given_name", "pk")
    )
    found = []
    for person in people:
        left_on = person.last_left_on if person.status != Person.Status.ACTIVE else None
        register = person.register
        found.append(
            Held(
                person_id=str(person.pk),
                register=register,
                name=person.full_name,
                hold=person.held_by[0],
                left_on=left_on,
                files_on=person.filed_on or (register.files_on(left_on) if left_on else None),
                erases_on=register.erases_on(left_on) if left_on else None,
            )
        )
    return found


def review(*, on: datetime.date | None = None, registers: list[Register] | None = None) -> Review:
    """What retention would do today (or on `on`) and why; which records a legal hold keeps, and which
    erasures wait for an open request. Changes nothing."""
    on = on or today()
    due, waiting = [], []
    for person in candidates(registers).iterator(chunk_size=500):
        if person.held:
            continue
        register, left_on = person.register, person.last_left_on
        files_on, erases_on = register.files_on(left_on), register.erases_on(left_on)
        step = {
            "person_id": str(person.pk),
            "register": register,
            "left_on": left_on,
            "name": person.full_name,
            "files_on": files_on,
            "erases_on": erases_on,
        }
        if erases_on <= on:
            if not person.open_request:
                due.append(Step(action=ERASE, rule=erase_rule(register), **step))
                continue
            reasons = tuple(erasure.reasons_to_keep(person))
            waiting.append(Step(action=ERASE, rule=erase_rule(register), waiting_for=reasons, **step))
        if files_on is not None and person.status == Person.Status.LEFT and files_on <= on:
            due.append(Step(action=FILE, rule=file_rule(register), **step))
    return Review(due=due, waiting=waiting, held=held(registers))


def plan(*, on: datetime.date | None = None, registers: list[Register] | None = None) -> list[Step]:
    """What retention would do today (or on `on`), and why. Changes nothing."""
    return review(on=on, registers=registers).due


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

    A record that changed since the plan was made (rejoined the register, already erased, put under legal
    hold, asked about in a request now open) is skipped: checked under the person's row lock, which
    setting a legal hold and erasure take too."""
    done = []
    for step in steps:
        with transaction.atomic():
            person = (
                Person.objects.select_for_update()
                .exclude(status=Person.Status.ACTIVE)
                .filter(pk=step.person_id)
                .first()
            )
            if person is None or person.legal_holds.in_force().exists():
                continue
            if step.action == ERASE:
                if erasure.reasons_to_keep(person):
                    continue
                rule = f"{step.rule}; left on {step.left_on.isoformat()}"
                erasure.erase_person(person=person, rule=rule, by=by)
            elif person.status == Person.Status.LEFT:
                file_person(person=person, rule=step.rule, by=by)
            else:
                continue
        done.append(step)
    return done
