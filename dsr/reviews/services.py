"""Every change to a person's reviews: planning and recording C(E)TRs, LAEPs and oversight visits, and
their recommendations. Audited in the same transaction."""

import dataclasses
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dsr import audit
from dsr.actions import services as action_services
from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.people.models import Admission, Person
from dsr.reviews import policy
from dsr.reviews.models import Recommendation, Review


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
