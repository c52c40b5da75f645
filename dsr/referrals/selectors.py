"""Reads of referrals, always starting from the user's scope (or, for the public form, from nothing)."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Lower, Trim
from django.http import Http404

from dsr.access import Scope
from dsr.people.models import Person
from dsr.referrals.models import Referral, ReferralEvent
from dsr.registers.models import Register

OPEN_STATES = [
    Referral.State.RECEIVED,
    Referral.State.CONSULTATION_OFFERED,
    Referral.State.AWAITING_MEETING,
]


def public_registers() -> QuerySet[Register]:
    """The registers a member of the public may refer to: those their coordinators have published."""
    return Register.objects.filter(published=True).order_by("name")


def referrals_for(scope: Scope) -> QuerySet[Referral]:
    """Referrals in the registers where the user triages referrals."""
    return Referral.objects.filter(register__in=scope.registers_for("triage_referrals"))


def made_by(scope: Scope) -> QuerySet[Referral]:
    """The referrals this user made, in the registers where they may still make referrals, newest first."""
    if not isinstance(scope.user, User):
        return Referral.objects.none()  # nobody signed in made no referrals
    return (
        Referral.objects.filter(submitted_by=scope.user, register__in=scope.registers_for("make_referral"))
        .select_related("register")
        .order_by("-received_at")
    )


def own_referral(scope: Scope, referral_id) -> Referral:
    """One referral the user made, in a register where they follow their own referrals; 404 for anyone
    else's."""
    if not isinstance(scope.user, User):
        raise Http404("No such referral")
    queryset = Referral.objects.filter(
        submitted_by=scope.user, register__in=scope.registers_for("follow_own_referrals")
    ).select_related("register")
    try:
        return queryset.get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError) as error:
        raise Http404("No such referral") from error


def _folded(queryset: QuerySet) -> QuerySet:
    """Names trimmed and case-folded, to compare with another record's."""
    return queryset.annotate(_given=Lower(Trim("given_name")), _family=Lower(Trim("family_name")))


def _same_name_and_birth(given_name, family_name, date_of_birth) -> Q:
    return Q(_given=Lower(Trim(given_name)), _family=Lower(Trim(family_name)), date_of_birth=date_of_birth)


def _same_number(nhs_number) -> Q:
    return Q(nhs_number=nhs_number) & ~Q(nhs_number="")


def _outer_matches() -> Q:
    """Same NHS number, or same name and date of birth, as the outer referral."""
    return _same_number(OuterRef("nhs_number")) | _same_name_and_birth(
        OuterRef("given_name"), OuterRef("family_name"), OuterRef("date_of_birth")
    )


def triage_queue(scope: Scope) -> QuerySet[Referral]:
    """Referrals not yet closed, oldest first, each flagged when it may duplicate a person or referral."""
    # Not the person the referral itself put on the register (or was linked to) when it was accepted.
    people = _folded(Person.objects.filter(register=OuterRef("register")).exclude(referrals=OuterRef("pk")))
    referrals = _folded(
        Referral.objects.filter(register=OuterRef("register"), state__in=OPEN_STATES).exclude(
            pk=OuterRef("pk")
        )
    )
    return (
        referrals_for(scope)
        .exclude(state=Referral.State.CLOSED)
        .select_related("register")
        .annotate(
            duplicate_person=Exists(people.filter(_outer_matches())),
            duplicate_referral=Exists(referrals.filter(_outer_matches())),
        )
        .order_by("received_at")
    )


def referral_record(scope: Scope, referral_id) -> Referral:
    """One referral the user may triage, with its history; 404 outside their registers."""
    queryset = (
        referrals_for(scope)
        .select_related("register", "person", "decided_by", "submitted_by")
        .prefetch_related("events__by")
    )
    try:
        return queryset.get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError) as error:
        raise Http404("No such referral") from error


@dataclass(frozen=True)
class Duplicates:
    people: list[Person]
    referrals: list[Referral]

    def __bool__(self) -> bool:
        return bool(self.people or self.referrals)


def duplicates_of(referral: Referral) -> Duplicates:
    """People (any status) and open referrals in the referral's register that may be the same person; not
    the person the referral itself put on the register."""
    match = _same_number(referral.nhs_number) | _same_name_and_birth(
        Value(referral.given_name), Value(referral.family_name), referral.date_of_birth
    )
    in_register = Person.objects.filter(register=referral.register_id)
    if referral.person_id is not None:
        in_register = in_register.exclude(pk=referral.person_id)
    people = _folded(in_register).filter(match).order_by("family_name", "given_name")
    referrals = (
        _folded(Referral.objects.filter(register=referral.register_id, state__in=OPEN_STATES))
        .filter(match)
        .exclude(pk=referral.pk)
        .order_by("received_at")
    )
    return Duplicates(people=list(people), referrals=list(referrals))


def history(referral: Referral) -> list[ReferralEvent]:
    """The referral's state changes, oldest first (prefetched by referral_record)."""
    return list(referral.events.all())


def awaiting_count(scope: Scope) -> int:
    """How many referrals in the user's registers await a decision."""
    return referrals_for(scope).filter(state__in=OPEN_STATES).count()


def referral_sent_with(token: str) -> bool:
    """Whether a referral was already made from the form with this one-time token."""
    return Referral.objects.filter(submission_token=token).exists()
