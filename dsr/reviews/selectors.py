"""Reads of reviews, and the facts the policy rules need, from a person's record or as list annotations."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, DateTimeField, Exists, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
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


# Earlier than any rating entry, for someone who has only ever had one rating.
_EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def _rated_since() -> Subquery:
    """When a person's current rating began: their earliest entry of that rating with no entry of another
    rating after it. A subquery, to annotate people with; two lookups in their rating history, the latest
    entry of another rating and the first entry of this one since."""
    changed = (
        RiskRating.objects.filter(person=OuterRef(OuterRef("pk")))
        .exclude(rating=OuterRef(OuterRef("current_rating")))
        .order_by("-rated_at")
        .values("rated_at")[:1]
    )
    since = RiskRating.objects.filter(
        person=OuterRef("pk"),
        rating=OuterRef("current_rating"),
        rated_at__gte=Coalesce(Subquery(changed), Value(_EARLIEST, output_field=DateTimeField())),
    )
    return Subquery(since.order_by("rated_at").values("rated_at")[:1])


def with_requirement_facts(people: QuerySet[Person], on: datetime.date) -> QuerySet[PersonWithFacts]:
    """Annotate each person with the policy facts, as correlated subqueries (no query per row)."""
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
        policy_rated_since=_rated_since(),
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


def requirement_facts(people: QuerySet[Person], on: datetime.date) -> dict[uuid.UUID, policy.Facts]:
    """The policy facts of each of these people by id, as `with_requirement_facts` finds them, in a query for
    each kind of record whatever the number of people: for a register's whole agenda, where a subquery for
    each fact of each of thousands of people takes most of a second."""
    ids = people.values("pk")
    took_place = Review.objects.filter(person__in=ids, status=Review.Status.TOOK_PLACE, review_on__lte=on)
    reviews = {
        person_id: (last, community)
        for person_id, last, community in took_place.filter(kind__in=REVIEW_KINDS)
        .values("person")
        .annotate(
            last=Max("review_on"), community=Max("review_on", filter=Q(setting=Review.Setting.COMMUNITY))
        )
        .order_by()
        .values_list("person", "last", "community")
    }
    in_hospital = Admission.objects.filter(person__in=ids, discharged_on__isnull=True)
    admissions: dict[uuid.UUID, tuple] = {}
    for person_id, *admission in in_hospital.order_by("person", "-admitted_on").values_list(
        "person", "admitted_on", "secure_service", "out_of_area"
    ):
        admissions.setdefault(person_id, tuple(admission))
    around_admission = _reviews_around_admission(
        took_place.filter(person__in=in_hospital.values("person")), admissions
    )
    team = dict(
        Involvement.objects.filter(person__in=ids, ended_on__isnull=True)
        .values("person")
        .annotate(keyworkers=Count("pk", filter=Q(is_keyworker=True)))
        .order_by()
        .values_list("person", "keyworkers")
    )
    # The last meeting that discussed them, through the agenda items meetings hang off each person.
    meetings = dict(
        people.filter(agenda_items__discussed=True, agenda_items__meeting__held_on__lte=on)
        .values("pk")
        .annotate(last=Max("agenda_items__meeting__held_on"))
        .order_by()
        .values_list("pk", "last")
    )
    found = {}
    for person_id, rating, date_of_birth, rated_since in people.annotate(
        policy_rated_since=_rated_since()
    ).values_list("pk", "current_rating", "date_of_birth", "policy_rated_since"):
        last_review, last_community_review = reviews.get(person_id, (None, None))
        admitted_on, secure_service, out_of_area = admissions.get(person_id, (None, False, False))
        before, since, visit = around_admission.get(person_id, (None, None, None))
        found[person_id] = policy.Facts(
            rating=rating,
            rated_since=_local_date(rated_since),
            date_of_birth=date_of_birth,
            has_keyworker=bool(team.get(person_id)),
            care_team_size=1 if person_id in team else 0,
            admitted_on=admitted_on,
            secure_service=bool(secure_service),
            out_of_area=bool(out_of_area),
            last_review_on=last_review,
            last_community_review_on=last_community_review,
            last_review_before_admission_on=before,
            last_review_since_admission_on=since,
            last_visit_since_admission_on=visit,
            last_meeting_on=meetings.get(person_id),
        )
    return found


def _reviews_around_admission(took_place: QuerySet[Review], admissions: dict[uuid.UUID, tuple]) -> dict:
    """For each person in hospital (their admission date first in `admissions`): the dates of their last
    C(E)TR before the admission, their last C(E)TR other than a LAEP since it, and their last oversight visit
    since it, from the reviews that took place."""
    latest: dict[uuid.UUID, list] = {}
    for person_id, kind, review_on in took_place.filter(
        kind__in=[*REVIEW_KINDS, policy.OVERSIGHT_VISIT]
    ).values_list("person", "kind", "review_on"):
        if person_id not in admissions:
            continue
        admitted_on = admissions[person_id][0]
        if kind == policy.OVERSIGHT_VISIT:
            which = 2 if review_on >= admitted_on else None
        elif review_on < admitted_on:
            which = 0
        else:
            which = 1 if kind != policy.LAEP else None
        if which is not None:
            dates = latest.setdefault(person_id, [None, None, None])
            if dates[which] is None or review_on > dates[which]:
                dates[which] = review_on
    return {person_id: tuple(dates) for person_id, dates in latest.items()}


def describe_rows(people: Iterable[PersonWithFacts], on: datetime.date) -> None:
    """Give each annotated person of a list page what their rating requires, in short, and its worst state."""
    for person in people:
        found = policy.requirements(facts_from_annotations(person), person.register, on)
        person.requirements_summary = policy.summary(person.current_rating, found)
        person.requirements_state = policy.worst_state(found)


def review_of(person: Person, review_id) -> Review:
    """One review of a person already in scope, or 404."""

    return one_of(person.reviews.select_related("admission"), review_id)
