"""Every page that shows person data writes a read event: one explicit row per URL.

A new page must be added to one of the two tables below, so nobody ships a page that shows a person's
record without the audit trail knowing who saw it. Each page is opened by the first role the access
table (tests/registers/test_access_table.py) lets in.
"""

import pytest
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.people.models import Episode, Involvement, Person
from dsr.referrals.models import Referral
from dsr.registers.models import Register
from tests.registers.test_access_table import ACCESS, ROLES, request_as, world  # noqa: F401 (fixture)
from tests.urls_walk import URLS

# Pages that show person data (a person's record, part of it, or a list of people or their referrals).
SHOWS_PERSON_DATA = {
    "today",
    "people:list",
    "people:export_csv",
    "people:export_xlsx",
    "people:detail",
    "people:change_details",
    "people:change_rating",
    "people:change_circumstances",
    "people:add_diagnosis",
    "people:add_involvement",
    "people:end_involvement",
    "people:add_consent",
    "people:withdraw_consent",
    "people:record_admission",
    "people:record_discharge",
    "people:log_contact",
    "people:remove_from_register",
    "governance:upload_document",
    "governance:download_document",
    "governance:delete_document",
    "governance:retention",
    "governance:erase_person",
    "governance:set_legal_hold",
    "governance:lift_legal_hold",
    "governance:audit_trail",
    "governance:export_audit_trail",
    "notifications:outbox",
    "notifications:detail",
    "rights:people",
    "rights:person",
    "rights:add_subject_access",
    "rights:subject_access",
    "rights:close_subject_access",
    "rights:subject_access_clock",
    "rights:extend_subject_access",
    "rights:produce_pack",
    "rights:review_pack",
    "rights:add_rectification",
    "rights:rectification",
    "rights:decide_rectification",
    "rights:rectification_clock",
    "rights:extend_rectification",
    "referrals:queue",
    "referrals:my_referral",
    "referrals:mine",
    "referrals:detail",
    "referrals:offer_consultation",
    "referrals:await_meeting",
    "referrals:decide",
    "referrals:accept",
    "referrals:close",
    "reviews:add",
    "reviews:detail",
    "reviews:change",
    "reviews:add_recommendation",
    "actions:mine",
    "actions:add",
    "actions:update",
    "caseload:mine",
    "caseload:keyworker",
    "meetings:agenda",
    "meetings:item",
    "meetings:finish",
    "meetings:minutes",
    "meetings:minutes_pdf",
    "meetings:escalate",
    "meetings:close_escalation",
}

# Pages that show no person data held by the register, and why.
SHOWS_NO_PERSON_DATA = {
    "home": "sends each role to its start page",
    "switch_register": "changes the register the user works in",
    "login": "the sign-in page",
    "logout": "signs out",
    "people:add": "an empty form",
    "meetings:list": "the dates and kinds of meetings",
    "meetings:new": "an empty form",
    "meetings:details": "the meeting's date, time, place and chair",
    "meetings:attendance": "the staff invited and who came",
    "meetings:run": "sends the coordinator to the first item",
    "meetings:autosave": "saves notes and answers with the time saved",
    "meetings:cancel": "the meeting's kind and date, and why it is cancelled",
    "caseload:keyworkers": "keyworkers' names and how many people each is allocated to",
    "reports:summary": "counts only, small numbers suppressed",
    "governance:unusual_access": "members of staff and counts; reading it is audited as a list of users",
    "refer:start": "the public start page",
    "refer:form": "the public form: only what the submitter types",
    "refer:step": "a page of the public form: only what the submitter types",
    "refer:check": "the submitter's own answers, from their session",
    "refer:sent": "the reference number",
    "referrals:new": "an empty referral form",
    "referrals:step": "a page of the referral form: the referrer's own answers, from their session",
    "referrals:public_form": "which of the coordinator's registers are on the public referral form",
    "referrals:check": "the referrer's own answers, from their session",
    "referrals:sent": "the reference number",
    "admin:index": "the admin holds no person data (tests/registers/test_admin_has_no_person_data.py)",
    "access:changes": "staff accounts and their roles; changes to them are themselves audit events",
    "access:decide": "a request for a member of staff's access",
    "healthz": "whether the database, the schema and the worker are well",
    "privacy": "the privacy notice, with each published register's contacts",
    "accessibility": "the accessibility statement",
    "cookies": "the cookies the service sets",
    "account_login": "the sign-in page",
    "account_reauthenticate": "the user's own password, asked for again",
    "mfa_authenticate": "the user's own security code, asked for",
    "mfa_reauthenticate": "the user's own security code, asked for again",
    "mfa_reauthenticate_webauthn": "the user's own security key, asked for again",
    "mfa_index": "how the user signs in",
    "mfa_activate_totp": "setting up the user's own authenticator app",
    "mfa_deactivate_totp": "removing the user's own authenticator app",
    "mfa_generate_recovery_codes": "the user's own recovery codes",
    "mfa_view_recovery_codes": "the user's own recovery codes",
    "mfa_download_recovery_codes": "the user's own recovery codes",
    "mfa_add_webauthn": "adding the user's own security key",
    "mfa_list_webauthn": "the user's own security keys",
    "mfa_edit_webauthn": "renaming the user's own security key",
    "mfa_remove_webauthn": "removing the user's own security key",
    "oidc_login": "the button that sends the browser to the organisation's sign-in",
    "oidc_callback": "where the organisation's sign-in sends the browser back, to be signed in",
    "session_status": "how long is left before the user is signed out",
    "session_keep_alive": "how long is left before the user is signed out",
}

# What a page needs in its query string to show anyone.
QUERIES = {"rights:people": {"q": "Jamie"}}


def someone_due_for_erasure(built) -> None:
    """The retention page lists people only when some are due: make the world's person due."""
    person = Person.objects.get(pk=built.records["person_id"])
    Episode.objects.filter(person=person).update(left_on=today())
    Person.objects.filter(pk=person.pk).update(status=Person.Status.LEFT)
    Register.objects.filter(pk=person.register_id).update(erase_after_months=0)


def a_referral_made_by_the_coordinator(built) -> None:
    referral = Referral.objects.get(pk=built.records["referral_id"])
    Referral.objects.filter(pk=referral.pk).update(submitted_by=built.users["coordinator"])


def the_coordinator_as_keyworker(built) -> None:
    """My caseload lists people only for someone who is their keyworker."""
    Involvement.objects.filter(pk=built.records["involvement_id"]).update(user=built.users["coordinator"])


# What must be true for a page to show anyone (each test's changes are rolled back).
SETUP = {
    "governance:retention": someone_due_for_erasure,
    "referrals:mine": a_referral_made_by_the_coordinator,
    "caseload:mine": the_coordinator_as_keyworker,
}

READS = [AuditEvent.Action.VIEW, AuditEvent.Action.LIST, AuditEvent.Action.EXPORT]


def test_every_page_is_in_exactly_one_table():
    assert not SHOWS_PERSON_DATA & set(SHOWS_NO_PERSON_DATA)
    assert SHOWS_PERSON_DATA | set(SHOWS_NO_PERSON_DATA) == set(URLS)


def first_role_let_in(name: str) -> str:
    return next(role for role, cell in zip(ROLES, ACCESS[name], strict=True) if cell == 200)


@pytest.mark.parametrize("name", sorted(SHOWS_PERSON_DATA))
def test_a_page_that_shows_person_data_writes_a_read_event(db, client, world, name):  # noqa: F811
    role = first_role_let_in(name)
    user = world.users[role]
    if name in SETUP:
        SETUP[name](world)
    before = AuditEvent.objects.filter(user_id=user.pk, action__in=READS).count()

    if name in QUERIES:
        client.force_login(user)
        url = reverse(name, kwargs={keyword: world.records[keyword] for keyword in URLS[name]})
        response = client.get(url, QUERIES[name])
    else:
        response = request_as(client, world, role, name, world.records)

    assert response.status_code == 200
    assert AuditEvent.objects.filter(user_id=user.pk, action__in=READS).count() > before
