"""Who gets what from every page: one explicit row per URL, one column per role.

The table is written out by hand from DESIGN.md section 2 and dsr/registers/policy.py, so a change to
the permissions or a new page without a row makes a test fail. The cells say what a user of that role
gets for a person in their own register. A person in another register is a 404 for everyone, checked
for every URL that takes a person.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dsr.dates import today
from dsr.operations.worker import beat
from dsr.people import services
from dsr.people.models import Involvement
from dsr.registers.models import Role
from tests.factories import RegisterFactory, make_person, member
from tests.urls_walk import PERSON_URLS, URLS, give_record_ids


@dataclass(frozen=True)
class Redirect:
    """A 302 to the page with this URL name (a query string such as ?next= is allowed)."""

    to: str


# What a cell may hold: a status code, or one of these redirects (302).
IN = Redirect("login")  # to the sign-in page, with ?next=
HOME = Redirect("home")
LIST = Redirect("people:list")
TODAY = Redirect("today")
AUDIT = Redirect("governance:audit_trail")
FIGS = Redirect("reports:summary")
ADMIN = Redirect("admin:index")
REF = Redirect("refer:form")
NEW = Redirect("referrals:new")
MFA_RE = Redirect("mfa_reauthenticate")  # confirm it is you with your app's code
TOTP_X = Redirect("mfa_deactivate_totp")  # an app is already set up: remove it first

# Columns, in the order of ROLES below: anonymous; coordinator; professional; keyworker allocated to the
# person; keyworker not allocated to them; referrer; information governance officer; analyst;
# system administrator (is_staff, with the admin role in the register).
ROLES = (
    "anonymous",
    "coordinator",
    "professional",
    "keyworker",
    "keyworker_not_allocated",
    "referrer",
    "ig",
    "analyst",
    "admin",
)

# fmt: off
ACCESS = {
    #                                 anon    coord   prof    kw      kw_not  refer   ig      analyst admin
    "home":                          (IN,     TODAY,  TODAY,  TODAY,  TODAY,  TODAY,  AUDIT,  FIGS,   ADMIN),
    "today":                         (IN,     200,    200,    200,    200,    200,    403,    403,    403),
    "switch_register":               (IN,     HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME),
    "login":                         (200,    HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME),
    "logout":                        (IN,     IN,     IN,     IN,     IN,     IN,     IN,     IN,     IN),
    # Signing in and the second factor. Each user manages only their own: the world's coordinator has an
    # authenticator app; the others have none yet, and no password to confirm it is them with.
    "account_login":                 (200,    HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME),
    "mfa_authenticate":              (IN,     HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME),
    "account_reauthenticate":        (IN,     MFA_RE, 403,    403,    403,    403,    403,    403,    403),
    "mfa_reauthenticate":            (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "mfa_reauthenticate_webauthn":   (IN,     MFA_RE, 403,    403,    403,    403,    403,    403,    403),
    "mfa_index":                     (IN,     200,    200,    200,    200,    200,    200,    200,    200),
    "mfa_activate_totp":             (IN,     TOTP_X, 200,    200,    200,    200,    200,    200,    200),
    "mfa_deactivate_totp":           (IN,     200,    404,    404,    404,    404,    404,    404,    404),
    "mfa_generate_recovery_codes":   (IN,     200,    200,    200,    200,    200,    200,    200,    200),
    "mfa_view_recovery_codes":       (IN,     404,    404,    404,    404,    404,    404,    404,    404),
    "mfa_download_recovery_codes":   (IN,     404,    404,    404,    404,    404,    404,    404,    404),
    "mfa_add_webauthn":              (IN,     200,    200,    200,    200,    200,    200,    200,    200),
    "mfa_list_webauthn":             (IN,     200,    200,    200,    200,    200,    200,    200,    200),
    "mfa_edit_webauthn":             (IN,     404,    404,    404,    404,    404,    404,    404,    404),
    "mfa_remove_webauthn":           (IN,     404,    404,    404,    404,    404,    404,    404,    404),
    # Signing in through the organisation's OpenID Connect provider: off here (no OIDC_ISSUER), so not found
    # for anyone. Set up, it is open to everyone (tests/signin/test_openid_connect.py).
    "oidc_login":                    (404,    404,    404,    404,    404,    404,    404,    404,    404),
    "oidc_callback":                 (404,    404,    404,    404,    404,    404,    404,    404,    404),
    # How long a signed-in user has before they are signed out for inactivity, and staying signed in.
    "session_status":                (IN,     200,    200,    200,    200,    200,    200,    200,    200),
    "session_keep_alive":            (IN,     200,    200,    200,    200,    200,    200,    200,    200),
    # The health check, for load balancers and monitoring: no sign-in, no person data.
    "healthz":                       (200,    200,    200,    200,    200,    200,    200,    200,    200),
    # What every visitor may read, signed in or not: linked from the footer of every page.
    "privacy":                       (200,    200,    200,    200,    200,    200,    200,    200,    200),
    "accessibility":                 (200,    200,    200,    200,    200,    200,    200,    200,    200),
    "cookies":                       (200,    200,    200,    200,    200,    200,    200,    200,    200),
    "people:list":                   (IN,     200,    200,    200,    200,    403,    403,    403,    403),
    "people:export_csv":             (IN,     200,    200,    200,    200,    403,    403,    403,    403),
    "people:export_xlsx":            (IN,     200,    200,    200,    200,    403,    403,    403,    403),
    "people:add":                    (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "people:detail":                 (IN,     200,    200,    200,    404,    404,    404,    404,    404),
    "people:change_details":         (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "people:change_rating":          (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "people:change_circumstances":   (IN,     200,    200,    200,    404,    404,    404,    404,    404),
    "people:add_diagnosis":          (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "people:add_involvement":        (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "people:end_involvement":        (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "people:add_consent":            (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "people:withdraw_consent":       (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "people:record_admission":       (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "people:record_discharge":       (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "people:log_contact":            (IN,     200,    200,    200,    404,    404,    404,    404,    404),
    "people:remove_from_register":   (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    # Reviews: recorded by coordinators, read by everyone who opens the record.
    "reviews:add":                   (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "reviews:detail":                (IN,     200,    200,    200,    404,    404,    404,    404,    404),
    "reviews:change":                (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "reviews:add_recommendation":    (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    # Actions: "My actions" for everyone who works with the register's people; the allocated keyworker
    # owns the action in the table's world, so may update it.
    "actions:mine":                  (IN,     200,    200,    200,    200,    403,    403,    403,    403),
    "actions:add":                   (IN,     200,    200,    403,    404,    404,    404,    404,    404),
    "actions:update":                (IN,     200,    200,    200,    404,    404,    404,    404,    404),
    # Caseloads: "My caseload" for everyone who works with the register's people (empty for those who are
    # keyworker to no one); one keyworker's caseload for those who look after the keyworkers; the list of
    # keyworkers for coordinators.
    "caseload:mine":                 (IN,     200,    200,    200,    200,    403,    403,    403,    403),
    "caseload:keyworker":            (IN,     200,    200,    403,    403,    403,    403,    403,    403),
    "caseload:keyworkers":           (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    # Meetings: coordinators build and run them; panel members read their agendas and minutes. For anyone
    # else a meeting does not exist. Either may escalate a person to the oversight panel; the coordinator
    # records the panel's decision.
    "meetings:list":                 (IN,     200,    200,    403,    403,    403,    403,    403,    403),
    "meetings:new":                  (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "meetings:agenda":               (IN,     200,    200,    404,    404,    404,    404,    404,    404),
    "meetings:details":              (IN,     200,    403,    404,    404,    404,    404,    404,    404),
    "meetings:attendance":           (IN,     200,    403,    404,    404,    404,    404,    404,    404),
    "meetings:run":                  (IN,     302,    403,    404,    404,    404,    404,    404,    404),
    "meetings:item":                 (IN,     200,    403,    404,    404,    404,    404,    404,    404),
    "meetings:autosave":             (IN,     200,    403,    404,    404,    404,    404,    404,    404),
    "meetings:finish":               (IN,     200,    403,    404,    404,    404,    404,    404,    404),
    "meetings:cancel":               (IN,     200,    403,    404,    404,    404,    404,    404,    404),
    "meetings:minutes":              (IN,     200,    200,    404,    404,    404,    404,    404,    404),
    "meetings:minutes_pdf":          (IN,     200,    200,    404,    404,    404,    404,    404,    404),
    "meetings:escalate":             (IN,     200,    200,    403,    404,    404,    404,    404,    404),
    "meetings:close_escalation":     (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "governance:upload_document":    (IN,     200,    200,    200,    404,    404,    404,    404,    404),
    "governance:download_document":  (IN,     200,    200,    200,    404,    404,    404,    404,    404),
    "governance:delete_document":    (IN,     200,    403,    403,    404,    404,    404,    404,    404),
    "governance:retention":          (IN,     403,    403,    403,    403,    403,    200,    403,    403),
    "governance:erase_person":       (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    # Legal hold: IG officers set and lift it (the world's person is under one).
    "governance:set_legal_hold":     (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "governance:lift_legal_hold":    (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "reports:summary":               (IN,     200,    403,    403,    403,    403,    403,    200,    403),
    "governance:audit_trail":        (IN,     403,    403,    403,    403,    403,    200,    403,    403),
    "governance:export_audit_trail": (IN,     403,    403,    403,    403,    403,    200,    403,    403),
    # Signs of unusual access (many records, out of hours, outside a caseload): IG officers only.
    "governance:unusual_access":     (IN,     403,    403,    403,    403,    403,    200,    403,    403),
    # The outbox of messages to families and referrers: coordinators of the register only.
    "notifications:outbox":          (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "notifications:detail":          (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    # Information rights requests: IG officers only; for everyone else their people do not exist here.
    "rights:people":                 (IN,     403,    403,    403,    403,    403,    200,    403,    403),
    "rights:person":                 (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:add_subject_access":     (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:subject_access":         (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:produce_pack":           (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:review_pack":            (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:close_subject_access":   (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:subject_access_clock":   (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:extend_subject_access":  (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:add_rectification":      (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:rectification":          (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:decide_rectification":   (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:rectification_clock":    (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    "rights:extend_rectification":   (IN,     404,    404,    404,    404,    404,    200,    404,    404),
    # The public referral pages: open to everyone, signed in or not. Check and confirmation pages
    # without answers or a sent referral go back to the form.
    "refer:start":                   (200,    200,    200,    200,    200,    200,    200,    200,    200),
    "refer:form":                    (200,    200,    200,    200,    200,    200,    200,    200,    200),
    "refer:step":                    (200,    200,    200,    200,    200,    200,    200,    200,    200),
    "refer:check":                   (REF,    REF,    REF,    REF,    REF,    REF,    REF,    REF,    REF),
    "refer:sent":                    (REF,    REF,    REF,    REF,    REF,    REF,    REF,    REF,    REF),
    # Referrals: made by referrers, professionals and coordinators; triaged by coordinators only.
    "referrals:new":                 (IN,     200,    200,    403,    403,    200,    403,    403,    403),
    "referrals:step":                (IN,     200,    200,    403,    403,    200,    403,    403,    403),
    "referrals:mine":                (IN,     200,    200,    403,    403,    200,    403,    403,    403),
    # A referrer opens each referral they made (the world's referral is the referrer's); anyone else's is
    # not found. A register's coordinator puts it on the public referral form.
    "referrals:my_referral":         (IN,     403,    403,    403,    403,    200,    403,    403,    403),
    "referrals:public_form":         (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "referrals:check":               (IN,     NEW,    NEW,    403,    403,    NEW,    403,    403,    403),
    "referrals:sent":                (IN,     NEW,    NEW,    403,    403,    NEW,    403,    403,    403),
    "referrals:queue":               (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "referrals:detail":              (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "referrals:offer_consultation":  (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "referrals:await_meeting":       (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "referrals:decide":              (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "referrals:accept":              (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    "referrals:close":               (IN,     200,    403,    403,    403,    403,    403,    403,    403),
    # Who may do what: IG officers read the changes to roles and decide requests for access.
    "access:changes":                (IN,     403,    403,    403,    403,    403,    200,    403,    403),
    "access:decide":                 (IN,     403,    403,    403,    403,    403,    200,    403,    403),
    # The whole Django admin, as /admin/ itself: staff only. It has no sign-in of its own: anyone not signed
    # in goes to the register's; a signed-in user who is not staff is refused.
    "admin:index":                   (IN,     403,    403,    403,    403,    403,    403,    403,    200),
}
# fmt: on

# Pages that only answer a POST (a GET would be refused with 405).
POST_ONLY = {"switch_register", "logout", "session_keep_alive", "meetings:autosave"}

CASES = [(role, name, row[i]) for name, row in ACCESS.items() for i, role in enumerate(ROLES)]


def test_every_url_in_the_project_has_a_row_in_the_access_table():
    assert set(ACCESS) == set(URLS)


def test_every_row_has_a_cell_for_every_role():
    assert {name: len(row) for name, row in ACCESS.items() if len(row) != len(ROLES)} == {}


def test_the_table_covers_every_page_that_takes_a_person():
    """Guards the discovery itself: if it stopped finding the people pages, the 404 checks would be empty."""
    assert "people:detail" in PERSON_URLS
    assert {
        "people:end_involvement",
        "people:withdraw_consent",
        "people:record_discharge",
        "governance:download_document",
    } <= set(PERSON_URLS)


@dataclass
class World:
    register: object
    other_register: object
    records: dict  # URL keyword -> id, for a person in `register`
    other_records: dict  # URL keyword -> id, for a person in `other_register`
    users: dict


def build_world() -> World:
    """A person in one register and one in another, each with a care team, consent and a current
    admission. The allocated keyworker is also named on the other register's person, which must not
    let them in."""
    register = RegisterFactory(name="Kent and Medway", short_name="Kent and Medway")
    other_register = RegisterFactory(name="Barking and Dagenham", short_name="Barking and Dagenham")
    users = {
        "coordinator": member(register, Role.COORDINATOR, password=None),
        "professional": member(register, Role.PROFESSIONAL, password=None),
        "keyworker": member(register, Role.KEYWORKER, password=None),
        "keyworker_not_allocated": member(register, Role.KEYWORKER, password=None),
        "referrer": member(register, Role.REFERRER, password=None),
        "ig": member(register, Role.IG, password=None),
        "analyst": member(register, Role.ANALYST, password=None),
        "admin": member(register, Role.ADMIN, password=None, is_staff=True),
    }
    other_coordinator = member(other_register, Role.COORDINATOR, password=None)
    beat(worker_id="background-worker", started_at=timezone.now())  # a worker is running
    person = make_person(register=register, by=users["coordinator"], given_name="Jamie")
    other_person = make_person(register=other_register, by=other_coordinator, given_name="Other")
    return World(
        register=register,
        other_register=other_register,
        records=give_record_ids(
            person, users["coordinator"], keyworker=users["keyworker"], referrer=users["referrer"]
        ),
        other_records=give_record_ids(other_person, other_coordinator, keyworker=users["keyworker"]),
        users=users,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for this module's few hundred requests, inside a transaction rolled back at the end;
    each test runs in its own savepoint (the `db` fixture), so what one test changes is undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def request_as(client, world: World, role: str, name: str, records: dict):
    if role != "anonymous":
        client.force_login(world.users[role])
    url = reverse(name, kwargs={keyword: records[keyword] for keyword in URLS[name]})
    if name in POST_ONLY:
        return client.post(url, {"register": str(world.register.pk)})
    return client.get(url)


def assert_answer(response, expected) -> None:
    if isinstance(expected, Redirect):
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse(expected.to)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("role", "name", "expected"), CASES, ids=[f"{r}-{n}" for r, n, _ in CASES])
def test_each_role_gets_what_the_access_table_says(db, client, world, role, name, expected):
    response = request_as(client, world, role, name, world.records)
    assert_answer(response, expected)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
@pytest.mark.parametrize("name", PERSON_URLS)
def test_a_person_in_another_register_does_not_exist_for_any_role(db, client, world, role, name):
    """Never a 200, never a 403 that would confirm the person exists: a 404.
    (Anonymous users are sent to sign in before any person is looked up; see the table.)"""
    response = request_as(client, world, role, name, world.other_records)
    assert response.status_code == 404


@pytest.mark.parametrize("name", [n for n in PERSON_URLS if len(URLS[n]) > 1])
def test_a_care_team_consent_or_admission_of_another_person_is_not_found(db, client, world, name):
    """The coordinator may open their own person, but not reach another register's records through them."""
    records = {**world.other_records, "person_id": world.records["person_id"]}
    response = request_as(client, world, "coordinator", name, records)
    assert response.status_code == 404


def test_a_keyworker_whose_involvement_has_ended_can_no_longer_open_the_record(db, client, world):
    involvement = Involvement.objects.get(pk=world.records["involvement_id"])
    services.end_involvement(
        involvement=involvement,
        ended_on=today(),
        reason="Moved on",
        by=world.users["coordinator"],
    )
    client.force_login(world.users["keyworker"])
    response = client.get(reverse("people:detail", kwargs={"person_id": world.records["person_id"]}))
    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_pages_that_only_change_things_refuse_a_get(db, client, world, name):
    client.force_login(world.users["coordinator"])
    url = reverse(name, kwargs={keyword: world.records[keyword] for keyword in URLS[name]})
    assert client.get(url).status_code == 405
