"""Today's work: what is due or overdue for the user, most urgent first, from the rules the other pages use.

Coordinators and professionals (who open every record in a register) see their register's C(E)TRs, rating
reviews, oversight visits and actions due within a week or overdue, referrals nearing or past the
consultation target (coordinators), people escalated to the oversight panel, the next meetings, and young
people turning 18 soon. Keyworkers see the contacts due with the people on their caseload and their own
actions. Referrers see the referrals they made and where each has got to. A fixed number of queries,
whatever the size of the register.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse

from dsr.access import Scope
from dsr.actions.models import Action
from dsr.dates import months_after, years_before
from dsr.meetings.models import Escalation, Meeting
from dsr.meetings.selectors import meetings_for, open_escalation_reason
from dsr.people.models import Person
from dsr.referrals.models import Referral
from dsr.referrals.selectors import made_by, referrals_for
from dsr.registers.models import Register
from dsr.reviews import policy
from dsr.reviews.policy import ADULT_AGE
from dsr.reviews.selectors import facts_from_annotations, with_requirement_facts
from dsr.workspace import caseload
from dsr.workspace.transition import TRANSITION_MONTHS, turns_adult_within

WEEK = datetime.timedelta(days=7)
NEXT_MEETINGS = 3
RECENT_REFERRALS = 20
# The most urgent things shown; a register of thousands can have thousands due, which no one reads on one
# page: the rest are counted, and the register list sorted "most overdue first" has them all.
SHOWN_DUE = 100


@dataclass(frozen=True)
class Due:
    """One thing to do by a date: what it is, who it is about, and the page to do it on."""

    what: str
    about: str
    url: str
    due_on: datetime.date
    on: datetime.date
    register: str = ""
    person: Person | None = None  # the person it is about, or
    referral: Referral | None = None  # the referral it is about

    @property
    def days_overdue(self) -> int:
        return max((self.on - self.due_on).days, 0)

    @property
    def overdue(self) -> bool:
        return self.on > self.due_on


@dataclass(frozen=True)
class TurningAdult:
    person: Person
    birthday: datetime.date


@dataclass
class TodaysWork:
    on: datetime.date
    due: list[Due] = field(default_factory=list)
    due_total: int = 0
    people_due: int = 0  # people in the registers seen whole with something due within the week
    more_due: bool = False  # more is due than the page shows
    escalated: list[Person] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    turning_adult: list[TurningAdult] = field(default_factory=list)
    my_referrals: list[Referral] = field(default_factory=list)
    shown_people: dict[Any, Person] = field(default_factory=dict)
    shown_referrals: list[Referral] = field(default_factory=list)
    sections: set[str] = field(default_factory=set)

    @property
    def transition_months(self) -> int:
        return TRANSITION_MONTHS


def _registers(scope: Scope) -> dict[int, Register]:
    """The user's registers by id, for each person on the page to hold their register itself rather than a
    copy of it read with them: a register can have thousands of people."""
    return {register.pk: register for register in scope.all_registers}


def _record(person: Person) -> str:
    return reverse("people:detail", kwargs={"person_id": person.pk})


def _not_worked_out(horizon: datetime.date) -> Q:
    """People whose due date is not worked out yet (`Person.due_on` empty) and who may have something due:
    a rating whose requirements have dates, or a rating review within the week."""
    dated = Q(current_rating__in=policy.DATED_RATINGS) | Q(next_review_due__lte=horizon)
    return Q(due_on__isnull=True) & dated


def _escalated_or_turning_adult(on: datetime.date) -> Q:
    """People with an open escalation, or turning 18 in the next months: a wider net than
    `turns_adult_within`, which decides."""
    # Two days either side of the window: an 18th birthday on 1 March for someone born on 29 February.
    born_after = years_before(on, ADULT_AGE) - datetime.timedelta(days=2)
    born_by = years_before(months_after(on, TRANSITION_MONTHS), ADULT_AGE) + datetime.timedelta(days=2)
    open_escalation = Escalation.objects.filter(closed_on__isnull=True).values("person")
    return Q(pk__in=open_escalation) | Q(date_of_birth__gte=born_after, date_of_birth__lte=born_by)


def _add_people_in_registers_seen_whole(work: TodaysWork, scope: Scope) -> None:
    """The register's rating reviews and what each rating requires (C(E)TRs, oversight visits) due within a
    week or overdue; escalations; turning 18 soon. Four queries, whatever the size of the register: the
    people with the earliest due dates (from `Person.due_on`, an index); they and those whose due date is
    not worked out yet, each with what the rules need; how many have something due in all; and the people
    escalated or turning 18."""
    every = scope.registers_for("open_every_record")
    if not every:
        return
    work.sections |= {"escalated", "turning_adult"}
    on, horizon = work.on, work.on + WEEK
    registers = _registers(scope)
    active = scope.people().filter(register__in=every, status=Person.Status.ACTIVE)
    # Their ids first, then what the rules need of those people only: asked together, PostgreSQL plans the
    # facts for every person who could be due (thousands), hashing the country's keyworkers for one of them.
    most_urgent = list(
        active.filter(due_on__lte=horizon).order_by("due_on", "pk").values_list("pk", flat=True)[:SHOWN_DUE]
    )
    work.people_due = active.filter(Q(due_on__lte=horizon) | _not_worked_out(horizon)).count()
    chosen = active.filter(Q(pk__in=most_urgent) | _not_worked_out(horizon))
    for person in with_requirement_facts(chosen, on):
        person.register = registers[person.register_id]
        for found in policy.requirements(facts_from_annotations(person), person.register, on):
            if found.state in (policy.DUE, policy.OVERDUE) and found.due_on and found.due_on <= horizon:
                what = found.what[:1].upper() + found.what[1:]
                work.due.append(
                    Due(
                        what,
                        person.full_name,
                        _record(person),
                        found.due_on,
                        on,
                        person.register.short_name,
                        person=person,
                    )
                )
        if person.next_review_due and person.next_review_due <= horizon:
            work.due.append(
                Due(
                    "Review of the rating",
                    person.full_name,
                    _record(person),
                    person.next_review_due,
                    on,
                    person.register.short_name,
                    person=person,
                )
            )
    for person in active.filter(_escalated_or_turning_adult(on)).annotate(
        open_escalation_reason=open_escalation_reason()
    ):
        person.register = registers[person.register_id]
        if person.open_escalation_reason is not None:
            work.escalated.append(person)
            work.shown_people[person.pk] = person
        birthday = turns_adult_within(person.date_of_birth, on)
        if birthday is not None:
            work.turning_adult.append(TurningAdult(person, birthday))
            work.shown_people[person.pk] = person
    work.escalated.sort(key=lambda p: (p.family_name, p.given_name))
    work.turning_adult.sort(key=lambda t: (t.birthday, t.person.family_name, t.person.given_name))


def _add_actions(work: TodaysWork, scope: Scope) -> None:
    """Open actions due within a week or overdue: every one in the registers the user sees whole, and their
    own elsewhere (a keyworker's). The most urgent of them, in one query: thousands can be overdue in a
    register of thousands."""
    if not scope.registers_for("see_register_list") or not isinstance(scope.user, User):
        return
    every = scope.registers_for("open_every_record")
    actions = (
        Action.objects.filter(
            status=Action.Status.OPEN,
            due_on__lte=work.on + WEEK,
            person__in=scope.people().filter(status=Person.Status.ACTIVE),
        )
        .filter(Q(person__register__in=every) | Q(owner=scope.user))
        .select_related("person")
        .order_by("due_on", "pk")
    )
    most_urgent = list(actions[: SHOWN_DUE + 1])
    if len(most_urgent) > SHOWN_DUE:
        work.more_due, most_urgent = True, most_urgent[:SHOWN_DUE]
    registers = _registers(scope)
    for action in most_urgent:
        person = action.person
        person.register = registers[person.register_id]
        url = (
            reverse("actions:update", kwargs={"person_id": person.pk, "action_id": action.pk})
            if scope.may("update_action", action)
            else _record(person)
        )
        mine = " (yours)" if action.owner_id == scope.user.pk else ""
        work.due.append(
            Due(
                f"Action{mine}: {action.description}",
                person.full_name,
                url,
                action.due_on,
                work.on,
                person.register.short_name,
                person=person,
            )
        )


def _add_contacts(work: TodaysWork, scope: Scope) -> None:
    """Contacts due within a week or overdue with the people the user is keyworker to. One query."""
    if not scope.registers_for("have_own_caseload"):
        return
    horizon = work.on + WEEK
    for person in caseload.caseload(scope.people(), keyworker=scope.user, on=work.on):
        next_contact: caseload.NextContact = getattr(person, "next_contact")  # noqa: B009 (set by caseload)
        due_on = next_contact.due_on
        if due_on is not None and due_on <= horizon:
            url = (
                reverse("people:log_contact", kwargs={"person_id": person.pk})
                if scope.may("log_contact", person)
                else _record(person)
            )
            work.due.append(
                Due(
                    "Contact",
                    person.full_name,
                    url,
                    due_on,
                    work.on,
                    person.register.short_name,
                    person=person,
                )
            )


def _add_referrals_to_triage(work: TodaysWork, scope: Scope) -> None:
    """Referrals still awaiting a consultation whose target (dsr.referrals.targets) is within a week or
    past. One query."""
    if not scope.registers_for("triage_referrals"):
        return
    horizon = work.on + WEEK
    waiting = referrals_for(scope).filter(state=Referral.State.RECEIVED).select_related("register")
    for referral in waiting:
        due_on = referral.consultation_due_on
        if due_on <= horizon:
            work.due.append(
                Due(
                    f"Offer a consultation (target {referral.consultation_target})",
                    f"Referral {referral.reference}: {referral.full_name}",
                    reverse("referrals:detail", kwargs={"referral_id": referral.pk}),
                    due_on,
                    work.on,
                    referral.register.short_name,
                    referral=referral,
                )
            )


def _add_meetings(work: TodaysWork, scope: Scope) -> None:
    if not scope.registers_for("see_meetings"):
        return
    work.sections.add("meetings")
    work.meetings = list(
        meetings_for(scope)
        .filter(held_on__gte=work.on, status=Meeting.Status.PLANNED)
        .order_by("held_on", "starts_at")[:NEXT_MEETINGS]
    )


def _add_my_referrals(work: TodaysWork, scope: Scope) -> None:
    if not scope.registers_for("follow_own_referrals"):
        return
    work.sections.add("my_referrals")
    work.my_referrals = list(made_by(scope)[:RECENT_REFERRALS])
    work.shown_referrals.extend(work.my_referrals)


def todays_work(scope: Scope, on: datetime.date) -> TodaysWork:
    """What the user has to do, most urgent first: the most overdue thing at the top."""
    work = TodaysWork(on=on)
    _add_people_in_registers_seen_whole(work, scope)
    _add_actions(work, scope)
    _add_contacts(work, scope)
    _add_referrals_to_triage(work, scope)
    _add_meetings(work, scope)
    _add_my_referrals(work, scope)
    work.due.sort(key=lambda d: (d.due_on, d.about, d.what))
    work.due_total = len(work.due)
    work.due = work.due[:SHOWN_DUE]
    work.more_due = work.more_due or work.due_total > len(work.due) or work.people_due > SHOWN_DUE
    for due in work.due:
        if due.person is not None:
            work.shown_people[due.person.pk] = due.person
        if due.referral is not None:
            work.shown_referrals.append(due.referral)
    return work
