"""Every change to a person's reviews: planning and recording C(E)TRs, LAEPs and oversight visits, and
their recommendations. Audited in the same transaction."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dsr import audit
from dsr.actions import services as action_services
from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.people.models import Person
from dsr.reviews import policy
from dsr.reviews.models import Recommendation, Review

REVIEW_FIELDS = [
    "kind",
    "setting",
    "admission",
    "review_on",
    "status",
    "chair",
    "clinical_expert",
    "expert_by_experience",
    "attendees",
    "person_attended",
    "family_attended",
    "consent",
    "consent_decided_by",
    "invitations_sent_on",
    "papers_shared_on",
    "admission_recommended",
    "psychiatrist",
    "psychiatrist_decision",
    "outcome",
]


def validate_review(*, person: Person, values: dict[str, Any]) -> dict[str, Any]:
    """Check a review against the policy: the type for the person's age on the review date, the admission
    a post-admission or inpatient review belongs to, and dates that make sense."""
    values = {name: values.get(name) for name in REVIEW_FIELDS}
    for name in (
        "chair",
        "clinical_expert",
        "expert_by_experience",
        "attendees",
        "consent_decided_by",
        "psychiatrist",
        "psychiatrist_decision",
        "outcome",
    ):
        values[name] = (values[name] or "").strip()
    for name in ("person_attended", "family_attended", "admission_recommended"):
        values[name] = bool(values[name])
    values["status"] = values["status"] or Review.Status.PLANNED
    values["consent"] = values["consent"] or Review.Consent.NOT_YET
    if values["kind"] not in Review.Kind.values:
        raise ValidationError({"kind": "Choose the type of review"})
    if values["setting"] not in Review.Setting.values:
        raise ValidationError({"setting": "Choose the setting"})
    errors: dict[str, str] = {}
    kind, setting, review_on = values["kind"], values["setting"], values["review_on"]
    if review_on is None:
        raise ValidationError({"review_on": "Enter the date of the review"})
    refusal = policy.kind_refusal(
        kind=kind, name=person.given_name, date_of_birth=person.date_of_birth, review_on=review_on
    )
    if refusal:
        errors["kind"] = refusal
    if kind == policy.LAEP:
        if not values["admission_recommended"]:
            errors["admission_recommended"] = (
                "A LAEP is for a child in crisis whose admission has been recommended: confirm it was"
            )
        if values["status"] == Review.Status.TOOK_PLACE and not (
            values["psychiatrist"] and values["psychiatrist_decision"]
        ):
            errors["psychiatrist_decision"] = "Enter the psychiatrist's name and decision: it is final"
    if kind == policy.OVERSIGHT_VISIT and setting != Review.Setting.INPATIENT:
        errors["setting"] = "A commissioner oversight visit is to someone in hospital: choose inpatient"
    admission = values["admission"]
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
        values["admission"] = None
    if values["status"] == Review.Status.TOOK_PLACE and review_on > today():
        errors["review_on"] = "A review that took place must not be in the future"
    for name, label in (("invitations_sent_on", "Invitations"), ("papers_shared_on", "Papers")):
        day = values[name]
        if day is not None and day > today():
            errors[name] = f"{label} cannot have been sent in the future"
        elif day is not None and day > review_on:
            errors[name] = f"{label} must be sent before the review"
    if values["consent"] == Review.Consent.BEST_INTERESTS and not values["consent_decided_by"]:
        errors["consent_decided_by"] = "Enter who made the best-interests decision"
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def record_review(*, person: Person, values: dict[str, Any], by, meeting=None) -> Review:
    """Plan or record a C(E)TR, LAEP or commissioner oversight visit for a person (arranged by a meeting,
    when `meeting` is given)."""
    values = validate_review(person=person, values=values)
    review = Review.objects.create(person=person, recorded_by=by, meeting=meeting, **values)
    audit.record_change(by=by, record=review, action=AuditEvent.Action.CREATE)
    return review


@transaction.atomic
def change_review(*, review: Review, values: dict[str, Any], by) -> Review:
    """Update a review: its preparation as it nears, then what happened."""
    values = validate_review(person=review.person, values=values)
    return audit.save_changes(by=by, record=review, values=values)


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
