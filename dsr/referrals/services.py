"""Every change to a referral: its arrival, each step of triage and the decision. Each one audited.

Longer than 400 lines because a referral's life is one state machine: its arrival, each move between
states and accepting it onto the register (which creates the person and copies what the referral told
us) read in order here; the answers it takes are in dsr.referrals.values.
"""

import dataclasses
import datetime
import secrets
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dsr import audit
from dsr.audit.models import AuditEvent
from dsr.dates import format_date, format_datetime, today
from dsr.notifications.services import attach_person, notify
from dsr.people import nhs_number
from dsr.people import services as people_services
from dsr.people.models import Circumstances, Consent, Diagnosis, Person
from dsr.people.values import (
    CareTeamMember,
    CircumstancesUpdate,
    ConsentGiven,
    DiagnosisDetails,
    PersonDetails,
)
from dsr.ratings import cadence
from dsr.ratings.models import RiskFactor, RiskRating
from dsr.ratings.services import record_rating
from dsr.referrals.models import Concern, DiagnosisAnswer, Referral, ReferralEvent, Route
from dsr.referrals.values import ReferralAnswers
from dsr.registers.models import Organisation, Register

# No 0/O, 1/I/L: a reference read out on the phone is not misheard. Random, so it reveals no count.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6

PROFESSIONAL_FIELDS = {
    "referrer_name": "Enter your name",
    "referrer_role": "Enter your role",
    "referrer_organisation": "Enter your organisation",
}
# Each diagnosis question's message when it is not answered, naming the question.
DIAGNOSIS_QUESTIONS = {
    "autism": "Say whether they have been diagnosed as autistic",
    "learning_disability": "Say whether they have been diagnosed with a learning disability",
}
# Which states each step may start from.
MOVES: dict[str, set[str]] = {
    Referral.State.CONSULTATION_OFFERED: {Referral.State.RECEIVED},
    Referral.State.AWAITING_MEETING: {Referral.State.RECEIVED, Referral.State.CONSULTATION_OFFERED},
}
DECIDABLE = {
    Referral.State.RECEIVED,
    Referral.State.CONSULTATION_OFFERED,
    Referral.State.AWAITING_MEETING,
}
# What a coordinator did, as another coordinator is told it.
DID: dict[str, str] = {
    Referral.Decision.ACCEPTED: "accepted",
    Referral.Decision.DECLINED: "declined",
    Referral.Decision.MORE_INFORMATION: "asked for more information about",
}


class _Referred(NamedTuple):
    """Whom a referral is about, as the consent rule needs them (people_services.Born)."""

    date_of_birth: datetime.date
    given_name: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Decided:
    """A coordinator's decision on a referral, as the referral keeps it."""

    decision: str
    reason: str
    other_support: str
    at: datetime.datetime
    by: Any
    person: Person | None


def new_reference() -> str:
    """A reference such as DSR-7K3M9Q."""
    return "DSR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def validate_referral(*, register: Register, answers: ReferralAnswers) -> ReferralAnswers:
    """Check a referral's answers; returns them normalised (the NHS number as digits, the postcode in
    capitals, no waiting list date without a waiting list). Eligibility only advises and is not checked."""
    errors: dict[str, str] = {}
    number = nhs_number.normalise(answers.nhs_number)
    if number:
        try:
            nhs_number.validate(number)
        except ValidationError as error:
            errors["nhs_number"] = error.messages[0]
    waiting = DiagnosisAnswer.WAITING in (answers.autism, answers.learning_disability)
    answers = dataclasses.replace(
        answers,
        nhs_number=number,
        postcode=answers.postcode.upper(),
        waiting_since=answers.waiting_since if waiting else None,
        concerns=tuple(answers.concerns),
    )
    born = answers.date_of_birth
    if born is None:
        errors["date_of_birth"] = "Enter their date of birth"
    elif born > today():
        errors["date_of_birth"] = "Date of birth must be in the past"
    if answers.route not in Route.values:
        errors["route"] = "Choose who is making the referral"
    elif answers.route == Route.HELPER and not answers.helper_relationship:
        errors["helper_relationship"] = "Say who you are and how you know them"
    elif answers.route == Route.PROFESSIONAL:
        errors.update(
            {name: message for name, message in PROFESSIONAL_FIELDS.items() if not getattr(answers, name)}
        )
        if not (answers.referrer_email or answers.referrer_phone):
            errors["referrer_email"] = "Enter your email address or phone number"
    for name, answer in (("autism", answers.autism), ("learning_disability", answers.learning_disability)):
        if answer not in DiagnosisAnswer.values:
            errors[name] = DIAGNOSIS_QUESTIONS[name]
    if answers.waiting_since and answers.waiting_since > today():
        errors["waiting_since"] = "The waiting list date must not be in the future"
    if any(concern not in Concern.values for concern in answers.concerns):
        errors["concerns"] = "Choose from the concerns listed"
    if not answers.consent_given_by or not answers.consent_given_by_name or not answers.consent_given_on:
        errors["consent_given_by"] = (
            "We can only take a referral with consent: say who gave it, or who made a best-interests decision"
        )
    elif born is not None and "date_of_birth" not in errors:
        # The same rule as consent on a person's record (Mental Capacity Act: 16 or over decides).
        someone = _Referred(date_of_birth=born, given_name=answers.given_name or "They")
        try:
            people_services.validate_consent_giver(
                person=someone, given_by=answers.consent_given_by, given_on=answers.consent_given_on
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors["consent_given_on" if name == "given_on" else "consent_given_by"] = messages[0]
    if answers.consent_method not in Consent.Method.values:
        errors["consent_method"] = "Choose how consent was recorded"
    if errors:
        raise ValidationError(errors)
    return answers


def _event(*, referral: Referral, from_state: str, to_state: str, note: str, by) -> ReferralEvent:
    event = ReferralEvent.objects.create(
        referral=referral, from_state=from_state, to_state=to_state, note=note.strip(), by=by
    )
    audit.record_change(by=by, record=event, action=AuditEvent.Action.CREATE)
    return event


def _move(
    *,
    referral: Referral,
    to_state: str,
    note: str,
    by,
    consultation_offered_at: datetime.datetime | None = None,
    consultation_summary: str = "",
    decided: _Decided | None = None,
) -> Referral:
    """Move the referral on, with what the step records: when a consultation was offered, its summary,
    or the decision."""
    from_state = referral.state
    changes: dict[str, Any] = {"state": to_state}
    if consultation_offered_at is not None:
        changes["consultation_offered_at"] = consultation_offered_at
    if consultation_summary:
        changes["consultation_summary"] = consultation_summary
    if decided is not None:
        changes.update(
            decision=decided.decision,
            decision_reason=decided.reason,
            other_support=decided.other_support,
            decided_at=decided.at,
            decided_by=decided.by,
        )
        if decided.person is not None:
            changes["person"] = decided.person
    audit.save_changes(by=by, record=referral, values=changes)
    _event(referral=referral, from_state=from_state, to_state=to_state, note=note, by=by)
    return referral


def _tell(*, referral: Referral, template: str, personalisation: dict[str, str], by) -> dict[str, Any]:
    """Queue a message to the family and to the referrer; returns when each was told."""
    told: dict[str, Any] = {}
    now = timezone.now()
    recipients = [
        ("family_told_at", referral.contact_email, referral.contact_name or referral.given_name),
        ("referrer_told_at", referral.referrer_email, referral.referrer_name),
    ]
    for stamp, email, name in recipients:
        if email:
            notify(
                template=template,
                to_email=email,
                personalisation={**personalisation, "name": name},
                register=referral.register,
                referral=referral,
                person=referral.person,
                by=by,
            )
            told[stamp] = now
    return told


def _base_personalisation(referral: Referral) -> dict[str, str]:
    return {"reference": referral.reference, "person_name": referral.full_name}


@transaction.atomic
def submit_referral(
    *, register: Register, answers: ReferralAnswers, by=None, submission_token: str | None = None
) -> Referral:
    """Take a referral in, from the public form or a signed-in professional, and send receipts."""
    answers = validate_referral(register=register, answers=answers)
    if submission_token:
        existing = Referral.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    for _ in range(5):
        reference = new_reference()
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    register=register,
                    reference=reference,
                    submission_token=submission_token or None,
                    submitted_by=by if getattr(by, "is_authenticated", False) else None,
                    route=answers.route,
                    helper_relationship=answers.helper_relationship,
                    given_name=answers.given_name,
                    family_name=answers.family_name,
                    date_of_birth=answers.date_of_birth,
                    nhs_number=answers.nhs_number,
                    address=answers.address,
                    postcode=answers.postcode,
                    contact_name=answers.contact_name,
                    contact_email=answers.contact_email,
                    contact_phone=answers.contact_phone,
                    autism=answers.autism,
                    learning_disability=answers.learning_disability,
                    waiting_since=answers.waiting_since,
                    services_involved=answers.services_involved,
                    concerns=list(answers.concerns),
                    concerns_detail=answers.concerns_detail,
                    referrer_name=answers.referrer_name,
                    referrer_role=answers.referrer_role,
                    referrer_organisation=answers.referrer_organisation,
                    referrer_email=answers.referrer_email,
                    referrer_phone=answers.referrer_phone,
                    consent_given_by=answers.consent_given_by,
                    consent_given_by_name=answers.consent_given_by_name,
                    consent_given_on=answers.consent_given_on,
                    consent_method=answers.consent_method,
                )
            break
        except IntegrityError:
            existing = Referral.objects.filter(submission_token=submission_token).first()
            if submission_token and existing is not None:
                return existing  # the same form, posted twice at once
            if not Referral.objects.filter(reference=reference).exists():
                raise
    else:
        raise RuntimeError("Could not find an unused referral reference")
    by = referral.submitted_by
    audit.record_change(by=by, record=referral, action=AuditEvent.Action.CREATE)
    _event(referral=referral, from_state="", to_state=Referral.State.RECEIVED, note="", by=by)
    told = _tell(
        referral=referral,
        template="referral_received",
        personalisation={
            **_base_personalisation(referral),
            "consultation_due_on": format_date(referral.consultation_due_on),
            "consultation_target": referral.consultation_target,
            "contact": register.team_contact,
        },
        by=by,
    )
    if told:
        Referral.objects.filter(pk=referral.pk).update(**told)
    return referral


@transaction.atomic
def offer_consultation(*, referral: Referral, note: str = "", by) -> Referral:
    """Record that a consultation was offered to the family (due within the register's target)."""
    _check_move(_locked(referral), Referral.State.CONSULTATION_OFFERED, by=by)
    return _move(
        referral=referral,
        to_state=Referral.State.CONSULTATION_OFFERED,
        note=note,
        by=by,
        consultation_offered_at=timezone.now(),
    )


@transaction.atomic
def await_meeting(*, referral: Referral, summary: str = "", by) -> Referral:
    """Put the referral on the agenda of the next register meeting for a decision. A summary of the
    consultation, if there was one, is kept and a copy goes to whoever made the referral."""
    _check_move(_locked(referral), Referral.State.AWAITING_MEETING, by=by)
    summary = summary.strip()
    _move(
        referral=referral,
        to_state=Referral.State.AWAITING_MEETING,
        note="Consultation summary recorded" if summary else "",
        by=by,
        consultation_summary=summary,
    )
    # A professional referral's copy goes to the professional; a family's own referral, to the family.
    email, name = (
        (referral.referrer_email, referral.referrer_name)
        if referral.referrer_email
        else (referral.contact_email, referral.contact_name)
    )
    if summary and email:
        notify(
            template="consultation_summary",
            to_email=email,
            personalisation={**_base_personalisation(referral), "name": name, "summary": summary},
            register=referral.register,
            referral=referral,
            person=referral.person,
            by=by,
        )
    return referral


def _locked(referral: Referral) -> Referral:
    """The referral as stored now, locked until the transaction ends, so that of two coordinators acting
    on it at once the second waits for the first and then checks what the first left."""
    # Refreshed in place: the caller's copy (the page's, a test's) then tells the truth too.
    referral.refresh_from_db(from_queryset=Referral.objects.select_for_update())
    return referral


def _done_by_someone_else(referral: Referral, by) -> str:
    """What another coordinator did, in plain words: "Priya Shah accepted this referral at 10:42: Alex Morgan
    is on the register". Empty when nobody else has decided or closed it."""
    at: datetime.datetime | None
    if referral.state == Referral.State.CLOSED:
        closing = referral.events.filter(to_state=Referral.State.CLOSED).select_related("by").last()
        if closing is None:  # no closing event to say who closed it
            return ""
        who, at, did = closing.by, closing.at, "closed"
    elif referral.state == Referral.State.DECIDED:
        who, at, did = referral.decided_by, referral.decided_at, DID[referral.decision]
    else:
        return ""
    if who is None or who.pk == by.pk:
        return ""
    moment = timezone.localtime(at)
    when = f"at {moment:%H:%M}" if moment.date() == today() else f"on {format_datetime(at)}"
    done = f"{who.get_full_name() or who.username} {did} this referral {when}"
    if referral.state == Referral.State.DECIDED and referral.decision == Referral.Decision.ACCEPTED:
        done += f": {referral.full_name} is on the register"
    return done


def _check_move(referral: Referral, to_state: str, *, by) -> None:
    if referral.state not in MOVES[to_state]:
        raise ValidationError(
            _done_by_someone_else(referral, by)
            or f"This referral is {referral.get_state_display().lower()}: it cannot be moved to "
            f"{Referral.State(to_state).label.lower()}"
        )


def _check_decidable(referral: Referral, *, by) -> None:
    reopened = (
        referral.state == Referral.State.DECIDED and referral.decision == Referral.Decision.MORE_INFORMATION
    )
    if referral.state not in DECIDABLE and not reopened:
        raise ValidationError(
            _done_by_someone_else(referral, by)
            or f"This referral is {referral.get_state_display().lower()}: it has been decided"
        )


def _record_decision(
    *, referral: Referral, decision: str, reason: str, other_support: str, by, person: Person | None = None
) -> Referral:
    decided = _Decided(
        decision=decision,
        reason=reason.strip(),
        other_support=other_support.strip(),
        at=timezone.now(),
        by=by,
        person=person,
    )
    note = f"{Referral.Decision(decision).label}: {reason.strip()}"
    _move(referral=referral, to_state=Referral.State.DECIDED, note=note, by=by, decided=decided)
    if person is not None:
        # Messages already sent about the referral (its receipt) are filed on the person's record too.
        attach_person(referral=referral, person=person, by=by)
    personalisation = {
        **_base_personalisation(referral),
        "contact": referral.register.team_contact,
        "decision": referral.decision,
        "reason": referral.decision_reason,
    }
    if referral.other_support:
        personalisation["other_support"] = referral.other_support
    told = _tell(referral=referral, template="referral_decision", personalisation=personalisation, by=by)
    if told:
        audit.save_changes(by=by, record=referral, values=told)
    return referral


@transaction.atomic
def decide_referral(
    *, referral: Referral, decision: str, reason: str, other_support: str = "", by
) -> Referral:
    """Decline a referral, or ask for more information; the family and referrer are told."""
    _check_decidable(_locked(referral), by=by)
    errors = {}
    if decision not in (Referral.Decision.DECLINED, Referral.Decision.MORE_INFORMATION):
        errors["decision"] = "Choose decline or more information needed"
    if not reason.strip():
        errors["reason"] = "Enter the reason for the decision"
    if decision == Referral.Decision.DECLINED and not other_support.strip():
        errors["other_support"] = "Enter what other support you suggested, or say why there is none"
    if errors:
        raise ValidationError(errors)
    return _record_decision(
        referral=referral, decision=decision, reason=reason, other_support=other_support, by=by
    )


def _copy_diagnoses(*, referral: Referral, person: Person, by) -> None:
    for condition, answer in (
        (Diagnosis.Condition.AUTISM, referral.autism),
        (Diagnosis.Condition.LEARNING_DISABILITY, referral.learning_disability),
    ):
        if person.diagnoses.filter(condition=condition).exists():
            continue
        if answer == DiagnosisAnswer.DIAGNOSED:
            diagnosis = DiagnosisDetails(
                condition=condition,
                status=Diagnosis.Status.CONFIRMED,
                notes=f"From referral {referral.reference}",
            )
        elif answer == DiagnosisAnswer.WAITING:
            since = referral.waiting_since
            note = f"From referral {referral.reference}"
            if since is None:
                since = timezone.localdate(referral.received_at)
                note += ": the date they joined the waiting list was not given, this is the referral date"
            diagnosis = DiagnosisDetails(
                condition=condition, status=Diagnosis.Status.AWAITING, waiting_since=since, notes=note
            )
        else:
            continue
        people_services.add_diagnosis(person=person, diagnosis=diagnosis, by=by)


def _copy_referrer(*, referral: Referral, person: Person, by) -> None:
    if not referral.is_professional:
        return
    organisation = Organisation.objects.filter(name__iexact=referral.referrer_organisation).first()
    role = referral.referrer_role
    if organisation is None and referral.referrer_organisation:
        role = f"{role}, {referral.referrer_organisation}"
    people_services.add_involvement(
        person=person,
        member=CareTeamMember(
            name=referral.referrer_name,
            role=role[:200],
            organisation=organisation,
            contact=(referral.referrer_email or referral.referrer_phone)[:200],
            started_on=today(),
        ),
        by=by,
    )


def _copy_concerns(*, referral: Referral, person: Person, by) -> None:
    """What the referral says is happening becomes why enhanced support may be needed (unless written)."""
    involved = referral.services_involved
    parts = [
        "; ".join(referral.concern_labels()),
        referral.concerns_detail,
        f"Services already involved: {involved}" if involved else "",
    ]
    summary = "\n\n".join(part for part in parts if part)
    circumstances = Circumstances.objects.filter(person=person).first()
    if summary and not (circumstances and circumstances.why_enhanced_support):
        people_services.update_circumstances(
            person=person, circumstances=CircumstancesUpdate(why_enhanced_support=summary[:4000]), by=by
        )


def _join_existing(*, person: Person, reason: str, rating: str, rationale: str, factors: list, by) -> None:
    """Someone already known to the register: back on it if they had left, with a new rating."""
    if person.status == Person.Status.FILED:
        raise ValidationError("This person's record has been filed: add them as a new person instead")
    rated_at = timezone.now()
    joined_on = timezone.localdate(rated_at)
    reason_code = RiskRating.Reason.REVIEW
    if person.status == Person.Status.LEFT:
        audit.save_changes(by=by, record=person, values={"status": Person.Status.ACTIVE})
        episode = person.episodes.create(joined_on=joined_on, joined_reason=reason[:500])
        audit.record_change(by=by, record=episode, action=AuditEvent.Action.CREATE)
        reason_code = RiskRating.Reason.JOINED
    record_rating(
        person=person,
        rating=rating,
        rationale=rationale,
        factors=factors,
        next_review_due=cadence.next_review_due(register=person.register, rating=rating, rated_on=joined_on),
        reason=reason_code,
        rated_at=rated_at,
        by=by,
    )


@transaction.atomic
def accept_referral(
    *,
    referral: Referral,
    reason: str,
    rating: str,
    rationale: str,
    factors: Iterable[RiskFactor],
    by,
    link_to: Person | None = None,
) -> Person:
    """Accept a referral in one step: the person joins the register (or the duplicate is linked) with
    an initial rating, and their consent, diagnosis and referrer are copied onto their record."""
    _check_decidable(_locked(referral), by=by)
    factors = list(factors)
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the decision"})
    joined_reason = f"Referral {referral.reference} accepted: {reason.strip()}"[:500]
    if link_to is not None:
        if link_to.register_id != referral.register_id:
            raise ValidationError("That person is not on this referral's register")
        person = link_to
        _join_existing(
            person=person, reason=joined_reason, rating=rating, rationale=rationale, factors=factors, by=by
        )
    else:
        person = people_services.add_person(
            register=referral.register,
            details=PersonDetails(
                given_name=referral.given_name,
                family_name=referral.family_name,
                date_of_birth=referral.date_of_birth,
                nhs_number=referral.nhs_number,
                address=referral.address,
                postcode=referral.postcode,
                sex=Person.Sex.NOT_KNOWN,
            ),
            joined_reason=joined_reason,
            rating=rating,
            rationale=rationale,
            factors=factors,
            by=by,
        )
    people_services.record_consent(
        person=person,
        consent=ConsentGiven(
            purpose=Consent.Purpose.REGISTER,
            given_by=referral.consent_given_by,
            given_by_name=referral.consent_given_by_name,
            given_on=referral.consent_given_on,
            method=referral.consent_method,
        ),
        by=by,
    )
    _copy_diagnoses(referral=referral, person=person, by=by)
    _copy_referrer(referral=referral, person=person, by=by)
    _copy_concerns(referral=referral, person=person, by=by)
    _record_decision(
        referral=referral,
        decision=Referral.Decision.ACCEPTED,
        reason=reason,
        other_support="",
        by=by,
        person=person,
    )
    return person


@transaction.atomic
def publish_register(*, register: Register, published: bool, by) -> Register:
    """Put a register on the public referral form, or take it off (a new register is off until its
    coordinator puts it on). Audited as a change to the register's configuration."""
    register = Register.objects.select_for_update().get(pk=register.pk)
    if register.published != published:
        before = register.published
        register.published = published
        register.save(update_fields=["published"])
        audit.record_administration(
            by=by,
            record=register,
            action=AuditEvent.Action.CHANGE,
            changes={"name": [register.name, register.name], "published": [before, published]},
            register_id=register.pk,
        )
    return register


@transaction.atomic
def close_referral(*, referral: Referral, note: str = "", by) -> Referral:
    """Close a referral: once decided and the family told, or withdrawn before a decision (say why)."""
    if _locked(referral).state == Referral.State.CLOSED:
        raise ValidationError(_done_by_someone_else(referral, by) or "This referral is already closed")
    if referral.state != Referral.State.DECIDED and not note.strip():
        raise ValidationError({"note": "Enter why the referral is closed without a decision"})
    return _move(referral=referral, to_state=Referral.State.CLOSED, note=note, by=by)
