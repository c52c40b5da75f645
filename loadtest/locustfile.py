"""The register under load: coordinators, keyworkers, information governance officers and members of the
public using it at the same time, through the same pages and forms a browser uses.

Each simulated member of staff signs in once, as a bench account of their own (dsr.bench.dataset), with
their password and a code from their authenticator app: a code is good once per account in each 30 seconds,
so no two simulated users share an account. The people they open are the ones their pages link to.

Every page that shows someone's record writes an audit event. This file counts, as the responses come
back, how many events each kind of page should have written; when the run ends it writes those counts,
with Locust's figures, to LOADTEST_RESULTS, and `make loadtest` (loadtest/run.py) compares them with the
audit trail.

Run by `make loadtest`; by hand, against a server of the bench data set run with TRUSTED_PROXY_COUNT=1 (see
PublicReferrer): LOADTEST_DATASET=var/bench/dataset-10000.json locust -f loadtest/locustfile.py --host URL
"""

from __future__ import annotations

import datetime
import html
import itertools
import json
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import django
import pyotp
from locust import FastHttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from dsr.bench.dataset import PASSWORD, totp_secret  # noqa: E402
from loadtest.forms import FORM_HEADERS, PageForm, date_answer, path_of  # noqa: E402

# How long a simulated user pauses between pages, at most (seconds); 0 asks as fast as the server answers.
THINK_SECONDS = float(os.environ.get("LOADTEST_THINK_SECONDS", "1"))
PERSON_LINK = re.compile(r'href="/people/([0-9a-f-]{36})/"')
CONTACT_LINK = re.compile(r'href="/people/([0-9a-f-]{36})/contacts/add/"')
PAGES = re.compile(r"Page \d+ of (\d+)")
GIVEN_NAMES = ["Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hamza", "Isla", "Jack"]
FAMILY_NAMES = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fisher", "Green", "Hughes", "Iqbal", "Jones"]

# The audit events the run should have written, as "action record_type": how many.
expected: Counter[str] = Counter()
accounts_used: list[str] = []


class Accounts:
    """The bench accounts of each role, handed out once each: register by register, so that the simulated
    users spread over the registers as real ones do."""

    def __init__(self, dataset: Path):
        registers = json.loads(dataset.read_text())["registers"]
        self._free = {
            role: iter(self._round_robin(registers, key, role))
            for role, key in (("coordinator", "coordinators"), ("keyworker", "keyworkers"), ("ig", "ig"))
        }

    @staticmethod
    def _round_robin(registers: list[dict], key: str, role: str) -> list[str]:
        # The data set names each account after its register's place in the list and its own number.
        per_register = [
            [
                f"r{index + 1:02d}-{role}-{n + 1}"
                for n in range(len(r[key]) if isinstance(r[key], list) else 1)
            ]
            for index, r in enumerate(registers)
        ]
        return [name for names in itertools.zip_longest(*per_register) for name in names if name]

    def take(self, role: str) -> str:
        username = next(self._free[role], None)
        if username is None:
            raise RuntimeError(f"Every bench {role} account is in use: run fewer users or a larger data set")
        accounts_used.append(username)
        return username


accounts = Accounts(Path(os.environ.get("LOADTEST_DATASET", "var/bench/dataset-10000.json")))


_run: dict = {}


@events.init.add_listener
def _keep_environment(environment, **kwargs) -> None:
    _run["environment"] = environment


def _mark(moment: str) -> None:
    _run[moment] = (time.monotonic(), _run["environment"].stats.total.num_requests)


@events.test_stopping.add_listener
def _stopping(environment, **kwargs) -> None:
    _mark("stopping")


def _steady_rate() -> float | None:
    """Requests a second from the last sign-in until the run began to stop: what the server kept up once
    every member of staff was at work."""
    if "signed in" not in _run or "stopping" not in _run:
        return None
    (started, before), (stopped, after) = _run["signed in"], _run["stopping"]
    return (after - before) / (stopped - started) if stopped > started else None


@events.quit.add_listener
def _write_results(exit_code: int, **kwargs) -> None:
    """What the run did, once every simulated user has finished (Locust's own CSV files are written before
    the last users finish their tasks)."""
    path = os.environ.get("LOADTEST_RESULTS")
    if not path:
        return
    environment = _run["environment"]
    stats = environment.stats
    results = {
        "requests": [entry.to_dict() for entry in stats.entries.values()],
        "total": stats.total.to_dict(),
        "failures": [error.to_dict() for error in stats.errors.values()],
        "exceptions": [
            {"count": e["count"], "message": e["msg"]} for e in environment.runner.exceptions.values()
        ],
        "steady_rps": _steady_rate(),
        "exit_code": exit_code,
        "audit_events": expected,
        "accounts": accounts_used,
    }
    Path(path).write_text(json.dumps(results, indent=1))


class Visitor(FastHttpUser):
    """Someone using the register's pages: every answer must be a page (200) or a redirect (302)."""

    abstract = True
    wait_time = between(0, THINK_SECONDS)
    headers: dict[str, str] = {}

    def fetch(self, path: str, name: str, *, form: str | None = None, expect: tuple[int, ...] = (200, 302)):
        """GET the page, or POST the form to it; the response, or None when it was not what `expect` says."""
        with self.client.request(
            "POST" if form is not None else "GET",
            path,
            name=name,
            data=form,
            headers={**self.headers, **(FORM_HEADERS if form is not None else {})},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code not in expect:
                problem = re.search(r'nhsuk-error-summary__list">(.*?)</ul>', response.text or "", re.S)
                said = (
                    " ".join(html.unescape(re.sub("<[^>]+>", " ", problem.group(1))).split())
                    if problem
                    else ""
                )
                response.failure(f"{path} answered {response.status_code} {said}".strip())
                return None
            response.success()
            return response


class Staff(Visitor):
    """A member of staff, signed in as a bench account of their own.

    allauth lets one address sign in 30 times a minute, and every simulated user comes from this machine:
    with the default weights, about 34 simulated users are as many as can sign in within a minute."""

    abstract = True
    role = ""

    def on_start(self) -> None:
        """Sign in as a bench account of this role: password, then the code from the authenticator app."""
        self.username = accounts.take(self.role)
        page = self.fetch("/sign-in/", "sign in: page", expect=(200,))
        if page is not None:
            answer = {"login": self.username, "password": PASSWORD}
            page = self.fetch(
                "/sign-in/", "sign in: password", form=PageForm(page.text).filled(answer), expect=(302,)
            )
        if page is not None:
            second_factor = path_of(page.headers["location"])
            page = self.fetch(second_factor, "sign in: second factor page", expect=(200,))
        if page is not None:
            code = {"code": pyotp.TOTP(totp_secret(self.username)).now()}
            page = self.fetch(
                second_factor, "sign in: code", form=PageForm(page.text).filled(code), expect=(302,)
            )
        if page is None:
            raise RuntimeError(f"{self.username} could not sign in")
        _mark("signed in")

    def person_page(self, person_id: str) -> None:
        if self.fetch(f"/people/{person_id}/", "person page", expect=(200,)) is not None:
            expected["view person_record"] += 1


class Coordinator(Staff):
    """Works through the register list, opens people's records, and changes a rating after a review."""

    weight = 3
    role = "coordinator"

    def on_start(self) -> None:
        super().on_start()
        self.people: list[str] = []
        self.pages = 1
        self.register_list(1)

    def register_list(self, number: int) -> None:
        page = self.fetch(
            f"/people/?page={number}" if number > 1 else "/people/", "register list", expect=(200,)
        )
        if page is None:
            return
        shown = PERSON_LINK.findall(page.text)
        if shown:
            expected["list register_list"] += 1
        self.people = list(dict.fromkeys([*shown, *self.people]))[:200]
        if found := PAGES.search(page.text):
            self.pages = int(found.group(1))

    @task(3)
    def browse_register(self) -> None:
        self.register_list(random.randint(1, min(self.pages, 20)))

    @task(6)
    def open_record(self) -> None:
        if self.people:
            self.person_page(random.choice(self.people))

    @task(1)
    def change_rating(self) -> None:
        if not self.people:
            return
        person_id = random.choice(self.people)
        page = self.fetch(f"/people/{person_id}/rating/", "rating form", expect=(200,))
        if page is None:
            return
        expected["view change_rating"] += 1
        form = PageForm(page.text)
        rating = random.choice(form.choices["rating"])
        # The page proposes the next review from the register's cadence for the rating chosen.
        due = datetime.date.fromisoformat(json.loads(form.attributes["data-review-dates"])[rating])
        factors = random.sample(form.choices["risk_factors"], k=random.randint(1, 3))
        answers = {
            "rating": rating,
            "rationale": "Reviewed with the family and the care team after the support meeting.",
            "risk_factors": factors,
            **date_answer("next_review_due", due),
        }
        saved = self.fetch(
            f"/people/{person_id}/rating/", "rating: save", form=form.filled(answers), expect=(302,)
        )
        if saved is not None:
            expected["create riskrating"] += 1
            self.person_page(person_id)


class Keyworker(Staff):
    """Looks at their caseload, opens their people's records, and logs a contact with one of them."""

    weight = 3
    role = "keyworker"

    def on_start(self) -> None:
        super().on_start()
        self.people: list[str] = []
        self.contactable: list[str] = []
        self.caseload()

    @task(3)
    def caseload(self) -> None:
        page = self.fetch("/caseload/", "caseload", expect=(200,))
        if page is None:
            return
        self.people = list(dict.fromkeys(PERSON_LINK.findall(page.text)))
        self.contactable = CONTACT_LINK.findall(page.text)
        if self.people:
            expected["list caseload"] += 1

    @task(4)
    def open_record(self) -> None:
        if self.people:
            self.person_page(random.choice(self.people))

    @task(1)
    def log_contact(self) -> None:
        if not self.contactable:
            return
        person_id = random.choice(self.contactable)
        page = self.fetch(f"/people/{person_id}/contacts/add/", "contact form", expect=(200,))
        if page is None:
            return
        expected["view log_contact"] += 1
        answers = {
            "kind": random.choice(["phone", "visit", "meeting", "email"]),
            "summary": "Spoke with their mother; the new routine at college is going well.",
        }
        form = PageForm(page.text)
        saved = self.fetch(
            f"/people/{person_id}/contacts/add/", "contact: save", form=form.filled(answers), expect=(302,)
        )
        if saved is not None:
            expected["create contactlog"] += 1
            self.person_page(person_id)


class GovernanceOfficer(Staff):
    """Reads the audit trail of their register: who opened whose record."""

    weight = 1
    role = "ig"

    @task
    def audit_trail(self) -> None:
        number = random.choice([1, 1, 1, 2, 3])
        page = self.fetch(f"/governance/audit/?page={number}", "audit trail", expect=(200,))
        # The trail writes an event of its own when it names someone (the "Whose record" column).
        if page is not None and self._names_someone(page.text):
            expected["list audit_trail"] += 1

    @staticmethod
    def _names_someone(page: str) -> bool:
        table = page.partition('id="audit-events"')[2].partition("</table>")[0]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
            cells = re.findall(r"<td>(.*?)</td>", row, re.S)
            whose = " ".join(cells[3].split()) if len(cells) > 3 else ""
            if (
                whose
                and not whose.startswith("Referral ")
                and not re.fullmatch(r"\d+ records? erased since", whose)
            ):
                return True
        return False


class PublicReferrer(Visitor):
    """A parent filling in the public referral form, one question per page, and sending it.

    The form takes a few referrals an hour from one address (dsr.referrals.throttle). Members of the public
    come from many addresses; here they all come from this machine, so the server is run as behind one
    proxy (TRUSTED_PROXY_COUNT=1) and each referral names an address of its own in X-Forwarded-For, as a
    load balancer would. The limit itself stays as it is in production."""

    weight = 1

    def on_start(self) -> None:
        self.journey: Iterator[None] = iter(())

    @task
    def next_page(self) -> None:
        """One page of a referral at a time, with a pause to read each question (and a run can stop between
        pages); once a referral is sent, or goes wrong, the next one."""
        if next(self.journey, "done") == "done":
            self.journey = self.refer()
            next(self.journey, None)

    def refer(self) -> Iterator[None]:
        address = ".".join(str(random.randint(1, 254)) for _ in range(3))
        self.headers = {"X-Forwarded-For": f"127.{address}"}
        born = datetime.date.today() - datetime.timedelta(days=random.randint(6 * 365, 15 * 365))
        answers = {
            "route": "parent",
            "given_name": random.choice(GIVEN_NAMES),
            "family_name": random.choice(FAMILY_NAMES),
            **date_answer("date_of_birth", born),
            "postcode": "LS1 4AB",
            "contact_name": "Sam Example",
            "contact_email": "parent@example.com",
            "autism": "diagnosed",
            "learning_disability": "neither",
            "concerns": ["staying_safe", "services_breaking_down"],
            "concerns_detail": "School placement is breaking down and there have been two crises this month.",
            "consent_given_by": "parent",
            "consent_given_by_name": "Sam Example",
            "consent_confirmed": "on",
            "website": "",
        }
        if self.fetch("/refer/", "referral: start page", expect=(200,)) is None:
            return
        yield
        page, path = self.fetch("/refer/form/", "referral: question", expect=(200,)), "/refer/form/"
        for _ in range(12):
            if page is None:
                return
            yield
            form = PageForm(page.text)
            answered = self.fetch(
                form.action or path, "referral: answer", form=form.filled(answers), expect=(302,)
            )
            if answered is None:
                return
            path = path_of(answered.headers["location"])
            if path.startswith("/refer/check/"):
                break
            page = self.fetch(path, "referral: question", expect=(200,))
        check = self.fetch(path, "referral: check answers", expect=(200,))
        if check is None:
            return
        yield
        form = PageForm(check.text)
        sent = self.fetch(form.action or path, "referral: send", form=form.filled({}), expect=(302,))
        if sent is not None:
            expected["create referral"] += 1
            self.fetch(path_of(sent.headers["location"]), "referral: sent", expect=(200,))
