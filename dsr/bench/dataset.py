"""A synthetic national data set for the benchmark: every register in England at once, on one server.

At 100,000 people: 45 registers, the largest holding a tenth of everyone (10,000); ten rating entries a
person (a million); ten years of monthly register meetings whose agendas hold about 557,000 items; care
teams, reviews, actions, contacts and referrals; and a sealed audit trail of forty events a person (four
million), signed and chained with the real audit key exactly as the application seals its own, so
`verify_audit` finds it intact. One person in the largest register has 500 rating entries and has been on
every agenda for ten years: the person page's worst case.

Every name, date of birth and NHS number is made up (NHS numbers from the 999 range, which is never
issued). Rows go in with COPY (dsr.bench.copy), so the whole set takes minutes.

Longer than 400 lines because each kind of record has its own generator here, and they make one set whose
parts refer to each other (people, their care teams, the meetings that discussed them, the trail of who saw
them); split up, each part would need the others' ids passed around.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dsr.actions.models import Action
from dsr.audit import chain, redaction
from dsr.audit.checkpoints import Checkpoint
from dsr.audit.models import AuditChainHead, AuditEvent
from dsr.bench.copy import copy_rows, reset_sequences
from dsr.bench.names import FAMILY_NAMES, GIVEN_NAMES
from dsr.meetings.models import AgendaItem, Meeting
from dsr.people.models import Circumstances, ContactLog, Diagnosis, Episode, Involvement, Person
from dsr.ratings.models import RiskRating
from dsr.referrals.models import Referral
from dsr.registers.models import Membership, Register, Role
from dsr.reviews.models import Review
from dsr.rights.models import SubjectAccessRequest

# The one password of every bench account. The bench builds its own database and never runs on a real one.
PASSWORD = "national-scale-bench"  # noqa: S105 (synthetic accounts only)
RATINGS_A_PERSON = 10
AUDIT_EVENTS_A_PERSON = 40
WORST_CASE_RATINGS = 500
MEETING_YEARS = 10
# A tenth of a register is discussed at each monthly meeting: about 557,000 agenda items at 100,000 people.
ON_EACH_AGENDA = 0.0464
RATING_SHARE = (("red", 0.1), ("amber", 0.25), ("green", 0.45), ("blue", 0.2))
REVIEW_DAYS = {"red": 30, "amber": 90, "green": 180, "blue": 90}


def totp_secret(username: str) -> str:
    """The authenticator app secret of a bench account, known to the load test so it can sign in."""
    digest = hashlib.sha256(f"bench second factor {username}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def nhs_number(n: int) -> str:
    """A valid NHS number in the never-issued 999 range (modulus 11 check digit), distinct for each even n
    below a million: a number whose check digit would be 10 is never issued, and n + 1 is taken instead."""
    while True:
        body = f"999{n:06d}"
        total = sum(int(d) * (10 - i) for i, d in enumerate(body))
        check = (11 - total % 11) % 11
        if check != 10:
            return body + str(check)
        n += 1


@dataclass
class BenchRegister:
    register: Register
    people: list[uuid.UUID]
    coordinators: list[int]
    keyworkers: list[int]
    professionals: list[int]
    ig: int
    analyst: int
    referrer: int

    @property
    def staff(self) -> list[int]:
        return [*self.coordinators, *self.keyworkers, *self.professionals]


@dataclass
class Made:
    """What the data set holds, for the benchmark to find its way around."""

    people: int
    registers: list[BenchRegister] = field(default_factory=list)
    worst_case: uuid.UUID | None = None
    subject_access: uuid.UUID | None = None
    # The checkpoint last night's `verify_audit` would have left: a day of events before the end.
    checkpoint: Checkpoint | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def largest(self) -> BenchRegister:
        return self.registers[0]


def register_sizes(people: int) -> list[int]:
    """45 registers at national size, fewer in a small set; the first holds a tenth of everyone."""
    registers = min(45, max(2, people // 100))
    largest = max(1, people // 10)
    rest = people - largest
    others = [
        rest // (registers - 1) + (1 if i < rest % (registers - 1) else 0) for i in range(registers - 1)
    ]
    return [largest, *others]


def build(people: int, *, seed: int = 16, log=print) -> Made:
    """Fill an empty, migrated database with the national data set."""
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    made = Made(people=people)
    with transaction.atomic():
        _registers_and_staff(made, people, rng, log)
        log(f"  {len(made.registers)} registers, {User.objects.count()} staff accounts")
        people_rows = _people(made, rng, today, now)
        made.counts["people"] = copy_rows(Person, people_rows.values())
        log(f"  {made.counts['people']:,} people")
        _records(made, people_rows, rng, today, now, log)
        _meetings(made, people_rows, rng, today, now, log)
        _audit_trail(made, rng, now, log)
        reset_sequences(
            [
                Involvement,
                Circumstances,
                Diagnosis,
                Episode,
                ContactLog,
                RiskRating,
                Review,
                Action,
                AuditEvent,
            ]
        )
        made.subject_access = _subject_access_request(made, today)
    return made


def _registers_and_staff(made: Made, people: int, rng: random.Random, log) -> None:
    password = make_password(PASSWORD)
    for index, size in enumerate(register_sizes(people)):
        register = Register.objects.create(
            name=f"Dynamic support register {index + 1:02d}",
            short_name=f"Register {index + 1:02d}",
            published=True,
            team_name="Dynamic Support Register team",
            team_email=f"dsr{index + 1:02d}@example.nhs.uk",
            max_age=120,
        )
        roles = {
            Role.COORDINATOR: 2,
            Role.KEYWORKER: max(2, size // 40),
            Role.PROFESSIONAL: 3,
            Role.IG: 1,
            Role.ANALYST: 1,
            Role.REFERRER: 1,
        }
        users = User.objects.bulk_create(
            User(
                username=f"r{index + 1:02d}-{role}-{n + 1}",
                first_name=rng.choice(GIVEN_NAMES),
                last_name=rng.choice(FAMILY_NAMES),
                email=f"r{index + 1:02d}-{role}-{n + 1}@example.nhs.uk",
                password=password,
            )
            for role, count in roles.items()
            for n in range(count)
        )
        by_role: dict[str, list[int]] = {}
        memberships = []
        for user in users:
            role = user.username.split("-")[1]
            by_role.setdefault(role, []).append(user.pk)
            memberships.append(Membership(user=user, register=register, role=role))
        Membership.objects.bulk_create(memberships)
        for user in users:
            TOTP.activate(user, totp_secret(user.username))
        made.registers.append(
            BenchRegister(
                register=register,
                people=[uuid.uuid4() for _ in range(size)],
                coordinators=by_role[Role.COORDINATOR],
                keyworkers=by_role[Role.KEYWORKER],
                professionals=by_role[Role.PROFESSIONAL],
                ig=by_role[Role.IG][0],
                analyst=by_role[Role.ANALYST][0],
                referrer=by_role[Role.REFERRER][0],
            )
        )
    made.worst_case = made.largest.people[0]
    assert Authenticator.objects.count() == User.objects.count()


def _rating(rng: random.Random) -> str:
    draw, total = rng.random(), 0.0
    for rating, share in RATING_SHARE:
        total += share
        if draw < total:
            return rating
    return "green"


def _people(made: Made, rng: random.Random, today: datetime.date, now: datetime.datetime) -> dict:
    rows: dict[uuid.UUID, dict[str, Any]] = {}
    n = 0
    for bench in made.registers:
        for person_id in bench.people:
            n += 1
            age_days = rng.randint(5 * 365, 45 * 365)
            rating = _rating(rng)
            rated = now - datetime.timedelta(days=rng.randint(0, REVIEW_DAYS[rating] + 30))
            status = rng.choices(["active", "left", "filed"], weights=[95, 4, 1])[0]
            if person_id == made.worst_case:
                status = "active"
            rows[person_id] = {
                "id": person_id,
                "register_id": bench.register.pk,
                "status": status,
                "given_name": rng.choice(GIVEN_NAMES),
                "family_name": rng.choice(FAMILY_NAMES),
                "date_of_birth": today - datetime.timedelta(days=age_days),
                "nhs_number": nhs_number(n * 2),
                "sex": rng.choice(["female", "male"]),
                "postcode": f"LS{rng.randint(1, 29)} {rng.randint(1, 9)}AB",
                "current_rating": rating,
                "current_rating_at": rated,
                "next_review_due": rated.date() + datetime.timedelta(days=REVIEW_DAYS[rating]),
                "filed_on": today - datetime.timedelta(days=30) if status == "filed" else None,
                "created_at": now - datetime.timedelta(days=rng.randint(400, 3650)),
                "updated_at": rated,
            }
    return rows


def _records(made: Made, people: dict, rng: random.Random, today, now, log) -> None:
    """Each person's care team, circumstances, diagnoses, time on the register, ratings, reviews, actions
    and contacts."""
    by_register = {bench.register.pk: bench for bench in made.registers}

    def involvements():
        for person in people.values():
            bench = by_register[person["register_id"]]
            started = person["created_at"].date()
            yield {
                "person_id": person["id"],
                "name": "Keyworker",
                "role": "Keyworker",
                "user_id": rng.choice(bench.keyworkers),
                "is_keyworker": True,
                "started_on": started,
            }
            yield {
                "person_id": person["id"],
                "name": "Community learning disability team",
                "role": "Psychiatrist",
                "user_id": rng.choice(bench.professionals),
                "is_care_coordinator": True,
                "started_on": started,
            }
            yield {
                "person_id": person["id"],
                "name": f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
                "role": "Social worker",
                "started_on": started,
                "ended_on": started + datetime.timedelta(days=300) if rng.random() < 0.3 else None,
            }

    made.counts["care team entries"] = copy_rows(Involvement, involvements())
    made.counts["circumstances"] = copy_rows(
        Circumstances,
        (
            {
                "person_id": p["id"],
                "key_safety_information": "Distressed by loud places; needs a known adult present.",
                "why_enhanced_support": "Placement at risk of breaking down.",
            }
            for p in people.values()
        ),
    )
    made.counts["diagnoses"] = copy_rows(
        Diagnosis,
        (
            {
                "person_id": p["id"],
                "condition": rng.choice(["autism", "learning_disability"]),
                "status": "confirmed",
            }
            for p in people.values()
        ),
    )
    made.counts["episodes"] = copy_rows(
        Episode,
        (
            {"person_id": p["id"], "joined_on": p["created_at"].date(), "joined_reason": "Referral accepted"}
            for p in people.values()
        ),
    )

    def ratings():
        for person in people.values():
            bench = by_register[person["register_id"]]
            entries = WORST_CASE_RATINGS if person["id"] == made.worst_case else RATINGS_A_PERSON
            at = person["current_rating_at"]
            for k in range(entries):
                rating = person["current_rating"] if k == 0 else _rating(rng)
                yield {
                    "person_id": person["id"],
                    "rating": rating,
                    "rationale": "Reviewed with the family and the care team.",
                    "rated_by_id": bench.coordinators[0],
                    "rated_at": at,
                    "next_review_due": at.date() + datetime.timedelta(days=REVIEW_DAYS[rating]),
                }
                at -= datetime.timedelta(days=7 if entries > RATINGS_A_PERSON else 75)

    made.counts["rating entries"] = copy_rows(RiskRating, ratings())
    log(f"  {made.counts['rating entries']:,} rating entries")

    def reviews():
        for person in people.values():
            bench = by_register[person["register_id"]]
            child = (today - person["date_of_birth"]).days < 18 * 365
            kind = "cetr" if child else "ctr"
            for review_on, status in (
                (today - datetime.timedelta(days=rng.randint(30, 400)), "took_place"),
                (today + datetime.timedelta(days=rng.randint(-30, 120)), "planned"),
            ):
                yield {
                    "person_id": person["id"],
                    "kind": kind,
                    "setting": "community",
                    "review_on": review_on,
                    "status": status,
                    "recorded_by_id": bench.coordinators[0],
                    "recorded_at": now,
                }

    made.counts["reviews"] = copy_rows(Review, reviews())

    def actions():
        for person in people.values():
            bench = by_register[person["register_id"]]
            for k in range(3):
                due = today + datetime.timedelta(
                    days=rng.randint(-60, 90) if k == 0 else -rng.randint(90, 700)
                )
                yield {
                    "person_id": person["id"],
                    "description": "Ask the school for the updated education, health and care plan.",
                    "owner_name": "Keyworker",
                    "owner_id": rng.choice(bench.keyworkers),
                    "due_on": due,
                    "status": "open" if k == 0 else "done",
                    "closed_on": None if k == 0 else due,
                    "created_by_id": bench.coordinators[0],
                    "created_at": now - datetime.timedelta(days=rng.randint(100, 800)),
                }

    made.counts["actions"] = copy_rows(Action, actions())

    def contacts():
        for person in people.values():
            bench = by_register[person["register_id"]]
            for _ in range(3):
                yield {
                    "person_id": person["id"],
                    "kind": rng.choice(["phone", "visit", "email"]),
                    "occurred_on": today - datetime.timedelta(days=rng.randint(1, 120)),
                    "summary": "Spoke with mum; things are calmer at home this week.",
                    "recorded_by_id": rng.choice(bench.keyworkers),
                    "recorded_at": now,
                }

    made.counts["contacts"] = copy_rows(ContactLog, contacts())
    log(f"  care teams, reviews, actions and contacts for {len(people):,} people")


def _referral(bench: BenchRegister, n: int, rng: random.Random, now, state: str, person=None) -> dict:
    received = now - datetime.timedelta(days=rng.randint(1, 40) if person is None else rng.randint(400, 3000))
    return {
        "register_id": bench.register.pk,
        "reference": f"B{bench.register.pk:02d}{n:07d}",
        "route": "professional",
        "given_name": person["given_name"] if person else rng.choice(GIVEN_NAMES),
        "family_name": person["family_name"] if person else rng.choice(FAMILY_NAMES),
        "date_of_birth": person["date_of_birth"] if person else now.date() - datetime.timedelta(days=4000),
        "nhs_number": person["nhs_number"] if person else "",
        "autism": "diagnosed",
        "learning_disability": "neither",
        "concerns": "Not going to school; risk of family breakdown.",
        "consent_given_by": "parent",
        "consent_given_by_name": "Parent",
        "consent_given_on": received.date(),
        "consent_method": "written",
        "state": state,
        "received_at": received,
        "decision": "accepted" if state == "decided" else "",
        "decided_at": received + datetime.timedelta(days=20) if state == "decided" else None,
        "person_id": person["id"] if person else None,
        "updated_at": received,
    }


def _meetings(made: Made, people: dict, rng: random.Random, today, now, log) -> None:
    """Referrals, and ten years of monthly register meetings with their agendas."""
    referral_rows: list[dict] = []
    referral_of: dict[uuid.UUID, uuid.UUID] = {}
    for bench in made.registers:
        n = 0
        for person_id in bench.people[::10]:  # a tenth joined through a referral that is kept
            n += 1
            row = {"id": uuid.uuid4(), **_referral(bench, n, rng, now, "decided", people[person_id])}
            referral_rows.append(row)
            referral_of[person_id] = row["id"]
        for _ in range(max(3, len(bench.people) // 50)):  # waiting to be triaged
            n += 1
            state = rng.choice(["received", "consultation_offered", "awaiting_meeting"])
            referral_rows.append({"id": uuid.uuid4(), **_referral(bench, n, rng, now, state)})
    made.counts["referrals"] = copy_rows(Referral, referral_rows)

    meeting_rows, item_rows = [], []
    for bench in made.registers:
        per_agenda = max(1, round(len(bench.people) * ON_EACH_AGENDA))
        for month in range(MEETING_YEARS * 12, 0, -1):
            held_on = today - datetime.timedelta(days=30 * month)
            meeting_id = uuid.uuid4()
            meeting_rows.append(
                {
                    "id": meeting_id,
                    "register_id": bench.register.pk,
                    "kind": "register",
                    "held_on": held_on,
                    "starts_at": datetime.time(10, 0),
                    "location": "Microsoft Teams",
                    "chair": "Register coordinator",
                    "status": "finished",
                    "finished_at": now - datetime.timedelta(days=30 * month),
                    "created_by_id": bench.coordinators[0],
                    "created_at": now - datetime.timedelta(days=30 * month + 14),
                }
            )
            start = (month * per_agenda) % len(bench.people)
            discussed = [bench.people[(start + k) % len(bench.people)] for k in range(per_agenda)]
            if made.worst_case in bench.people and made.worst_case not in discussed:
                discussed[0] = made.worst_case
            for position, person_id in enumerate(discussed, start=1):
                by_referral = person_id in referral_of and rng.random() < 0.2
                item_rows.append(
                    {
                        "meeting_id": meeting_id,
                        "position": position,
                        "category": "new_referral" if by_referral else people[person_id]["current_rating"],
                        "person_id": None if by_referral else person_id,
                        "referral_id": referral_of[person_id] if by_referral else None,
                        "reasons": "Rated red; review overdue",
                        "discussion": "Discussed with the keyworker; placement steady.",
                        "decisions": "Keep the rating; review in a month.",
                        "discussed": True,
                        "updated_by_id": bench.coordinators[0],
                        "updated_at": now - datetime.timedelta(days=30 * month),
                    }
                )
    made.counts["meetings"] = copy_rows(Meeting, meeting_rows)
    made.counts["agenda items"] = copy_rows(AgendaItem, item_rows)
    log(f"  {made.counts['meetings']:,} meetings, {made.counts['agenda items']:,} agenda items")


class _Event:
    """What the chain's signature and hash read of an event, without the cost of a model instance."""

    __slots__ = (
        "pk", "at", "user_id", "username", "register_id", "person_id", "action", "record_type", "record_id",
        "changes_digest", "source", "ip_address", "path",
    )  # fmt: skip


def _audit_trail(made: Made, rng: random.Random, now: datetime.datetime, log) -> None:
    """Forty events a person over five years (the worst case's over ten), signed and sealed into one chain
    with the real audit key, and a checkpoint a day before its end, as `verify_audit` leaves one nightly."""
    total = made.people * AUDIT_EVENTS_A_PERSON
    start = now - datetime.timedelta(days=5 * 365)
    step = (now - start) / total
    usernames = dict(User.objects.values_list("pk", "username"))
    benches = made.registers
    weights = [len(bench.people) for bench in benches]
    worst_start = now - datetime.timedelta(days=10 * 365)
    first_id = (AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    state = {"hash": chain.GENESIS, "position": 0}

    def events():
        event = _Event()
        worst_every = max(1, total // 2000)
        for i in range(total):
            bench = rng.choices(benches, weights)[0]
            at = start + step * i
            person_id = rng.choice(bench.people)
            if i % worst_every == 0:
                bench, person_id = made.largest, made.worst_case
                at = worst_start + (now - worst_start) * (i / total)
            user_id = rng.choice(bench.staff)
            kind = rng.random()
            if kind < 0.85:
                action, record_type, changes, path = "view", "person_record", {}, f"/people/{person_id}/"
            elif kind < 0.95:
                action, record_type, path = "change", "person", f"/people/{person_id}/rating/"
                changes = {"current_rating": ["amber", "red"]}
            else:
                action, record_type, path = "list", "register_list", "/people/"
                changes = {
                    "filters": {},
                    "page": 1,
                    "shown": [str(rng.choice(bench.people)) for _ in range(25)],
                }
                person_id = None
            stored, salts = (
                changes,
                {place: f"{rng.getrandbits(128):032x}" for place, _ in redaction.values(changes)},
            )
            event.pk = first_id + i
            event.at = at
            event.user_id = user_id
            event.username = usernames[user_id]
            event.register_id = bench.register.pk
            event.person_id = person_id
            event.action = action
            event.record_type = record_type
            event.record_id = str(person_id) if person_id else ""
            event.changes_digest = redaction.digest(stored, salts, {})
            event.source = "web"
            event.ip_address = "10.0.0.1"
            event.path = path
            state["position"] += 1
            state["hash"] = chain.event_hash(state["hash"], event, state["position"])
            yield {
                "id": event.pk,
                "at": at,
                "user_id": user_id,
                "username": event.username,
                "register_id": event.register_id,
                "person_id": person_id,
                "action": action,
                "record_type": record_type,
                "record_id": event.record_id,
                "changes": stored,
                "salts": salts,
                "redactions": {},
                "changes_digest": event.changes_digest,
                "redacted": False,
                "source": "web",
                "ip_address": "10.0.0.1",
                "path": path,
                "signature": chain.signature(event),
                "chain_position": state["position"],
                "hash": state["hash"],
            }
            if state["position"] == total - day_of_events(total):
                made.checkpoint = Checkpoint(
                    position=state["position"],
                    hash=state["hash"],
                    at=timezone.now() - datetime.timedelta(days=1),
                    verified=True,
                )

    made.counts["audit events"] = copy_rows(AuditEvent, events())
    AuditChainHead.objects.update_or_create(
        pk=1, defaults={"position": state["position"], "hash": state["hash"]}
    )
    log(f"  {made.counts['audit events']:,} audit events, sealed into one chain")


def day_of_events(total: int) -> int:
    """A busy day's share of the trail: the events a nightly `verify_audit --since-checkpoint` checks."""
    return max(1, min(total // 2, max(10_000, total // 365)))  # half of a small trail


def _subject_access_request(made: Made, today: datetime.date) -> uuid.UUID:
    request = SubjectAccessRequest.objects.create(
        requester_name="Parent of the person",
        requester_relationship="parent",
        received_on=today,
        clock_started_on=today,
        due_on=today + datetime.timedelta(days=30),
        recorded_by_id=made.largest.ig,
        person_id=made.worst_case,
        identity_checked=True,
    )
    return request.pk


# Bumped whenever the data set changes shape, so a kept bench database is built again.
VERSION = 1


def save(made: Made, path: Path) -> None:
    """What the benchmark needs to find its way around a data set it keeps between runs."""
    assert made.checkpoint is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    registers = [
        {
            "register": bench.register.pk,
            "coordinators": bench.coordinators,
            "keyworkers": bench.keyworkers,
            "professionals": bench.professionals,
            "ig": bench.ig,
            "analyst": bench.analyst,
            "referrer": bench.referrer,
        }
        for bench in made.registers
    ]
    path.write_text(
        json.dumps(
            {
                "version": VERSION,
                "people": made.people,
                "registers": registers,
                "worst_case": str(made.worst_case),
                "subject_access": str(made.subject_access),
                "checkpoint": made.checkpoint.signed(),
                "counts": made.counts,
            },
            indent=1,
        )
    )


def load(path: Path) -> Made | None:
    """A kept data set's description, or None when there is none of this version."""
    try:
        kept = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if kept.get("version") != VERSION:
        return None
    registers = Register.objects.in_bulk([r["register"] for r in kept["registers"]])
    checkpoint = kept["checkpoint"]
    return Made(
        people=kept["people"],
        registers=[
            BenchRegister(
                register=registers[r["register"]],
                people=[],
                coordinators=r["coordinators"],
                keyworkers=r["keyworkers"],
                professionals=r["professionals"],
                ig=r["ig"],
                analyst=r["analyst"],
                referrer=r["referrer"],
            )
            for r in kept["registers"]
        ],
        worst_case=uuid.UUID(kept["worst_case"]),
        subject_access=uuid.UUID(kept["subject_access"]),
        counts=kept["counts"],
        checkpoint=Checkpoint(
            position=checkpoint["position"],
            hash=checkpoint["hash"],
            at=datetime.datetime.fromisoformat(checkpoint["at"]),
            verified=checkpoint["verified"],
        ),
    )
