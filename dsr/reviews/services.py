"""Every change to a person's reviews: planning and recording C(E)TRs, LAEPs and oversight visits, and
their recommendations. Audited in the same transaction."""

import dataclasses
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DateField, QuerySet, Value, When

from dsr import audit
from dsr.actions import services as action_services
from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.people.models import Admission, Person
from dsr.reviews import policy
from dsr.reviews.models import Recommendation, Review
from dsr.reviews.selectors import facts_from_annotations, with_requirement_facts


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReviewDetails:
    """A C(E)TR, LAEP or commissioner oversight visit: what kind, when and where, its preparation, who
    took part and what happened."""

    kind: str
    setting: str
    admission: Admission | None = None
    review_on: datetime.date
    status: str = Review.Status.PLANNED
    chair: str = ""
    clinical_expert: str = ""
    expert_by_experience: str = ""
    attendees: str = ""
    person_attended: bool = False
    family_attended: bool = False
    consent: str = Review.Consent.NOT_YET
    consent_decided_by: str = ""
    invitations_sent_on: datetime.date | None = None
    papers_shared_on: datetime.date | None = None
    admission_recommended: bool = False
    psychiatrist: str = ""
    psychiatrist_decision: str = ""
    outcome: str = ""


# A review's details, as a change form starts and as a record of this kind shows them.
REVIEW_FIELDS = [field.name for field in dataclasses.fields(ReviewDetails)]


def validate_review(*, person: Person, details: ReviewDetails) -> ReviewDetails:
    """Check a review against the policy: the type for the person's age on the review date, the admission
    a post-admission or inpatient review belongs to, and dates that make sense; returns it normalised."""
    details = dataclasses.replace(
        details,
        chair=details.chair.strip(),
        clinical_expert=details.clinical_expert.strip(),
        expert_by_experience=details.expert_by_experience.strip(),
        attendees=details.attendees.strip(),
        consent_decided_by=details.consent_decided_by.strip(),
        psychiatrist=details.psychiatrist.strip(),
        psychiatrist_decision=details.psychiatrist_decision.strip(),
        outcome=details.outcome.strip(),
        status=details.status or Review.Status.PLANNED,
        consent=details.consent or Review.Consent.NOT_YET,
    )
    if details.kind not in Review.Kind.values:
        raise ValidationError({"kind": "Choose the type of review"})
    if details.setting not in Review.Setting.values:
        raise ValidationError({"setting": "Choose the setting"})
    errors: dict[str, str] = {}
    kind, setting, review_on = details.kind, details.setting, details.review_on
    refusal = policy.kind_refusal(
        kind=kind, name=person.given_name, date_of_birth=person.date_of_birth, review_on=review_on
    )
    if refusal:
        errors["kind"] = refusal
    if kind == policy.LAEP:
        if not details.admission_recommended:
            errors["admission_recommended"] = (
                "A LAEP is for a child in crisis whose admission has been recommended: confirm it was"
            )
        if details.status == Review.Status.TOOK_PLACE and not (
            details.psychiatrist and details.psychiatrist_decision
        ):
            errors["psychiatrist_decision"] = "Enter the psychiatrist's name and decision: it is final"
    if kind == policy.OVERSIGHT_VISIT and setting != Review.Setting.INPATIENT:
        errors["setting"] = "A commissioner oversight visit is to someone in hospital: choose inpatient"
    admission = details.admission
    if setting in (Review.Setting.POST_ADMISSION, Review.Setting.INPATIENT):
        if admission is None:
            errors["admission"] = "Choose the admission this review is about"
        elif admission.person_id != person.pk:
            errors["admission"] = "Choose one of this person's admissions"
        elif review_on < admission.admitted_on:
            errors["review_on"] = (
                "A post-admission or inpatient review must be on or after the admission date"
            )
    elif admission is not None:
        details = dataclasses.replace(details, admission=None)
    if details.status == Review.Status.TOOK_PLACE and review_on > today():
        errors["review_on"] = "A review that took place must not be in the future"
    for name, label, day in (
        ("invitations_sent_on", "Invitations", details.invitations_sent_on),
        ("papers_shared_on", "Papers", details.papers_shared_on),
    ):
        if day is not None and day > today():
            errors[name] = f"{label} cannot have been sent in the future"
        elif day is not None and day > review_on:
            errors[name] = f"{label} must be sent before the review"
    if details.consent == Review.Consent.BEST_INTERESTS and not details.consent_decided_by:
        errors["consent_decided_by"] = "Enter who made the best-interests decision"
    if errors:
        raise ValidationError(errors)
    return details


@transaction.atomic
def record_review(*, person: Person, details: ReviewDetails, by, meeting=None) -> Review:
    """Plan or record a C(E)TR, LAEP or commissioner oversight visit for a person (arranged by a meeting,
    when `meeting` is given)."""
    details = validate_review(person=person, details=details)
    review = Review.objects.create(
        person=person,
        recorded_by=by,
        meeting=meeting,
        kind=details.kind,
        setting=details.setting,
        admission=details.admission,
        review_on=details.review_on,
        status=details.status,
        chair=details.chair,
        clinical_expert=details.clinical_expert,
        expert_by_experience=details.expert_by_experience,
        attendees=details.attendees,
        person_attended=details.person_attended,
        family_attended=details.family_attended,
        consent=details.consent,
        consent_decided_by=details.consent_decided_by,
        invitations_sent_on=details.invitations_sent_on,
        papers_shared_on=details.papers_shared_on,
        admission_recommended=details.admission_recommended,
        psychiatrist=details.psychiatrist,
        psychiatrist_decision=details.psychiatrist_decision,
        outcome=details.outcome,
    )
    audit.record_change(by=by, record=review, action=AuditEvent.Action.CREATE)
    return review


@transaction.atomic
def change_review(*, review: Review, details: ReviewDetails, by) -> Review:
    """Update a review: its preparation as it nears, then what happened."""
    details = validate_review(person=review.person, details=details)
    changes = {name: getattr(details, name) for name in REVIEW_FIELDS}
    return audit.save_changes(by=by, record=review, values=changes)


@transaction.atomic
def add_recommendation(*, review: Review, text: str, follow_up: dict[str, Any], by) -> Recommendation:
    """Record a review's recommendation and the action that follows it up until it is done."""
    if not text.strip():
        raise ValidationError({"text": "Enter the recommendation"})
    recommendation = Recommendation.objects.create(review=review, text=text.strip(), recorded_by=by)
    audit.record_change(by=by, record=recommendation, action=AuditEvent.Action.CREATE)
    action_services.add_action(
        person=review.person,
        description=text,
        owner_name=follow_up.get("owner_name") or "",
        owner=follow_up.get("owner"),
        organisation=follow_up.get("organisation"),
        due_on=follow_up.get("due_on"),
        review=review,
        recommendation=recommendation,
        by=by,
    )
    return recommendation


# The records whose changes can move the day something falls due for their person: the person (date of
# birth, rating, review date), their ratings, reviews and admissions (dsr.reviews.policy.Facts).
DUE_DATE_RECORDS = frozenset({"person", "riskrating", "review", "admission"})
# The register's policy fields the dated requirements read (dsr.reviews.policy.requirements).
DUE_DATE_POLICY = frozenset(
    {
        "red_review_target_days",
        "post_admission_review_days_child",
        "post_admission_review_days_adult",
        "pre_admission_review_counts_days",
        "inpatient_review_months_child",
        "inpatient_review_months_adult",
        "inpatient_review_months_secure",
        "oversight_visit_weeks_child",
        "oversight_visit_weeks_adult",
    }
)
REFRESH_BATCH = 2000


def refresh_due_dates(people: QuerySet[Person], on: datetime.date | None = None) -> int:
    """Work out again when something next falls due for each of these people (`Person.due_on`, from the
    policy's rules as every page applies them) and keep it; returns how many people were worked out. A
    register of thousands goes in batches, each one query for the facts and one update."""
    on = on or today()
    ids = list(people.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REFRESH_BATCH):
        batch = with_requirement_facts(
            Person.objects.filter(pk__in=ids[start : start + REFRESH_BATCH]).select_related("register"), on
        )
        due = {}
        for person in batch:
            found = policy.requirements(facts_from_annotations(person), person.register, on)
            due[person.pk] = policy.first_due(found, person.next_review_due)
        cases = Case(*(When(pk=pk, then=Value(day)) for pk, day in due.items()), output_field=DateField())
        Person.objects.filter(pk__in=due).update(due_on=cases)
    return len(ids)


def refresh_every_due_date(on: datetime.date | None = None) -> int:
    """Work out every active person's due date again, as the nightly run does (a day passing can move one:
    an 18th birthday changes which interval applies); returns how many people were worked out."""
    return refresh_due_dates(Person.objects.filter(status=Person.Status.ACTIVE), on)


def due_dates_left_to_work_out() -> bool:
    """Whether any active person's due date is not worked out (after an upgrade, or a bulk load)."""
    return Person.objects.filter(status=Person.Status.ACTIVE, due_on__isnull=True).exists()


def forget_due_dates(people: QuerySet[Person]) -> None:
    """Mark these people's due dates as not worked out, for when the policy behind them changes (a register's
    review targets, say): today's work then works them out itself until the next run keeps them again."""
    people.update(due_on=None)


def _changed_people(*, events: list[AuditEvent], **kwargs: Any) -> None:
    """A change to what someone's due date comes from: mark it not worked out in the same transaction, so
    that today's work works it out itself whatever happens next, and work it out again once it commits."""
    ids = {event.person_id for event in events if event.record_type in DUE_DATE_RECORDS and event.person_id}
    if not ids:
        return
    Person.objects.filter(pk__in=ids).update(due_on=None)
    connection = transaction.get_connection()
    waiting = _waiting(connection)
    waiting |= ids
    here = set(connection.savepoint_ids)
    due = [callback for sids, callback, _ in connection.run_on_commit if sids == here]
    if _refresh_waiting not in due:
        transaction.on_commit(_refresh_waiting, robust=True)


def _waiting(connection) -> set:
    """The people whose due dates wait for their transaction to commit, on the connection it runs on."""
    if not hasattr(connection, "due_dates_waiting"):
        connection.due_dates_waiting = set()
    return connection.due_dates_waiting


def _refresh_waiting() -> None:
    waiting = _waiting(transaction.get_connection())
    ids = set(waiting)
    waiting.clear()
    if ids:
        refresh_due_dates(Person.objects.filter(pk__in=ids))


def keep_due_dates_with_changes() -> None:
    """Work out people's due dates again after every audited change to what they come from."""
    audit.changes_recorded.connect(_changed_people, dispatch_uid="reviews.due_dates")
