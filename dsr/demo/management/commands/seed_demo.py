"""Build a realistic demo: two registers, a user for every role, ~60 fictional people.

Longer than 400 lines because it is mostly data: the demonstration's registers, users and the histories of
its people, written out so a newcomer can read what the demo holds. It goes through the same services as
the pages, so the demo's records and audit trail are like real ones.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from nhs_number import is_valid

from dsr.access import scope_of
from dsr.audit import RequestContext, audit_source
from dsr.dates import years_before
from dsr.governance import services as governance_services
from dsr.meetings import services as meeting_services
from dsr.meetings.models import Meeting
from dsr.people import services
from dsr.people.models import Admission, Consent, ContactLog, Diagnosis, Person
from dsr.people.values import (
    AdmissionDetails,
    CareTeamMember,
    CircumstancesUpdate,
    ConsentGiven,
    DiagnosisDetails,
    LoggedContact,
    PersonDetails,
)
from dsr.ratings.models import RiskFactor
from dsr.ratings.services import record_rating
from dsr.referrals import services as referral_services
from dsr.referrals.models import Referral
from dsr.referrals.values import ReferralAnswers
from dsr.registers.models import Membership, Organisation, Register, Role
from dsr.registers.personas import DEMO_PASSWORD, PERSONAS
from dsr.rights import services as rights_services
from dsr.rights.models import Relationship

ORGANISATIONS = [
    ("NHS Kent and Medway ICB", Organisation.Kind.ICB),
    ("Kent Community Health NHS Foundation Trust", Organisation.Kind.NHS_TRUST),
    ("Kent and Medway NHS and Social Care Partnership Trust", Organisation.Kind.NHS_TRUST),
    ("Kent County Council", Organisation.Kind.LOCAL_AUTHORITY),
    ("Medway Council", Organisation.Kind.LOCAL_AUTHORITY),
    ("Oakfield Primary School", Organisation.Kind.SCHOOL),
    ("Hillview Academy", Organisation.Kind.SCHOOL),
    ("Compass Advocacy", Organisation.Kind.VOLUNTARY),
]
GIVEN = [
    "Amara",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Finley",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Keira",
    "Leo",
    "Maya",
    "Noah",
    "Olivia",
    "Priya",
    "Quinn",
    "Riley",
    "Sophie",
    "Theo",
    "Umar",
    "Violet",
    "Will",
    "Xander",
    "Yasmin",
    "Zac",
    "Aisha",
    "Callum",
    "Freya",
    "Kian",
]
FAMILY = [
    "Adams",
    "Bennett",
    "Clarke",
    "Davies",
    "Evans",
    "Foster",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Osei",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walker",
    "Young",
    "Zielinski",
]
HOSPITALS = [
    "Ashford Assessment and Treatment Unit",
    "The Priory Hospital, Chelmsford",
    "Tier 4 CAMHS unit, Tonbridge",
    "Cygnet Hospital Godden Green",
]
# What everyone should know, and why a rating was given, for children and for adults: a school is part of a
# child's life, not of a 40-year-old's.
SAFETY = {
    "children": [
        "Becomes very distressed by unexpected changes to routine; give notice of visits. Has run into "
        "traffic when overwhelmed: do not approach quickly.",
        "Self-harms by head-banging when in pain; check for toothache or constipation first.",
        "Non-speaking: uses a communication book and Makaton. Mum is the best interpreter of distress.",
        "Has absconded from school twice this term. Police aware; safeguarding plan in place.",
    ],
    "adults": [
        "Becomes very distressed by unexpected changes to routine; give notice of visits.",
        "Self-harms by head-banging when in pain; check for toothache or constipation first.",
        "Sensory: cannot tolerate fluorescent lighting or loud rooms. Meet at home or outdoors.",
        "Non-speaking: uses a communication book. The support team leader knows the signs of distress.",
    ],
}
RATIONALE = {
    "children": {
        "red": [
            "Placement breaking down after three incidents this week; family exhausted and asking for "
            "respite. Admission considered by CAMHS crisis team.",
            "Escalating self-harm and not attending school; parents report they cannot keep them safe.",
        ],
        "amber": [
            "Increasing distress since change of school; CAMHS involved. Needs a multi-agency meeting "
            "soon to avoid crisis.",
            "Short breaks cancelled twice this month; some incidents at home but managed.",
        ],
        "green": [
            "Settled at home with a stable care package; family and school report a good month.",
            "Risks managed well with the positive behaviour support plan in place.",
        ],
    },
    "adults": {
        "red": [
            "Supported living placement giving notice after repeated incidents; crisis team visiting "
            "daily. Admission being considered.",
            "Stopped eating and sleeping since their mother's death; police called twice this week.",
        ],
        "amber": [
            "Support staff turnover high; some incidents at home but managed.",
            "Day service closed; more distress at home. Needs a multi-agency meeting soon to avoid crisis.",
        ],
        "green": [
            "Settled in supported living with a stable staff team; a good month.",
            "Risks managed well with the positive behaviour support plan in place.",
        ],
    },
}
# The care team: everyone has health and social care involved; children have their school too.
CARE_TEAM = {
    "children": [
        (
            "Dr Kate Lowe",
            "Consultant child and adolescent psychiatrist",
            "Kent and Medway NHS and Social Care Partnership Trust",
        ),
        ("Mark Ellis", "Children's social worker", "Kent County Council"),
        ("Jo Patel", "SENCO", "Hillview Academy"),
        ("Sian Reid", "SENCO", "Oakfield Primary School"),
    ],
    "adults": [
        (
            "Dr Raj Mehta",
            "Consultant psychiatrist (learning disability)",
            "Kent and Medway NHS and Social Care Partnership Trust",
        ),
        ("Tom Birch", "Adult social worker", "Kent County Council"),
        ("Helen Ward", "Community learning disability nurse", "Kent Community Health NHS Foundation Trust"),
        ("Nadia Osei", "Independent advocate", "Compass Advocacy"),
    ],
}
CONTACTS = {
    "children": [
        "Phoned mum: a better week, sleeping more.",
        "Home visit with social worker; agreed to chase short breaks.",
        "School reports two incidents; SENCO arranging a review of the EHCP.",
    ],
    "adults": [
        "Phoned the support team leader: a better week, sleeping more.",
        "Home visit with the social worker; agreed to chase a day service place.",
        "Community nurse reports weight loss; GP appointment booked.",
    ],
}


# Which of the demo's people (in the order they are made, the children's register first) turns 18 soon.
TURNING_18 = 1


def nhs_numbers(rng: random.Random):
    """Fictional NHS numbers from the 999 test range, each with a valid check digit."""
    seen = set()
    while True:
        candidate = "999" + "".join(str(rng.randint(0, 9)) for _ in range(7))
        if candidate not in seen and is_valid(candidate):
            seen.add(candidate)
            yield candidate


class Command(BaseCommand):
    help = "Create demo registers, a user for every role (password dsr-demo) and fictional people."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any register exists")
        parser.add_argument("--people", type=int, default=60)

    def handle(self, *args, if_empty: bool = False, people: int = 60, **options):
        if if_empty and Register.objects.exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        with audit_source(RequestContext(source="command", path="seed_demo")), transaction.atomic():
            self.build(people)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {Person.objects.count()} people."))
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username:<13} {persona.role.label}  password {DEMO_PASSWORD}")

    def build(self, count: int) -> None:
        rng = random.Random(20261123)  # the same demo every time
        organisations = {
            name: Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for name, kind in ORGANISATIONS
        }
        children = Register.objects.create(
            name="Kent and Medway — children and young people",
            short_name="Children and young people",
            published=True,
            team_name="Kent and Medway Dynamic Support Register team",
            team_phone="01622 000 001",
            team_email="dsr.children@example.nhs.uk",
            data_protection_officer="Data protection officer, dpo@example.nhs.uk",
            min_age=0,
            max_age=17,
            waiting_list_max_age=17,
            review_days_red=14,
            review_days_amber=28,
            review_days_green=90,
            review_days_blue=28,
        )
        adults = Register.objects.create(
            name="Kent and Medway — adults",
            short_name="Adults",
            published=True,
            team_name="Kent and Medway Dynamic Support Register team (adults)",
            team_phone="01622 000 002",
            team_email="dsr.adults@example.nhs.uk",
            data_protection_officer="Data protection officer, dpo@example.nhs.uk",
            min_age=18,
            max_age=80,
            waiting_list_max_age=25,
            review_days_red=14,
            review_days_amber=42,
            review_days_green=120,
            review_days_blue=42,
            file_after_months=None,
            erase_after_months=12,
        )
        for register in (children, adults):
            register.organisations.set(organisations.values())
        RiskFactor.objects.create(register=children, name="Exclusion from school", position=20)
        users = {}
        User = get_user_model()
        for persona in PERSONAS:
            user = User.objects.create_user(
                username=persona.username,
                password=DEMO_PASSWORD,
                first_name=persona.first_name,
                last_name=persona.last_name,
                email=f"{persona.username}@example.nhs.uk",
                is_staff=persona.is_staff,
                is_superuser=persona.is_staff,
            )
            users[persona.username] = user
            # The keyworker works with children, and the referrer is a primary school's SENCO.
            registers = [children] if persona.role in (Role.KEYWORKER, Role.REFERRER) else [children, adults]
            for register in registers:
                Membership.objects.create(
                    user=user,
                    register=register,
                    role=persona.role,
                    organisation=organisations[persona.organisation],
                )
        coordinator = users["coordinator"]
        factors = list(RiskFactor.objects.filter(register__isnull=True))
        numbers = nhs_numbers(rng)
        today = timezone.localdate()
        for n in range(count):
            register = children if n < count * 0.6 else adults
            group = "children" if register is children else "adults"
            age = rng.randint(6, 17) if register is children else rng.randint(18, 45)
            born = today - datetime.timedelta(days=age * 365 + rng.randint(10, 350))
            if n == TURNING_18:
                # Turns 18 in about four months: the move to adults' services is due.
                age, born = 17, years_before(today + datetime.timedelta(days=120), 18)
            joined_days_ago = rng.randint(150, 700)
            joined_at = timezone.now() - datetime.timedelta(days=joined_days_ago)
            first_rating = rng.choice(["green", "amber", "amber", "red"])
            person = services.add_person(
                register=register,
                details=PersonDetails(
                    given_name=GIVEN[n % len(GIVEN)],
                    family_name=FAMILY[(n * 7) % len(FAMILY)],
                    preferred_name="",
                    date_of_birth=born,
                    nhs_number=next(numbers),
                    sex=rng.choice(["female", "male"]),
                    gender_identity="",
                    ethnicity=rng.choice(["White British", "Black African", "Asian British", "Mixed", ""]),
                    address=f"{rng.randint(1, 120)} Station Road, Maidstone",
                    postcode="ME14 1XX",
                    local_authority=rng.choice(["Kent County Council", "Medway Council"]),
                    gp_practice=rng.choice(["Vine Medical Centre", "Bearsted Medical Practice"]),
                    accommodation="family_home"
                    if register is children
                    else rng.choice(["own_home", "supported_living", "residential_care"]),
                    communication_needs=rng.choice(["", "Uses Makaton", "Needs easy-read letters"]),
                ),
                joined_reason=rng.choice(
                    [
                        "Referred by CAMHS",
                        "Referred by social care",
                        "Self-referral by parent",
                        "Referred by SENCO",
                    ]
                    if register is children
                    else [
                        "Referred by the community learning disability team",
                        "Referred by adult social care",
                        "Self-referral",
                    ]
                ),
                rating=first_rating,
                rationale=rng.choice(RATIONALE[group][first_rating]),
                factors=rng.sample(factors, 3),
                by=coordinator,
                joined_at=joined_at,
            )
            services.update_circumstances(
                person=person,
                by=coordinator,
                circumstances=CircumstancesUpdate(
                    key_safety_information=rng.choice(SAFETY[group]),
                    why_enhanced_support="Rising risk of admission; services need to act together.",
                    health="Under CAMHS."
                    if register is children
                    else "Under the community learning disability team.",
                    education="EHCP in place; specialist school." if register is children else "",
                    social="Lives with family; short breaks twice a month."
                    if register is children
                    else "Lives with a support team of four; sees family at weekends.",
                ),
            )
            services.add_diagnosis(
                person=person,
                by=coordinator,
                diagnosis=DiagnosisDetails(
                    condition=rng.choice(Diagnosis.Condition.values),
                    status=Diagnosis.Status.CONFIRMED,
                    diagnosed_on=born + datetime.timedelta(days=rng.randint(3, 6) * 365),
                    waiting_since=None,
                    notes="",
                ),
            )
            self.care_team(rng, person, users, organisations, joined_at.date())
            guardian = age < 16
            services.record_consent(
                person=person,
                by=coordinator,
                consent=ConsentGiven(
                    purpose=Consent.Purpose.REGISTER,
                    given_by=Consent.GivenBy.PARENT if guardian else Consent.GivenBy.PERSON,
                    given_by_name=f"Parent of {person.given_name}" if guardian else person.full_name,
                    given_on=joined_at.date(),
                    method=Consent.Method.WRITTEN,
                ),
            )
            self.history(rng, person, factors, coordinator, joined_days_ago)
            for days_ago in sorted(
                rng.sample(range(1, joined_days_ago), min(3, joined_days_ago - 1)), reverse=True
            ):
                services.log_contact(
                    person=person,
                    by=users["keyworker"],
                    contact=LoggedContact(
                        kind=rng.choice(ContactLog.Kind.values),
                        occurred_on=today - datetime.timedelta(days=days_ago),
                        summary=rng.choice(CONTACTS[group]),
                    ),
                )
        # One leaver who just left, one whose record is due for filing, one due for erasure.
        self.left_register(
            children, coordinator, days_ago=0, reason="Settled at home; family agreed to leave the register"
        )
        self.left_register(children, coordinator, days_ago=200, reason="Moved out of the area")
        self.left_register(
            adults, coordinator, days_ago=400, reason="Stable for a year with community support"
        )
        # And one who would be due for erasure, but whose record is held for a claim.
        held = self.left_register(
            adults, coordinator, days_ago=450, reason="Moved to a residential placement"
        )
        if held is not None:
            governance_services.set_legal_hold(
                person=held,
                reason="A claim about their care while on the register is being defended",
                reference="Claim CL-2026-0147",
                review_on=today + datetime.timedelta(days=60),
                by=users["ig"],
            )
        # Last month's meeting came before this month's referrals; next week's takes them onto its agenda.
        add_finished_meeting(children=children, users=users)
        add_demo_referrals(children=children, adults=adults, users=users, numbers=numbers)
        add_upcoming_meeting(children=children, users=users)
        add_demo_subject_access_request(adults=adults, users=users)

    def care_team(self, rng, person, users, organisations, started_on) -> None:
        """A doctor or nurse and a social worker for everyone; a child's school SENCO; an adult's advocate for
        some."""
        team = CARE_TEAM["children" if person.is_child else "adults"]
        health, social, *others = team
        members = [health, social, *rng.sample(others, 1)]
        for name, role, organisation in members:
            services.add_involvement(
                person=person,
                by=users["coordinator"],
                member=CareTeamMember(
                    name=name,
                    role=role,
                    organisation=organisations[organisation],
                    contact="",
                    user=None,
                    is_keyworker=False,
                    is_care_coordinator=role.endswith("social worker"),
                    is_lead_professional=False,
                    started_on=started_on,
                ),
            )
        if person.is_child and rng.random() < 0.6:
            keyworker = users["keyworker"]
            services.add_involvement(
                person=person,
                by=users["coordinator"],
                member=CareTeamMember(
                    name=keyworker.get_full_name(),
                    role="Keyworker",
                    organisation=organisations["Kent Community Health NHS Foundation Trust"],
                    contact="keyworking@example.nhs.uk",
                    user=keyworker,
                    is_keyworker=True,
                    is_care_coordinator=False,
                    is_lead_professional=False,
                    started_on=started_on,
                ),
            )

    def history(self, rng, person, factors, by, joined_days_ago) -> None:
        """Later ratings, an admission for some, and some reviews left overdue."""
        register = person.register
        days_ago = joined_days_ago
        reviews = rng.randint(1, 4)
        for n in range(reviews):
            if n == reviews - 1:
                # Most people were last reviewed in the past few months; a few are late.
                days_ago = rng.randint(3, 50)
            else:
                days_ago = rng.randint(max(days_ago // 2, 101), max(days_ago - 5, 102))
            rating = rng.choice(["green", "green", "amber", "amber", "red"])
            rated_at = timezone.now() - datetime.timedelta(days=days_ago)
            due = rated_at.date() + datetime.timedelta(days=register.review_days(rating))
            if rng.random() < 0.3:  # some reviews brought forward
                due = rated_at.date() + datetime.timedelta(days=register.review_days(rating) // 2 + 1)
            record_rating(
                person=person,
                rating=rating,
                rationale=rng.choice(RATIONALE["children" if person.is_child else "adults"][rating]),
                factors=rng.sample(factors, 2),
                next_review_due=due,
                by=by,
                rated_at=rated_at,
            )
        if rng.random() < 0.12:
            admitted = timezone.localdate() - datetime.timedelta(days=rng.randint(5, 90))
            services.record_admission(
                person=person,
                by=by,
                admission=AdmissionDetails(
                    hospital=rng.choice(HOSPITALS),
                    admitted_on=admitted,
                    legal_status=rng.choice(
                        [
                            Admission.LegalStatus.SECTION_2,
                            Admission.LegalStatus.SECTION_3,
                            Admission.LegalStatus.INFORMAL,
                        ]
                    ),
                    out_of_area=rng.random() < 0.5,
                    secure_service=False,
                ),
            )

    def left_register(self, register, by, *, days_ago: int, reason: str) -> Person | None:
        """Someone who left the register `days_ago` days ago, so retention has something to show."""
        left_on = timezone.localdate() - datetime.timedelta(days=days_ago)
        leaver = (
            Person.objects.filter(
                register=register, status=Person.Status.ACTIVE, episodes__joined_on__lt=left_on
            )
            .order_by("family_name")
            .first()
        )
        if leaver is not None:
            services.remove_from_register(person=leaver, left_on=left_on, by=by, reason=reason)
        return leaver


def add_demo_referrals(*, children, adults, users, numbers) -> None:
    """Referrals in every state of triage: received (one of them for someone already known), consultation
    offered, awaiting the next meeting, accepted, declined, more information needed, and withdrawn."""

    today = timezone.localdate()
    known = (  # someone already on the register, under 16 so that a parent's consent stands
        Person.objects.filter(
            register=children, status=Person.Status.ACTIVE, date_of_birth__gt=years_before(today, 16)
        )
        .order_by("created_at")
        .first()
    )
    base = {
        "helper_relationship": "",
        "nhs_number": "",
        "address": "12 Mill Lane, Ashford",
        "postcode": "TN23 1AA",
        "contact_phone": "",
        "learning_disability": "neither",
        "waiting_since": None,
        "referrer_name": "",
        "referrer_role": "",
        "referrer_organisation": "",
        "referrer_email": "",
        "referrer_phone": "",
        "consent_given_on": today,
        "consent_method": Consent.Method.ELECTRONIC,
    }
    referrer = users["referrer"]
    demo = [
        (
            children,
            2,
            None,
            {
                "route": "parent",
                "given_name": "Maya",
                "family_name": "Patel",
                "date_of_birth": today - datetime.timedelta(days=11 * 365 + 40),
                "contact_name": "Anita Patel",
                "contact_email": "anita.patel@example.com",
                "autism": "diagnosed",
                "services_involved": "School SENCO",
                "concerns": ["staying_safe", "services_breaking_down"],
                "concerns_detail": "Maya has stopped going to school and is hurting herself when anxious.",
                "consent_given_by": Consent.GivenBy.PARENT,
                "consent_given_by_name": "Anita Patel",
            },
        ),
        (
            children,
            10,
            None,
            {
                "route": "helper",
                "helper_relationship": "Family support worker at Compass Advocacy",
                "given_name": "Leo",
                "family_name": "Carter",
                "date_of_birth": today - datetime.timedelta(days=15 * 365 + 100),
                "contact_name": "Jo Carter",
                "contact_email": "",
                "autism": "waiting",
                "waiting_since": today - datetime.timedelta(days=400),
                "concerns": ["police_or_court"],
                "concerns_detail": "Two police call-outs this month.",
                "consent_given_by": Consent.GivenBy.PARENT,
                "consent_given_by_name": "Jo Carter",
            },
        ),
        (
            children,
            5,
            referrer,
            {
                "route": "professional",
                "given_name": known.given_name if known else "Ruby",
                "family_name": known.family_name if known else "Hughes",
                "date_of_birth": known.date_of_birth if known else today - datetime.timedelta(days=9 * 365),
                "contact_name": "",
                "contact_email": "",
                "autism": "diagnosed",
                "referrer_name": referrer.get_full_name(),
                "referrer_role": "SENCO",
                "referrer_organisation": "Oakfield Primary School",
                "referrer_email": referrer.email,
                "concerns": ["risk_of_harm"],
                "concerns_detail": "Escalating incidents at school.",
                "consent_given_by": Consent.GivenBy.PARENT,
                "consent_given_by_name": "Parent (by phone)",
                "consent_method": Consent.Method.VERBAL,
            },
        ),
        (
            adults,
            4,
            None,
            {
                "route": "self",
                "given_name": "Owen",
                "family_name": "Price",
                "date_of_birth": today - datetime.timedelta(days=22 * 365 + 30),
                "nhs_number": next(numbers),
                "contact_name": "Owen Price",
                "contact_email": "owen.price@example.com",
                "autism": "diagnosed",
                "learning_disability": "diagnosed",
                "services_involved": "Community learning disability team",
                "concerns": ["services_breaking_down"],
                "concerns_detail": "My supported living placement is ending.",
                "consent_given_by": Consent.GivenBy.PERSON,
                "consent_given_by_name": "Owen Price",
            },
        ),
        (
            children,
            20,
            referrer,
            {
                "route": "professional",
                "given_name": "Isaac",
                "family_name": "Bell",
                "date_of_birth": today - datetime.timedelta(days=9 * 365 + 200),
                "nhs_number": next(numbers),
                "contact_name": "Laura Bell",
                "contact_email": "laura.bell@example.com",
                "autism": "diagnosed",
                "referrer_name": referrer.get_full_name(),
                "referrer_role": "SENCO",
                "referrer_organisation": "Oakfield Primary School",
                "referrer_email": referrer.email,
                "concerns": ["risk_of_harm", "services_breaking_down"],
                "concerns_detail": "Excluded twice this term; hitting out at his sister at home.",
                "consent_given_by": Consent.GivenBy.PARENT,
                "consent_given_by_name": "Laura Bell",
            },
        ),
        (
            adults,
            16,
            None,
            {
                "route": "helper",
                "helper_relationship": "Sister",
                "given_name": "Gemma",
                "family_name": "Shaw",
                "date_of_birth": today - datetime.timedelta(days=31 * 365 + 60),
                "contact_name": "Claire Shaw",
                "contact_email": "claire.shaw@example.com",
                "autism": "neither",
                "concerns": ["staying_safe"],
                "concerns_detail": "Very low since losing her job; not eating. No diagnosis.",
                "consent_given_by": Consent.GivenBy.PERSON,
                "consent_given_by_name": "Gemma Shaw",
            },
        ),
        (
            children,
            12,
            None,
            {
                "route": "parent",
                "given_name": "Zara",
                "family_name": "Ahmed",
                "date_of_birth": today - datetime.timedelta(days=13 * 365 + 10),
                "contact_name": "Samira Ahmed",
                "contact_email": "samira.ahmed@example.com",
                "autism": "waiting",
                "waiting_since": today - datetime.timedelta(days=300),
                "concerns": ["services_breaking_down"],
                "concerns_detail": "Zara's school placement is breaking down and she is at home most days.",
                "consent_given_by": Consent.GivenBy.PARENT,
                "consent_given_by_name": "Samira Ahmed",
            },
        ),
        (
            adults,
            25,
            None,
            {
                "route": "self",
                "given_name": "Ryan",
                "family_name": "Cole",
                "date_of_birth": today - datetime.timedelta(days=27 * 365 + 90),
                "contact_name": "Ryan Cole",
                "contact_email": "ryan.cole@example.com",
                "autism": "diagnosed",
                "concerns": ["services_breaking_down"],
                "concerns_detail": "My support package is being cut and I am worried I will not cope.",
                "consent_given_by": Consent.GivenBy.PERSON,
                "consent_given_by_name": "Ryan Cole",
            },
        ),
    ]
    coordinator = users["coordinator"]
    # What happened next to each, by first name: the referrals not named here are still to be triaged.
    factors = list(RiskFactor.objects.filter(register__isnull=True)[:2])
    next_steps = {
        "Owen": lambda r: referral_services.offer_consultation(
            referral=r, note="Phoned Owen", by=coordinator
        ),
        "Leo": lambda r: referral_services.await_meeting(
            referral=r,
            summary="Spoke with Leo's mum: two police call-outs, no diagnosis yet. "
            "For the meeting to decide.",
            by=coordinator,
        ),
        "Isaac": lambda r: referral_services.accept_referral(
            referral=r,
            reason="Eligible: autistic, at risk of his school placement breaking down",
            rating="amber",
            rationale="Excluded twice this term; family struggling. Needs a multi-agency meeting soon.",
            factors=factors,
            by=coordinator,
        ),
        "Gemma": lambda r: referral_services.decide_referral(
            referral=r,
            decision=Referral.Decision.DECLINED,
            reason="Not eligible: Gemma has no learning disability or autism diagnosis, and is not "
            "waiting for an assessment",
            other_support="Referred to the community mental health team with her consent",
            by=coordinator,
        ),
        "Zara": lambda r: referral_services.decide_referral(
            referral=r,
            decision=Referral.Decision.MORE_INFORMATION,
            reason="Please send the school's latest report and the date of the autism assessment referral",
            by=coordinator,
        ),
        "Ryan": lambda r: referral_services.close_referral(
            referral=r,
            note="Ryan phoned to withdraw: his support package is staying as it is",
            by=coordinator,
        ),
    }
    for register, days_ago, by, answers in demo:
        referral = referral_services.submit_referral(
            register=register, answers=ReferralAnswers(**{**base, **answers}), by=by
        )
        received = timezone.now() - datetime.timedelta(days=days_ago)
        Referral.objects.filter(pk=referral.pk).update(received_at=received)
        referral.events.update(at=received)
        step = next_steps.get(answers["given_name"])
        if step is not None:
            step(referral)


def add_finished_meeting(*, children, users) -> None:
    """Last month's register meeting for the children's register, finished, its minutes recording what was
    discussed and decided (a new rating, an action)."""
    coordinator = users["coordinator"]
    scope = scope_of(coordinator, children)
    today = timezone.localdate()
    # A meeting is run from its start time and dated today or later when it is made: held at midnight today,
    # then moved back to last month, as if it had been run then.
    held = meeting_services.create_meeting(
        scope=scope,
        register=children,
        kind=Meeting.Kind.REGISTER,
        held_on=today,
        starts_at=datetime.time(0, 0),
        by=coordinator,
        location="Microsoft Teams",
        chair=coordinator.get_full_name(),
    )
    meeting_services.record_attendance(
        meeting=held,
        present={str(pk) for pk in held.attendees.values_list("pk", flat=True)},
        by=coordinator,
        name="Jo Patel",
        organisation="Hillview Academy",
    )
    items = list(held.items.filter(person__isnull=False).select_related("person").order_by("position")[:3])
    for n, item in enumerate(items):
        person = item.person
        if n == 0:
            meeting_services.rate(
                item=item,
                by=coordinator,
                rating="red",
                rationale="The meeting agreed the risk has risen: school placement breaking down and two "
                "incidents at home this week.",
                factors=list(RiskFactor.objects.filter(register__isnull=True)[:2]),
                next_review_due=today + datetime.timedelta(days=children.review_days("red")),
            )
            decisions = "Rating raised to red. A C(E)TR to be arranged."
        elif n == 1:
            meeting_services.add_action(
                item=item,
                by=coordinator,
                description=f"Find a short breaks provider for {person.given_name}'s family",
                owner_name=users["keyworker"].get_full_name(),
                due_on=today + datetime.timedelta(days=14),
            )
            decisions = "Keep the current rating. Keyworker to find short breaks within two weeks."
        else:
            decisions = "Keep the current rating; review at next month's meeting."
        meeting_services.save_notes(
            item=item,
            discussion=f"Update from the keyworker and school on {person.given_name}: "
            "family finding evenings hard.",
            decisions=decisions,
            discussed=True,
            by=coordinator,
        )
    meeting_services.finish(meeting=held, by=coordinator, confirmed=True)
    Meeting.objects.filter(pk=held.pk).update(held_on=today - datetime.timedelta(days=28))


def add_upcoming_meeting(*, children, users) -> None:
    """Next week's register meeting, with its agenda built from the register as it stands: the referral
    awaiting a meeting, red and amber ratings, reviews and actions overdue."""
    coordinator = users["coordinator"]
    meeting_services.create_meeting(
        scope=scope_of(coordinator, children),
        register=children,
        kind=Meeting.Kind.REGISTER,
        held_on=timezone.localdate() + datetime.timedelta(days=7),
        starts_at=datetime.time(10, 0),
        by=coordinator,
        location="Microsoft Teams",
        chair=coordinator.get_full_name(),
    )


def add_demo_subject_access_request(*, adults, users) -> None:
    """An adult's request for a copy of their own record, received ten days ago and not yet answered."""
    person = (
        Person.objects.filter(register=adults, status=Person.Status.ACTIVE).order_by("created_at").first()
    )
    if person is None:
        return
    rights_services.record_subject_access_request(
        person=person,
        requester=rights_services.Requester(
            requester_name=person.full_name,
            requester_relationship=Relationship.PERSON,
            received_on=timezone.localdate() - datetime.timedelta(days=10),
        ),
        identity_checked=True,
        identity_check="Photo ID seen at the community team's office",
        by=users["ig"],
    )
