"""What the people services take: one small value for each kind of thing recorded about a person.

Forms shape what was entered into these (dsr.people.forms); the services check them against the
register's rules and record them (dsr.people.services)."""

import dataclasses
import datetime
from typing import Any

from django.contrib.auth.models import User

from dsr.people.models import Consent, Person
from dsr.registers.models import Organisation


def fields_of(value: Any) -> dict[str, Any]:
    """A value's fields by name, not copied (dataclasses.asdict would deep-copy a record in a field)."""
    return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}


@dataclasses.dataclass(frozen=True, kw_only=True)
class PersonDetails:
    """A person's own details: who they are, where they live, how to talk with them."""

    given_name: str
    family_name: str
    preferred_name: str = ""
    date_of_birth: datetime.date
    nhs_number: str = ""
    sex: str = Person.Sex.NOT_KNOWN
    gender_identity: str = ""
    ethnicity: str = ""
    address: str = ""
    postcode: str = ""
    local_authority: str = ""
    gp_practice: str = ""
    accommodation: str = ""
    communication_needs: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class CircumstancesUpdate:
    """How the person is managing and the key safety information. A field left None is left as it is."""

    key_safety_information: str | None = None
    why_enhanced_support: str | None = None
    health: str | None = None
    education: str | None = None
    social: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DiagnosisDetails:
    """A diagnosis, or a place on an assessment waiting list."""

    condition: str
    status: str
    diagnosed_on: datetime.date | None = None
    waiting_since: datetime.date | None = None
    notes: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class CareTeamMember:
    """A professional or service joining the person's care team."""

    name: str
    role: str
    organisation: Organisation | None = None
    contact: str = ""
    user: User | None = None
    is_keyworker: bool = False
    is_care_coordinator: bool = False
    is_lead_professional: bool = False
    started_on: datetime.date


@dataclasses.dataclass(frozen=True, kw_only=True)
class ConsentGiven:
    """Consent to be on the register, or to a review: who gave it, when and how it was recorded."""

    purpose: str = Consent.Purpose.REGISTER
    given_by: str
    given_by_name: str
    given_on: datetime.date
    method: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class AdmissionDetails:
    """An admission to hospital."""

    hospital: str
    admitted_on: datetime.date
    legal_status: str
    out_of_area: bool = False
    secure_service: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class LoggedContact:
    """A contact or notable event for the person's chronology."""

    kind: str
    occurred_on: datetime.date
    summary: str
