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
SAFETY = [
    "Becomes very distressed by unexpected changes to routine; give notice of visits. Has run into "
    "traffic when overwhelmed: do not approach quickly.",
    "Self-harms by head-banging when in pain; check for toothache or constipation first.",
    "Non-speaking: uses a communication book and Makaton. Mum is the best interpreter of distress.",
    "Sensory: cannot tolerate fluorescent lighting or loud rooms. Meet at home or outdoors.",
    "Has absconded from school twice this term. Police aware; safeguarding plan in place.",
]
RATIONALE = {
    "red": [
        "Placement breaking down after three incidents this week; family exhausted and asking for "
        "respite. Admission considered by CAMHS crisis team.",
        "Escalating self-harm and not attending school; parents report they cannot keep them safe.",
    ],
    "amber": [
        "Increasing distress since change of school; CAMHS involved. Needs a multi-agency meeting "
        "soon to avoid crisis.",
        "Support staff turnover high; some incidents at home but managed.",
    ],
    "green": [
        "Settled at home with a stable care package; family and school report a good month.",
        "Risks managed well with the positive behaviour support plan in place.",
    ],
}


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
            registers = [children] if persona.role == Role.KEYWORKER else [children, adults]
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
            age = rng.randint(6, 17) if register is children else rng.randint(18, 45)
            born = today - datetime.timedelta(days=age * 365 + rng.randint(10, 350))
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
                        "Referred by community learning disability team",
                    ]
                ),
                rating=first_rating,
                rationale=rng.choice(RATIONALE[first_rating]),
                factors=rng.sample(factors, 3),
                by=coordinator,
                joined_at=joined_at,
            )
            services.update_circumstances(
                person=person,
                by=coordinator,
                circumstances=CircumstancesUpdate(
                    key_safety_information=rng.choice(SAFETY),
                    why_enhanced_support="Rising risk of admission; services need to act together.",
                    health="Under CAMHS."
                    if register is children
                    else "Under the community learning disability team.",
                    education="EHCP in place; specialist school." if register is children else "",
                    social="Lives with family; short breaks twice a month.",
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
                        summary=rng.choice(
                            [
                                "Phoned mum: a better week, sleeping more.",
                                "Home visit with social worker; agreed to chase respite.",
                                "School reports two incidents; SENCO arranging review.",
                            ]
                        ),
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
        add_demo_referrals(children=children, adults=adults, users=users, numbers=numbers)
        add_demo_meetings(children=children, users=users)

    def care_team(self, rng, person, users, organisations, started_on) -> None:
        team = [
            (
                "Dr Kate Lowe",
                "Consultant psychiatrist",
                "Kent and Medway NHS and Social Care Partnership Trust",
            ),
            ("Mark Ellis", "Social worker", "Kent County Council"),
            ("Jo Patel", "SENCO", "Hillview Academy"),
        ]
        for name, role, organisation in rng.sample(team, 2):
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
                    is_care_coordinator=role == "Social worker",
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
                rationale=rng.choice(RATIONALE[rating]),
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
    """A few referrals at different stages of triage, one of them for someone already known."""

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
    ]
    for register, days_ago, by, answers in demo:
        referral = referral_services.submit_referral(
            register=register, answers=ReferralAnswers(**{**base, **answers}), by=by
        )
        received = timezone.now() - datetime.timedelta(days=days_ago)
        Referral.objects.filter(pk=referral.pk).update(received_at=received)
        referral.events.update(at=received)
        if register is adults:
            referral_services.offer_consultation(
                referral=referral, note="Phoned Owen", by=users["coordinator"]
            )


def add_demo_meetings(*, children, users) -> None:
    """Last month's register meeting for the children's register, finished, with its notes: this month's
    is then proposed a month on."""

    coordinator = users["coordinator"]
    meeting = meeting_services.create_meeting(
        scope=scope_of(coordinator, children),
        register=children,
        kind=Meeting.Kind.REGISTER,
        held_on=timezone.localdate(),
        by=coordinator,
        location="Microsoft Teams",
        chair=coordinator.get_full_name(),
    )
    Meeting.objects.filter(pk=meeting.pk).update(held_on=timezone.localdate() - datetime.timedelta(days=28))
    meeting.attendees.update(present=True)
    for item in meeting.items.filter(person__isnull=False)[:3]:
        meeting_services.save_notes(
            item=item,
            discussion="Update from the keyworker and school; family finding evenings hard.",
            decisions="Keep the current rating; keyworker to chase short breaks.",
            discussed=True,
            by=coordinator,
        )
    meeting_services.finish(meeting=meeting, by=coordinator)
