"""Time the register's real pages and commands on the national data set, beside hand-written SQL that
fetches the same rows.

Each page is requested in process through the whole Django stack (middleware, scope, audit, templates),
signed in as a real user through the real sign-in with a second factor; its time is the server's time to
answer. Each command is run as `manage.py` runs it. The plain SQL is what a developer would write by hand
for the same rows, so the ratio says what the application adds on top of the database.

Longer than 400 lines because each operation stands beside its plain SQL, so that a reader can check the
two fetch the same rows.
"""

from __future__ import annotations

import datetime
import gc
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pyotp
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from dsr.audit.chain import seal_events
from dsr.audit.checkpoints import Checkpoint
from dsr.audit.models import AuditChainHead, AuditEvent
from dsr.bench.dataset import PASSWORD, Made, day_of_events, totp_secret
from dsr.meetings.models import Meeting
from dsr.people.models import Person


@dataclass
class Timing:
    operation: str
    people: int
    runs: list[float]
    queries: int | None = None
    plain_sql: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        """The 95th percentile by nearest rank: with nine runs, the slowest."""
        ordered = sorted(self.runs)
        return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]

    @property
    def sql_median(self) -> float | None:
        return statistics.median(self.plain_sql) if self.plain_sql else None

    @property
    def ratio(self) -> float | None:
        sql = self.sql_median
        return self.median / sql if sql else None

    def as_dict(self) -> dict:
        return {
            "operation": self.operation,
            "people": self.people,
            "median_ms": round(self.median * 1000, 2),
            "p95_ms": round(self.p95 * 1000, 2),
            "runs": len(self.runs),
            "queries": self.queries,
            "plain_sql_ms": round(self.sql_median * 1000, 2) if self.sql_median else None,
            "ratio": round(self.ratio, 1) if self.ratio else None,
            "note": self.note,
        }


def signed_in(username: str) -> Client:
    """A browser session of a bench account, signed in through the real pages: password, then the code
    from its authenticator app."""
    client = Client(HTTP_HOST=_host())
    response = client.post(reverse("account_login"), {"login": username, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"Signing in as {username} failed ({response.status_code})")
    totp = pyotp.TOTP(totp_secret(username))
    response = client.post(reverse("mfa_authenticate"), {"code": totp.now()})
    if response.status_code != 302:
        # A code is good once: this account used this one in the last half minute (an earlier run, say).
        time.sleep(totp.interval - time.time() % totp.interval + 1)
        response = client.post(reverse("mfa_authenticate"), {"code": totp.now()})
    if response.status_code != 302:
        raise RuntimeError(f"The second factor of {username} was refused ({response.status_code})")
    return client


def _host() -> str:
    hosts = [host for host in settings.ALLOWED_HOSTS if host != "*" and not host.startswith(".")]
    return hosts[0] if hosts else "127.0.0.1"


def _timed(run: Callable[[], object], runs: int) -> tuple[list[float], int]:
    """Seconds each run took, after one run to warm the caches, and the fewest queries a run made: once a
    minute a request also notes the user's activity in their session (dsr.registers.idle), three queries
    that belong to no page, and runs of seconds each would otherwise count them at one size and not at
    another."""
    run()
    times, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        queries.append(len(captured.captured_queries))
    return times, min(queries)


def _sql(statements: list[tuple[str, list]], runs: int, *, rollback: bool = False) -> list[float]:
    def run():
        with transaction.atomic():
            with connection.cursor() as cursor:
                for statement, params in statements:
                    cursor.execute(statement, params)
                    if cursor.description:
                        cursor.fetchall()
            if rollback:
                transaction.set_rollback(True)

    times, _ = _timed(run, runs)
    return times


def _page(client: Client, url: str, *, method: str = "get", data: dict | None = None) -> Callable[[], object]:
    def run():
        response = getattr(client, method)(url, data or {})
        if response.status_code not in (200, 302):
            raise RuntimeError(f"{method.upper()} {url} answered {response.status_code}")
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    return run


LIST_COLUMNS = """p.id, p.given_name, p.family_name, p.preferred_name, p.nhs_number, p.date_of_birth,
    p.current_rating, p.next_review_due,
    (SELECT i.name FROM people_involvement i WHERE i.person_id = p.id AND i.is_keyworker
       AND i.ended_on IS NULL ORDER BY i.started_on LIMIT 1) AS keyworker"""
LIST_ORDER = "ORDER BY p.next_review_due, p.family_name, p.given_name, p.id"
COUNTS = """SELECT p.current_rating, count(*) FROM people_person p
    WHERE p.register_id = %s AND p.status = 'active' GROUP BY p.current_rating"""
NAME_MATCH = "(p.given_name ILIKE %s OR p.family_name ILIKE %s OR p.preferred_name ILIKE %s)"


def _list_sql(
    register_id: int, where: str = "", params: tuple = (), *, offset: int = 0, order: str = LIST_ORDER
):
    # The benchmark's own SQL: no input reaches it.
    page = f"SELECT {LIST_COLUMNS} FROM people_person p WHERE p.register_id = %s AND p.status = 'active' "  # noqa: S608
    return [
        (
            page + f"{where} {order} LIMIT 25 OFFSET %s",
            [register_id, *params, offset],
        ),
        (COUNTS, [register_id]),
    ]


def measure(made: Made, *, runs: int, log=print) -> list[Timing]:
    """Every operation the benchmark times, at this data set's size."""
    # As each gunicorn worker does once the app is loaded (config/gunicorn.conf.py): what is loaded so far
    # stays out of the garbage collector's full collections.
    gc.freeze()
    register = made.largest.register
    register_id = register.pk
    people = made.people
    coordinator = signed_in(_username(made.largest.coordinators[0]))
    results: list[Timing] = []
    today = timezone.localdate()

    def page(
        name: str,
        url: str,
        sql: list[tuple[str, list]],
        client: Client = coordinator,
        note: str = "",
        **kwargs,
    ) -> Timing:
        times, queries = _timed(_page(client, url, **kwargs), runs)
        timing = Timing(name, people, times, queries, _sql(sql, runs) if sql else [], note=note)
        log(f"    {name}: {timing.median * 1000:.1f} ms ({queries} queries)")
        results.append(timing)
        return timing

    # What any page costs a signed-in user before it reads person data: the session, the second factor, the
    # layout. No plain SQL is beside it: it reads no rows of the register.
    page("a signed-in page without person data (accessibility statement)", reverse("accessibility"), [])
    active = Person.objects.filter(register_id=register_id, status="active")
    pages = max(1, (active.count() + 24) // 25)
    deep = min(200, pages)
    page("register list, page 1", reverse("people:list"), _list_sql(register_id))
    page(
        "register list, a deep page",
        f"{reverse('people:list')}?page={deep}",
        _list_sql(register_id, offset=(deep - 1) * 25),
        note=f"page {deep} of {pages}",
    )
    page(
        "register list, red and overdue",
        f"{reverse('people:list')}?rating=red&overdue=on",
        _list_sql(register_id, "AND p.current_rating = 'red' AND p.next_review_due < %s", (today,)),
    )
    oldest_due = """ORDER BY LEAST(COALESCE(p.next_review_due, '9999-12-31'), COALESCE((SELECT min(a.due_on)
        FROM actions_action a WHERE a.person_id = p.id AND a.status = 'open'), '9999-12-31')),
        p.family_name, p.given_name, p.id"""
    page(
        "register list, most overdue first",
        f"{reverse('people:list')}?sort=overdue",
        _list_sql(register_id, order=oldest_due),
    )
    word = "Pat"
    like = f"%{word}%"
    page(
        "name search",
        f"{reverse('people:list')}?q={word}",
        _list_sql(register_id, f"AND {NAME_MATCH}", (like, like, like)),
    )
    sought = active.order_by("pk").values_list("nhs_number", flat=True).first()
    page(
        "NHS number search",
        f"{reverse('people:list')}?q={sought}",
        _list_sql(register_id, "AND p.nhs_number LIKE %s", (f"{sought}%",)),
    )
    worst = made.worst_case
    page(
        "person page (500 rating entries)",
        reverse("people:detail", kwargs={"person_id": worst}),
        _person_sql(worst),
    )
    page("today's work", reverse("today"), _today_sql(register_id, today))
    page(
        "triage queue",
        reverse("referrals:queue"),
        [
            (
                "SELECT * FROM referrals_referral WHERE register_id = %s AND state IN "
                "('received', 'consultation_offered', 'awaiting_meeting') ORDER BY received_at",
                [register_id],
            )
        ],
    )
    meeting = _create_meetings(made, coordinator, register_id, runs, results, log)
    page(
        "agenda page of that meeting",
        reverse("meetings:agenda", kwargs={"meeting_id": meeting.pk}),
        [
            (
                "SELECT i.*, p.given_name, p.family_name, p.current_rating FROM meetings_agendaitem i "
                "LEFT JOIN people_person p ON p.id = i.person_id WHERE i.meeting_id = %s "
                "ORDER BY i.position LIMIT 50",
                [meeting.pk],
            )
        ],
    )
    analyst = signed_in(_username(made.largest.analyst))
    page("analyst's figures", reverse("reports:summary"), [(COUNTS, [register_id])], client=analyst)
    ig = signed_in(_username(made.largest.ig))
    page(
        "subject access pack (ten years)",
        reverse("rights:produce_pack", kwargs={"person_id": worst, "subject_access_id": made.subject_access}),
        _subject_access_sql(worst),
        client=ig,
        method="post",
    )
    _commands(made, runs, results, log)
    return results


def _username(user_id: int) -> str:
    return User.objects.get(pk=user_id).username


def _person_sql(person_id) -> list[tuple[str, list]]:
    one = [person_id]
    return [
        (
            "SELECT * FROM people_person p LEFT JOIN people_circumstances c ON c.person_id = p.id "
            "WHERE p.id = %s",
            one,
        ),
        ("SELECT * FROM ratings_riskrating WHERE person_id = %s ORDER BY rated_at DESC", one),
        ("SELECT * FROM people_involvement WHERE person_id = %s", one),
        ("SELECT * FROM reviews_review WHERE person_id = %s", one),
        ("SELECT * FROM actions_action WHERE person_id = %s", one),
        ("SELECT * FROM people_contactlog WHERE person_id = %s", one),
        (
            "SELECT i.*, m.held_on FROM meetings_agendaitem i JOIN meetings_meeting m ON m.id = i.meeting_id "
            "WHERE i.person_id = %s UNION ALL SELECT i.*, m.held_on FROM meetings_agendaitem i "
            "JOIN meetings_meeting m ON m.id = i.meeting_id "
            "JOIN referrals_referral r ON r.id = i.referral_id WHERE r.person_id = %s",
            [person_id, person_id],
        ),
        ("SELECT * FROM governance_auditevent WHERE person_id = %s ORDER BY at DESC LIMIT 10", one),
    ]


def _today_sql(register_id: int, today: datetime.date) -> list[tuple[str, list]]:
    soon = today + datetime.timedelta(days=7)
    return [
        (
            "SELECT p.id, p.given_name, p.family_name, p.next_review_due FROM people_person p "
            "WHERE p.register_id = %s AND p.status = 'active' AND p.next_review_due <= %s",
            [register_id, soon],
        ),
        (
            "SELECT r.* FROM reviews_review r JOIN people_person p ON p.id = r.person_id "
            "WHERE p.register_id = %s AND p.status = 'active' AND r.status = 'planned' AND r.review_on <= %s",
            [register_id, soon],
        ),
        (
            "SELECT a.* FROM actions_action a JOIN people_person p ON p.id = a.person_id "
            "WHERE p.register_id = %s AND p.status = 'active' AND a.status = 'open' AND a.due_on <= %s",
            [register_id, soon],
        ),
    ]


def _subject_access_sql(person_id) -> list[tuple[str, list]]:
    return [
        *_person_sql(person_id)[:-1],
        ("SELECT * FROM governance_auditevent WHERE person_id = %s ORDER BY at", [person_id]),
    ]


def _create_meetings(made: Made, coordinator: Client, register_id: int, runs: int, results, log) -> Meeting:
    """Create a meeting for the largest register, its agenda built from the register, as the coordinator
    does; each run on a later date."""
    day = timezone.localdate() + datetime.timedelta(days=400)

    def run():
        nonlocal day
        day += datetime.timedelta(days=1)
        response = coordinator.post(
            reverse("meetings:new"),
            {
                "kind": "register",
                "held_on[day]": day.day,
                "held_on[month]": day.month,
                "held_on[year]": day.year,
                "starts_at": "10:00",
                "location": "Bench",
                "chair": "",
            },
        )
        if response.status_code != 302:
            raise RuntimeError(f"Creating a meeting answered {response.status_code}")

    times, queries = _timed(run, runs)
    meeting = Meeting.objects.filter(register_id=register_id).order_by("-created_at").first()
    items = meeting.items.count()
    due = """SELECT p.id, p.current_rating FROM people_person p
        WHERE p.register_id = %s AND p.status = 'active'
        AND (p.current_rating IN ('red', 'amber', 'blue') OR p.next_review_due < %s)
        ORDER BY p.current_rating"""
    insert = """INSERT INTO meetings_agendaitem (id, meeting_id, position, category, person_id, reasons,
        discussion, decisions, discussed, updated_at)
        SELECT gen_random_uuid(), %s, row_number() OVER (), p.current_rating, p.id, '', '', '', false, now()
        FROM people_person p WHERE p.register_id = %s AND p.status = 'active'
        AND (p.current_rating IN ('red', 'amber', 'blue') OR p.next_review_due < %s)"""
    today = timezone.localdate()
    timing = Timing(
        "create a meeting (agenda from the register)",
        made.people,
        times,
        queries,
        _sql([(due, [register_id, today]), (insert, [meeting.pk, register_id, today])], runs, rollback=True),
        note=f"{items:,} agenda items",
    )
    log(f"    create a meeting: {timing.median * 1000:.1f} ms ({queries} queries, {items:,} items)")
    results.append(timing)
    return meeting


def _a_day_ago(made: Made) -> Checkpoint:
    """The checkpoint last night's `verify_audit` would have left: a busy day's events before the chain's
    end as it is now (the operations timed before this one added events of their own)."""
    seal_events()
    end = AuditChainHead.objects.get(pk=1).position
    position = max(1, end - day_of_events(made.counts["audit events"]))
    event = AuditEvent.objects.get(chain_position=position)
    return Checkpoint(position=position, hash=event.hash, at=event.at, verified=True)


def _commands(made: Made, runs: int, results: list[Timing], log) -> None:
    def command(name: str, *args, **options) -> Callable[[], object]:
        return lambda: call_command(name, *args, stdout=StringIO(), **options)

    times, queries = _timed(command("apply_retention", dry_run=True), runs)
    retention_sql = [
        (
            "SELECT p.id FROM people_person p JOIN people_episode e ON e.person_id = p.id "
            "WHERE p.status IN ('left', 'filed') AND e.left_on IS NOT NULL",
            [],
        )
    ]
    results.append(Timing("retention dry run", made.people, times, queries, _sql(retention_sql, runs)))
    log(f"    retention dry run: {results[-1].median * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as directory:
        last_night = Path(directory) / "last-night.jsonl"
        checkpoint = _a_day_ago(made)
        last_night.write_text(json.dumps(checkpoint.signed()) + "\n")
        with override_settings(AUDIT_CHECKPOINT_DIR=Path(directory) / "written", AUDIT_CHECKPOINTS="file"):
            since = command("verify_audit", since_checkpoint=True, checkpoints_from=last_night)
            times, queries = _timed(since, runs)
            day_sql = [
                (
                    "SELECT * FROM governance_auditevent WHERE chain_position > %s ORDER BY chain_position",
                    [checkpoint.position],
                )
            ]
            results.append(
                Timing(
                    "verify_audit since last night's checkpoint",
                    made.people,
                    times,
                    queries,
                    _sql(day_sql, runs),
                    note="a day's events",
                )
            )
            log(f"    verify_audit since the checkpoint: {results[-1].median * 1000:.1f} ms")
            full = command("verify_audit", checkpoints_from=last_night)
            started = time.perf_counter()
            full()
            full_time = time.perf_counter() - started
            all_sql = [("SELECT * FROM governance_auditevent ORDER BY chain_position", [])]
            results.append(
                Timing(
                    "verify_audit, whole trail",
                    made.people,
                    [full_time],
                    None,
                    _sql(all_sql, 1),
                    note="one run: it reads every event",
                )
            )
            log(f"    verify_audit, whole trail: {full_time:.1f} s")
