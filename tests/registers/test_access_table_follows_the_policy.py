"""The access table (test_access_table.py) and the one table of who may do what (dsr/registers/policy.py)
agree: every page names the policy action that guards it, and for each role the table lets in exactly
the roles the policy allows. A change to the policy that the table does not follow, or a new page that
names no guard, fails here."""

import pytest

from dsr.registers.models import Role
from dsr.registers.policy import PERMISSIONS
from tests.registers.test_access_table import ACCESS, ROLES, Redirect

# Anyone who may open the person's record (every record, or those allocated to them).
OPENS_THE_RECORD = ("open_every_record", "open_allocated_records")

# The policy action (or actions, any of which will do) that guards each page.
GUARDS: dict[str, tuple[str, ...]] = {
    "today": ("see_register_list", "follow_own_referrals"),
    "people:list": ("see_register_list",),
    "people:export_csv": ("see_register_list",),
    "people:export_xlsx": ("see_register_list",),
    "people:add": ("add_person",),
    "people:detail": OPENS_THE_RECORD,
    "people:change_details": ("change_details",),
    "people:change_rating": ("change_rating",),
    "people:change_circumstances": ("change_circumstances",),
    "people:add_diagnosis": ("change_diagnosis",),
    "people:add_involvement": ("change_care_team",),
    "people:end_involvement": ("change_care_team",),
    "people:add_consent": ("change_consent",),
    "people:withdraw_consent": ("change_consent",),
    "people:record_admission": ("record_admission",),
    "people:record_discharge": ("record_admission",),
    "people:log_contact": ("log_contact",),
    "people:remove_from_register": ("remove_from_register",),
    "reviews:add": ("record_review",),
    "reviews:detail": OPENS_THE_RECORD,
    "reviews:change": ("record_review",),
    "reviews:add_recommendation": ("record_review",),
    "actions:mine": ("see_register_list",),
    "actions:add": ("add_action",),
    "actions:update": ("update_action",),
    "caseload:mine": ("see_register_list",),
    "caseload:keyworker": ("oversee_caseloads",),
    "caseload:keyworkers": ("see_keyworkers",),
    "meetings:list": ("see_meetings",),
    "meetings:new": ("run_meeting",),
    "meetings:agenda": ("see_meetings",),
    "meetings:details": ("run_meeting",),
    "meetings:attendance": ("run_meeting",),
    "meetings:run": ("run_meeting",),
    "meetings:item": ("run_meeting",),
    "meetings:autosave": ("run_meeting",),
    "meetings:finish": ("run_meeting",),
    "meetings:cancel": ("run_meeting",),
    "meetings:minutes": ("see_meetings",),
    "meetings:minutes_pdf": ("see_meetings",),
    "meetings:escalate": ("escalate",),
    "meetings:close_escalation": ("run_meeting",),
    "governance:upload_document": ("upload_document",),
    "governance:download_document": OPENS_THE_RECORD,
    "governance:delete_document": ("delete_document",),
    "governance:retention": ("apply_retention",),
    "governance:erase_person": ("erase_record",),
    "governance:set_legal_hold": ("hold_record",),
    "governance:lift_legal_hold": ("hold_record",),
    "reports:summary": ("see_reports",),
    "governance:audit_trail": ("see_audit_trail",),
    "governance:export_audit_trail": ("see_audit_trail",),
    "governance:unusual_access": ("see_unusual_access",),
    "notifications:outbox": ("read_outbox",),
    "notifications:detail": ("read_outbox",),
    "referrals:new": ("make_referral",),
    "referrals:mine": ("make_referral",),
    "referrals:step": ("make_referral",),
    "referrals:my_referral": ("follow_own_referrals",),
    "referrals:public_form": ("publish_referral_form",),
    "referrals:check": ("make_referral",),
    "referrals:sent": ("make_referral",),
    "referrals:queue": ("triage_referrals",),
    "referrals:detail": ("triage_referrals",),
    "referrals:offer_consultation": ("triage_referrals",),
    "referrals:await_meeting": ("triage_referrals",),
    "referrals:decide": ("triage_referrals",),
    "referrals:accept": ("triage_referrals",),
    "referrals:close": ("triage_referrals",),
    "access:changes": ("see_access_changes",),
    "access:decide": ("decide_access",),
    **{name: ("handle_information_rights",) for name in ACCESS if name.startswith("rights:")},
}

# Pages no register role guards: signing in and out, one's own account and second factors, the session,
# the health check, the public referral form, the privacy notice, accessibility statement and cookies page,
# and Django's admin (staff only, checked by Django).
UNGUARDED = {
    "home",
    "switch_register",
    "login",
    "logout",
    "oidc_login",
    "oidc_callback",
    "session_status",
    "session_keep_alive",
    "healthz",
    "privacy",
    "accessibility",
    "cookies",
    "admin:index",
    *(name for name in ACCESS if name.startswith(("account_", "mfa_", "refer:"))),
}

# The table's columns that hold one register role each (the other columns are no role, a keyworker who
# does not open this person, and a system administrator).
ROLE_COLUMNS = {
    "coordinator": Role.COORDINATOR,
    "professional": Role.PROFESSIONAL,
    "keyworker": Role.KEYWORKER,
    "referrer": Role.REFERRER,
    "ig": Role.IG,
    "analyst": Role.ANALYST,
}
REFUSED = {403, 404}


def test_every_page_names_its_guard_or_is_open_to_any_signed_in_user_by_design():
    assert set(GUARDS) | UNGUARDED == set(ACCESS)
    assert set(GUARDS) & UNGUARDED == set()


def test_every_guard_is_an_action_of_the_policy():
    assert {action for actions in GUARDS.values() for action in actions} - set(PERMISSIONS) == set()


CELLS = [(name, column) for name in GUARDS for column in ROLE_COLUMNS]


@pytest.mark.parametrize(("name", "column"), CELLS, ids=[f"{column}-{name}" for name, column in CELLS])
def test_the_table_lets_in_exactly_the_roles_the_policy_allows(name, column):
    allowed = any(ROLE_COLUMNS[column] in PERMISSIONS[action] for action in GUARDS[name])
    cell = ACCESS[name][ROLES.index(column)]
    let_in = isinstance(cell, Redirect) or cell not in REFUSED
    assert let_in == allowed, f"{column} on {name}: the table says {cell}, the policy says {allowed}"
