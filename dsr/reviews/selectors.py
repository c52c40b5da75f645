"""Reads of reviews, and the facts the policy rules need, from a person's record or as list annotations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from dsr.access import one_of
from dsr.people.models import Admission, Involvement, Person
from dsr.ratings.models import RiskRating
from dsr.reviews import policy
from dsr.reviews.models import Review

REVIEW_KINDS = [policy.CETR, policy.CTR, policy.LAEP]


class RequirementFacts(TypedDict):
    """The policy facts `with_requirement_facts` annotates each person with (None: nothing to find)."""

    policy_last_meeting_on: datetime.date | None
    policy_rated_since: datetime.datetime | None
    policy_admitted_on: datetime.date | None
    policy_secure_service: bool | None
    policy_out_of_area: bool | None
    policy_has_keyworker: bool
    policy_has_team: bool
    policy_last_review_on: datetime.date | None
    policy_last_community_review_on: datetime.date | None
    policy_last_review_before_admission_on: datetime.date | None
    policy_last_review_since_admission_on: datetime.date | None
    policy_last_visit_since_admission_on: datetime.date | None


if TYPE_CHECKING:  # WithAnnotations takes the annotations' TypedDict only for the type checker
    from typing import TypeAlias

    from django_stubs_ext import WithAnnotations

    PersonWithFacts: TypeAlias = WithAnnotations[Person, RequirementFacts]


def _local_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def rated_since(ratings: list[RiskRating]) -> datetime.date | None:
    """The first day of the current rating, from the rating history (newest first)."""
    if not ratings:
        return None
    current, since = ratings[0].rating, None
    for entry in ratings:
        if entry.rating != current:
            break
        since = entry.rated_at
    return _local_date(since)


def facts_from_record(person: Person, on: datetime.date) -> policy.Facts:
    """The policy facts of a person whose reviews, ratings, care team and admissions are prefetched."""
    reviews = [r for r in person.reviews.all() if r.took_place and r.review_on <= on]
    cetrs = sorted((r for r in reviews if r.kind in REVIEW_KINDS), key=lambda r: r.review_on, reverse=True)
    visits = sorted(
        (r for r in reviews if r.kind == policy.OVERSIGHT_VISIT), key=lambda r: r.review_on, reverse=True
    )
    admission = person.current_admission()
    admitted = admission.admitted_on if admission else None
    team = [i for i in person.involvements.all() if i.is_current]

    def first(items, test=lambda r: True) -> datetime.date | None:
        return next((r.review_on for r in items if test(r)), None)

    return policy.Facts(
        rating=person.current_rating,
        rated_since=rated_since(list(person.ratings.all())),
        date_of_birth=person.date_of_birth,
        has_keyworker=any(i.is_keyworker for i in team),
        care_team_size=len(team),
        admitted_on=admitted,
        secure_service=bool(admission and admission.secure_service),
        out_of_area=bool(admission and admission.out_of_area),
        last_review_on=first(cetrs),
        last_community_review_on=first(cetrs, lambda r: r.setting == Review.Setting.COMMUNITY),
        last_review_before_admission_on=first(cetrs, lambda r: admitted and r.review_on < admitted),
        last_review_since_admission_on=first(
            cetrs, lambda r: admitted and r.kind != policy.LAEP and r.review_on >= admitted
        ),
        last_visit_since_admission_on=first(visits, lambda r: admitted and r.review_on >= admitted),
        last_meeting_on=max(
            (i.meeting.held_on for i in person.agenda_items.all() if i.discussed and i.meeting.held_on <= on),
            default=None,
        ),
    )


def requirements_for(person: Person, on: datetime.date) -> list[policy.Requirement]:
    """What the person's rating requires and where each thing stands (record prefetched)."""
    return policy.requirements(facts_from_record(person, on), person.register, on)


def with_requirement_facts(people: QuerySet[Person], on: datetime.date) -> QuerySet[PersonWithFacts]:
    """Annotate each person with the policy facts, as correlated subqueries (no query per row)."""
    later_other_rating = RiskRating.objects.filter(
        person=OuterRef("person"), rated_at__gt=OuterRef("rated_at")
    ).exclude(rating=OuterRef("rating"))
    since = (
        RiskRating.objects.filter(person=OuterRef("pk"), rating=OuterRef("current_rating"))
        .exclude(Exists(later_other_rating))
        .order_by("rated_at")
        .values("rated_at")[:1]
    )
    took_place = Review.objects.filter(
        person=OuterRef("pk"), status=Review.Status.TOOK_PLACE, review_on__lte=on
    )
    reviews = took_place.filter(kind__in=REVIEW_KINDS).order_by("-review_on").values("review_on")
    visits = took_place.filter(kind=policy.OVERSIGHT_VISIT).order_by("-review_on").values("review_on")
    admission = Admission.objects.filter(person=OuterRef("pk"), discharged_on__isnull=True).order_by(
        "-admitted_on"
    )
    team = Involvement.objects.filter(person=OuterRef("pk"), ended_on__isnull=True)
    # The last meeting that discussed them, through the agenda items meetings hang off each person.
    meetings = Person.objects.filter(
        pk=OuterRef("pk"), agenda_items__discussed=True, agenda_items__meeting__held_on__lte=on
    ).order_by("-agenda_items__meeting__held_on")
    return people.annotate(
        policy_last_meeting_on=Subquery(meetings.values("agenda_items__meeting__held_on")[:1]),
        policy_rated_since=Subquery(since),
        policy_admitted_on=Subquery(admission.values("admitted_on")[:1]),
        policy_secure_service=Subquery(admission.values("secure_service")[:1]),
        policy_out_of_area=Subquery(admission.values("out_of_area")[:1]),
        policy_has_keyworker=Exists(team.filter(is_keyworker=True)),
        policy_has_team=Exists(team),
        policy_last_review_on=Subquery(reviews[:1]),
        policy_last_community_review_on=Subquery(reviews.filter(setting=Review.Setting.COMMUNITY)[:1]),
    ).annotate(
        policy_last_review_before_admission_on=Subquery(
            reviews.filter(review_on__lt=OuterRef("policy_admitted_on"))[:1]
        ),
        policy_last_review_since_admission_on=Subquery(
            reviews.exclude(kind=policy.LAEP).filter(review_on__gte=OuterRef("policy_admitted_on"))[:1]
        ),
        policy_last_visit_since_admission_on=Subquery(
            visits.filter(review_on__gte=OuterRef("policy_admitted_on"))[:1]
        ),
    )


def facts_from_annotations(person: PersonWithFacts) -> policy.Facts:
    """The policy facts of a person from `with_requirement_facts`."""
    return policy.Facts(
        rating=person.current_rating,
        rated_since=_local_date(person.policy_rated_since),
        date_of_birth=person.date_of_birth,
        has_keyworker=person.policy_has_keyworker,
        care_team_size=1 if person.policy_has_team else 0,
        admitted_on=person.policy_admitted_on,
        secure_service=bool(person.policy_secure_service),
        out_of_area=bool(person.policy_out_of_area),
        last_review_on=person.policy_last_review_on,
        last_community_review_on=person.policy_last_community_review_on,
        last_review_before_admission_on=person.policy_last_review_before_admission_on,
        last_review_since_admission_on=person.policy_last_review_since_admission_on,
        last_visit_since_admission_on=person.policy_last_visit_since_admission_on,
        last_meeting_on=person.policy_last_meeting_on,
    )


def describe_rows(people: Iterable[PersonWithFacts], on: datetime.date) -> None:
    """Give each annotated person of a list page what their rating requires, in short, and its worst state."""
    for person in people:
        found = policy.requirements(facts_from_annotations(person), person.register, on)
        person.requirements_summary = policy.summary(person.current_rating, found)
        person.requirements_state = policy.worst_state(found)


def review_of(person: Person, review_id) -> Review:
    """One review of a person already in scope, or 404."""

    return one_of(person.reviews.select_related("admission"), review_id)
