"""One factory per model. People are made through the same services the pages use."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from dsr.people import services
from dsr.people.models import Person
from dsr.people.values import PersonDetails
from dsr.ratings.models import RiskFactor
from dsr.ratings.services import record_rating
from dsr.registers.models import GrantRequest, Membership, Organisation, Register, Role
from dsr.registers.personas import DEMO_PASSWORD


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.NHS_TRUST


class RegisterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Register

    name = factory.Sequence(lambda n: f"Register {n}")
    short_name = factory.Sequence(lambda n: f"Register {n}")
    min_age = 0
    max_age = 25
    published = True  # on the public referral form (a register made in the admin starts off it)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(DEMO_PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    register = factory.SubFactory(RegisterFactory)
    role = Role.COORDINATOR


class GrantRequestFactory(factory.django.DjangoModelFactory):
    """A request for a role, waiting for a decision (the admin makes them through
    dsr.administration.services)."""

    class Meta:
        model = GrantRequest

    kind = GrantRequest.Kind.MEMBERSHIP
    user = factory.SubFactory(UserFactory)
    register = factory.SubFactory(RegisterFactory)
    role = Role.COORDINATOR
    reason = "Covering the coordinator's leave"


def member(register: Register, role: str, **user_fields):
    """A user with one role in one register."""
    return MembershipFactory(register=register, role=role, user=UserFactory(**user_fields)).user


_nhs_numbers = iter(range(10**6))


def valid_nhs_number() -> str:
    """A fresh NHS number from the 999 test range with a valid modulus-11 check digit."""
    while True:
        body = f"999{next(_nhs_numbers):06d}"
        total = sum(int(d) * (10 - i) for i, d in enumerate(body))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return body + str(check)


def national_risk_factors() -> list[RiskFactor]:
    """The national risk factors, put back if a transactional test flushed the data migration's rows."""
    factors = list(RiskFactor.objects.filter(register__isnull=True))
    if not factors:
        from importlib import import_module

        from django.apps import apps

        import_module("dsr.ratings.migrations.0002_national_risk_factors").add_factors(apps, None)
        factors = list(RiskFactor.objects.filter(register__isnull=True))
    return factors


def make_person(
    *,
    register: Register,
    by,
    rating: str = "amber",
    born: datetime.date | None = None,
    joined_at: datetime.datetime | None = None,
    **details,
) -> Person:
    """Put a person on the register through the service, as the add-person page does."""
    values = {
        "given_name": "Alex",
        "family_name": "Example",
        "preferred_name": "",
        "date_of_birth": born or timezone.localdate() - datetime.timedelta(days=12 * 365),
        "nhs_number": valid_nhs_number(),
        "sex": "not_known",
        "gender_identity": "",
        "ethnicity": "",
        "address": "",
        "postcode": "",
        "local_authority": "",
        "gp_practice": "",
        "accommodation": "",
        "communication_needs": "",
        **details,
    }
    return services.add_person(
        register=register,
        details=PersonDetails(**values),
        joined_reason="Referred by CAMHS",
        rating=rating,
        rationale="Initial rating at referral",
        factors=national_risk_factors()[:2],
        by=by,
        joined_at=joined_at,
    )


def rated_many_times(person: Person, *, by, times: int) -> None:
    """`times` amber rating entries, one a day up to yesterday, each rationale numbered from the oldest
    ("Rating review number 0"): a long rating history."""
    for n in range(times):
        record_rating(
            person=person,
            rating="amber",
            rationale=f"Rating review number {n}",
            factors=national_risk_factors()[:1],
            next_review_due=timezone.localdate(),
            by=by,
            rated_at=timezone.now() - datetime.timedelta(days=times - n),
        )
