"""Every change to a person's record. Each function is one business operation, audited.

Longer than 400 lines because every change to a person's own record is here, so each is written once for
the pages, the meetings, accepted referrals and the demo data; the values they take are in
dsr.people.values.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dsr import audit
from dsr.audit.models import AuditEvent
from dsr.dates import age_on, format_date, today
from dsr.people import nhs_number
from dsr.people.models import (
    Admission,
    Circumstances,
    Consent,
    ContactLog,
    Diagnosis,
    Episode,
    Involvement,
    Person,
    Rating,
)
from dsr.people.values import (
    AdmissionDetails,
    CareTeamMember,
    CircumstancesUpdate,
    ConsentGiven,
    DiagnosisDetails,
    LoggedContact,
    PersonDetails,
    fields_of,
)
from dsr.ratings import cadence
from dsr.ratings.models import RiskFactor, RiskRating
from dsr.ratings.services import record_rating, validate_rating
from dsr.registers.models import Register

# A person's own details, as the change-details page shows them to begin with.
PERSON_DETAIL_FIELDS = [field.name for field in dataclasses.fields(PersonDetails)]


class DuplicatePerson(ValidationError):
    """The NHS number is already on this register: link to that record instead."""

    def __init__(self, existing: Person):
        super().__init__({"nhs_number": "This NHS number is already on this register"})
        self.existing = existing


def _created(by, record) -> None:
    audit.record_change(by=by, record=record, action=AuditEvent.Action.CREATE)


def validate_details(
    *, register: Register, details: PersonDetails, person: Person | None = None
) -> PersonDetails:
    """Check a person's details against the register's policy; returns them normalised."""
    errors: dict[str, str] = {}
    number = nhs_number.normalise(details.nhs_number)
    if number:
        try:
            nhs_number.validate(number)
        except ValidationError as error:
            errors["nhs_number"] = error.messages[0]
    details = dataclasses.replace(details, nhs_number=number)
    born = details.date_of_birth
    if born:
        if born > today():
            errors["date_of_birth"] = "Date of birth must be in the past"
        else:
            age = age_on(born, today())
            if not register.min_age <= age <= register.max_age:
                errors["date_of_birth"] = (
                    f"This person is {age}: {register.short_name} is for ages "
                    f"{register.min_age} to {register.max_age}"
                )
    if errors:
        raise ValidationError(errors)
    if number:
        existing = Person.objects.filter(register=register, nhs_number=number)
        if person is not None:
            existing = existing.exclude(pk=person.pk)
        duplicate = existing.first()
        if duplicate is not None:
            raise DuplicatePerson(duplicate)
    return details


@transaction.atomic
def add_person(
    *,
    register: Register,
    details: PersonDetails,
    joined_reason: str,
    rating: str,
    rationale: str,
    factors: Iterable[RiskFactor],
    by,
    joined_at: datetime.datetime | None = None,
) -> Person:
    """Put someone on the register with their initial rating (backdated when importing)."""
    factors = list(factors)
    details = validate_details(register=register, details=details)
    validate_rating(rating=rating, rationale=rationale, factors=factors)
    if not joined_reason.strip():
        raise ValidationError({"joined_reason": "Enter why this person is joining the register"})
    try:
        with transaction.atomic():
            person = Person.objects.create(
                register=register,
                given_name=details.given_name,
                family_name=details.family_name,
                preferred_name=details.preferred_name,
                date_of_birth=details.date_of_birth,
                nhs_number=details.nhs_number,
                sex=details.sex,
                gender_identity=details.gender_identity,
                ethnicity=details.ethnicity,
                address=details.address,
                postcode=details.postcode,
                local_authority=details.local_authority,
                gp_practice=details.gp_practice,
                accommodation=details.accommodation,
                communication_needs=details.communication_needs,
            )
    except IntegrityError as error:
        # Another coordinator added the same NHS number a moment ago.
        existing = Person.objects.get(register=register, nhs_number=details.nhs_number)
        raise DuplicatePerson(existing) from error
    _created(by, person)
    Circumstances.objects.create(person=person, updated_by=by)
    joined_at = joined_at or timezone.now()
    joined_on = timezone.localdate(joined_at)
    episode = Episode.objects.create(person=person, joined_on=joined_on, joined_reason=joined_reason.strip())
    _created(by, episode)
    record_rating(
        person=person,
        rating=rating,
        rationale=rationale,
        factors=factors,
        next_review_due=cadence.next_review_due(register=register, rating=rating, rated_on=joined_on),
        reason=RiskRating.Reason.JOINED,
        rated_at=joined_at,
        by=by,
    )
    return person


@transaction.atomic
def update_details(*, person: Person, details: PersonDetails, by) -> Person:
    """Change a person's own details (name, date of birth, NHS number and so on)."""
    details = validate_details(register=person.register, details=details, person=person)
    return audit.save_changes(by=by, record=person, values=fields_of(details))


@transaction.atomic
def update_circumstances(*, person: Person, circumstances: CircumstancesUpdate, by) -> Circumstances:
    """Record how the person is managing and the key safety information (the parts given; the rest stay)."""
    record, _ = Circumstances.objects.get_or_create(person=person)
    changed = {name: value.strip() for name, value in fields_of(circumstances).items() if value is not None}
    return audit.save_changes(by=by, record=record, values={**changed, "updated_by": by})


@transaction.atomic
def add_diagnosis(*, person: Person, diagnosis: DiagnosisDetails, by) -> Diagnosis:
    """Record a diagnosis, or a place on an assessment waiting list."""
    if diagnosis.status == Diagnosis.Status.AWAITING and not diagnosis.waiting_since:
        raise ValidationError({"waiting_since": "Enter when they joined the waiting list"})
    for name, day in (("diagnosed_on", diagnosis.diagnosed_on), ("waiting_since", diagnosis.waiting_since)):
        if day and day > today():
            raise ValidationError({name: "The date must not be in the future"})
    record = Diagnosis.objects.create(
        person=person,
        condition=diagnosis.condition,
        status=diagnosis.status,
        diagnosed_on=diagnosis.diagnosed_on,
        waiting_since=diagnosis.waiting_since,
        notes=diagnosis.notes,
    )
    _created(by, record)
    return record


def validate_keyworker_age(*, person: Person, started_on: datetime.date) -> None:
    """Refuse a keyworker for someone over the register's keyworker age on the start date (policy: 0-25)."""
    limit = person.register.keyworker_max_age
    age = age_on(person.date_of_birth, started_on)
    if age > limit:
        how_old = f"is {age}" if started_on == today() else f"was {age} on {format_date(started_on)}"
        raise ValidationError(
            {
                "is_keyworker": f"Keyworkers are for people aged 0 to {limit} on this register: "
                f"{person.given_name} {how_old}"
            }
        )


@transaction.atomic
def add_involvement(*, person: Person, member: CareTeamMember, by) -> Involvement:
    """Add a professional or service to the care team."""
    if member.started_on > today():
        raise ValidationError({"started_on": "The start date must not be in the future"})
    if member.is_keyworker:
        validate_keyworker_age(person=person, started_on=member.started_on)
    involvement = Involvement.objects.create(
        person=person,
        name=member.name,
        role=member.role,
        organisation=member.organisation,
        contact=member.contact,
        user=member.user,
        is_keyworker=member.is_keyworker,
        is_care_coordinator=member.is_care_coordinator,
        is_lead_professional=member.is_lead_professional,
        started_on=member.started_on,
    )
    _created(by, involvement)
    return involvement


@transaction.atomic
def end_involvement(*, involvement: Involvement, ended_on: datetime.date, reason: str, by) -> Involvement:
    """Record that a professional is no longer part of the care team."""
    if involvement.ended_on:
        raise ValidationError("This involvement has already ended")
    if ended_on < involvement.started_on:
        raise ValidationError({"ended_on": "The end date must be on or after the start date"})
    if ended_on > today():
        raise ValidationError({"ended_on": "The end date must not be in the future"})
    return audit.save_changes(
        by=by, record=involvement, values={"ended_on": ended_on, "ended_reason": reason.strip()}
    )


class Born(Protocol):
    """Whom consent is about: a person on the register, or someone being referred to it."""

    @property
    def date_of_birth(self) -> datetime.date: ...

    @property
    def given_name(self) -> str: ...


def validate_consent_giver(*, person: Born, given_by: str, given_on: datetime.date) -> None:
    """Under the Mental Capacity Act a person of 16 or over gives their own consent."""
    if given_on > today():
        raise ValidationError({"given_on": "The date consent was given must not be in the future"})
    if given_on < person.date_of_birth:
        raise ValidationError({"given_on": "The date consent was given must be after the person was born"})
    age = age_on(person.date_of_birth, given_on)
    if given_by == Consent.GivenBy.PARENT and age >= 16:
        raise ValidationError(
            {
                "given_by": f"{person.given_name} was {age} on that date: at 16 or over, consent "
                "comes from the person, or a best-interests decision"
            }
        )


@transaction.atomic
def record_consent(*, person: Person, consent: ConsentGiven, by) -> Consent:
    """Record consent to be on the register, or to a review."""
    validate_consent_giver(person=person, given_by=consent.given_by, given_on=consent.given_on)
    record = Consent.objects.create(
        person=person,
        purpose=consent.purpose,
        given_by=consent.given_by,
        given_by_name=consent.given_by_name,
        given_on=consent.given_on,
        method=consent.method,
        recorded_by=by,
    )
    _created(by, record)
    return record


@transaction.atomic
def withdraw_consent(*, consent: Consent, withdrawn_on: datetime.date, by) -> Consent:
    """Record that consent was withdrawn."""
    if consent.withdrawn_on:
        raise ValidationError("This consent has already been withdrawn")
    if withdrawn_on < consent.given_on or withdrawn_on > today():
        raise ValidationError(
            {"withdrawn_on": "The date must be between the date consent was given and today"}
        )
    audit.save_changes(by=by, record=consent, values={"withdrawn_on": withdrawn_on})
    person = consent.person
    still_consented = person.consents.filter(purpose=Consent.Purpose.REGISTER, withdrawn_on__isnull=True)
    if (
        consent.purpose == Consent.Purpose.REGISTER
        and person.register.consent_withdrawal_ends_membership
        and person.status == Person.Status.ACTIVE
        and not still_consented.exists()
    ):
        # The register's policy: without consent the person leaves, and the retention clock starts.
        episode = person.episodes.filter(left_on__isnull=True).first()
        remove_from_register(
            person=person,
            left_on=max(withdrawn_on, episode.joined_on) if episode else withdrawn_on,
            reason="Consent to be on the register was withdrawn",
            by=by,
        )
    return consent


@transaction.atomic
def record_admission(*, person: Person, admission: AdmissionDetails, by) -> Admission:
    """Record an admission to hospital; where the register says so, the rating becomes blue."""
    if admission.admitted_on > today():
        raise ValidationError({"admitted_on": "The admission date must not be in the future"})
    if person.admissions.filter(discharged_on__isnull=True).exists():
        raise ValidationError(
            "This person is already in hospital: record their discharge before a new admission"
        )
    record = Admission.objects.create(
        person=person,
        hospital=admission.hospital,
        admitted_on=admission.admitted_on,
        legal_status=admission.legal_status,
        out_of_area=admission.out_of_area,
        secure_service=admission.secure_service,
        recorded_by=by,
    )
    _created(by, record)
    register = person.register
    if register.admission_sets_blue:
        blue_factor = RiskFactor.objects.filter(register__isnull=True, name="Admission history")
        record_rating(
            person=person,
            rating=Rating.BLUE,
            rationale=f"Admitted to {record.hospital} on {record.admitted_on:%d %B %Y}.",
            factors=blue_factor,
            next_review_due=cadence.next_review_due(
                register=register, rating=Rating.BLUE, rated_on=max(record.admitted_on, today())
            ),
            reason=RiskRating.Reason.ADMISSION,
            admission=record,
            by=by,
        )
    return record


@transaction.atomic
def record_discharge(
    *,
    admission: Admission,
    discharged_on: datetime.date,
    discharged_to: str,
    rating: str,
    rationale: str,
    factors: Iterable[RiskFactor],
    next_review_due: datetime.date,
    by,
) -> Admission:
    """Record a discharge and the new rating it calls for."""
    errors = {}
    if admission.discharged_on:
        raise ValidationError("This admission already has a discharge date")
    if discharged_on < admission.admitted_on:
        errors["discharged_on"] = (
            f"The discharge date must be on or after the admission date "
            f"({admission.admitted_on.day} {admission.admitted_on:%B %Y})"
        )
    elif discharged_on > today():
        errors["discharged_on"] = "The discharge date must not be in the future"
    if rating == Rating.BLUE:
        errors["rating"] = "Blue is for people in hospital: choose red, amber or green"
    if errors:
        raise ValidationError(errors)
    audit.save_changes(
        by=by,
        record=admission,
        values={"discharged_on": discharged_on, "discharged_to": discharged_to.strip()},
    )
    record_rating(
        person=admission.person,
        rating=rating,
        rationale=rationale,
        factors=factors,
        next_review_due=next_review_due,
        reason=RiskRating.Reason.DISCHARGE,
        admission=admission,
        by=by,
    )
    return admission


@transaction.atomic
def log_contact(*, person: Person, contact: LoggedContact, by) -> ContactLog:
    """Add a contact or notable event to the person's chronology."""
    if contact.occurred_on > today():
        raise ValidationError({"occurred_on": "The date must not be in the future"})
    record = ContactLog.objects.create(
        person=person,
        kind=contact.kind,
        occurred_on=contact.occurred_on,
        summary=contact.summary,
        recorded_by=by,
    )
    _created(by, record)
    return record


@transaction.atomic
def remove_from_register(*, person: Person, left_on: datetime.date, reason: str, by) -> Person:
    """Take a person off the register: they leave working lists and the retention clock starts."""
    if person.status == Person.Status.LEFT:
        raise ValidationError("This person has already left the register")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why this person is leaving the register"})
    episode = person.episodes.filter(left_on__isnull=True).first()
    if left_on > today():
        raise ValidationError({"left_on": "The date must not be in the future"})
    if episode and left_on < episode.joined_on:
        raise ValidationError({"left_on": "The date must be on or after the day they joined"})
    if episode:
        audit.save_changes(by=by, record=episode, values={"left_on": left_on, "left_reason": reason.strip()})
    return audit.save_changes(by=by, record=person, values={"status": Person.Status.LEFT})
