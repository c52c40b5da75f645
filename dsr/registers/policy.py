"""Who may do what: the one table of roles and the actions each role may take in a register.

Every decision about what a user may see or do is answered from here, through the scope
(dsr.access.Scope.may, .registers_for and its querysets); views, selectors and templates ask the
scope and never compare roles themselves. docs/adr/0002-access-scoped-by-register.md
"""

from __future__ import annotations

from dsr.registers.models import Role

COORDINATOR, PROFESSIONAL, KEYWORKER = Role.COORDINATOR, Role.PROFESSIONAL, Role.KEYWORKER
REFERRER, IG, ANALYST = Role.REFERRER, Role.IG, Role.ANALYST

# What each role may do in a register, or to a person's record it can open.
PERMISSIONS: dict[str, frozenset[str]] = {
    name: frozenset(roles)
    for name, roles in {
        # Seeing people. The register list shows a register's people; coordinators and professionals
        # open every record in it, a keyworker only the people allocated to them; filed records open
        # for coordinators only (and for IG officers, through the records they govern).
        "see_register_list": {COORDINATOR, PROFESSIONAL, KEYWORKER},
        "open_every_record": {COORDINATOR, PROFESSIONAL},
        "open_allocated_records": {KEYWORKER},
        "open_filed_records": {COORDINATOR},
        "govern_records": {IG},
        # Caseloads: everyone on the list has their own; coordinators and professionals see every
        # keyworker's, and coordinators the list of keyworkers.
        "have_own_caseload": {KEYWORKER},
        "oversee_caseloads": {COORDINATOR, PROFESSIONAL},
        "see_keyworkers": {COORDINATOR},
        # A person's record.
        "add_person": {COORDINATOR},
        "change_details": {COORDINATOR},
        "change_rating": {COORDINATOR},
        "change_care_team": {COORDINATOR},
        "change_consent": {COORDINATOR},
        "change_diagnosis": {COORDINATOR},
        "record_admission": {COORDINATOR},
        "remove_from_register": {COORDINATOR},
        "change_circumstances": {COORDINATOR, PROFESSIONAL, KEYWORKER},
        "log_contact": {COORDINATOR, PROFESSIONAL, KEYWORKER},
        "see_who_viewed": {COORDINATOR, IG},
        # Anyone who can open the record can see and download its documents.
        "upload_document": {COORDINATOR, PROFESSIONAL, KEYWORKER},
        "delete_document": {COORDINATOR},
        # Referrals: not about a person on the register yet, so checked by register.
        "triage_referrals": {COORDINATOR},
        "make_referral": {REFERRER, COORDINATOR, PROFESSIONAL},
        # A register is on the public referral form once its coordinator puts it there.
        "publish_referral_form": {COORDINATOR},
        # Referrers work from their own pages: making a referral and following those they made.
        "follow_own_referrals": {REFERRER},
        # The outbox of messages to families and referrers.
        "read_outbox": {COORDINATOR},
        # Reviews (C(E)TRs, LAEPs, oversight visits) and actions. An action is owned by someone on the
        # care team side of the register; a keyworker updates only the actions they own (OWN_ONLY).
        "record_review": {COORDINATOR},
        "add_action": {COORDINATOR, PROFESSIONAL},
        "update_action": {COORDINATOR, PROFESSIONAL, KEYWORKER},
        "own_action": {COORDINATOR, PROFESSIONAL, KEYWORKER},
        # Meetings: coordinators build and run them, panel members read agendas and minutes, and everyone
        # who works with the register's people is told of them. Coordinators and professionals may
        # escalate someone to the oversight panel.
        "see_meetings": {COORDINATOR, PROFESSIONAL},
        "run_meeting": {COORDINATOR},
        "invited_to_meetings": {COORDINATOR, PROFESSIONAL, KEYWORKER},
        "escalate": {COORDINATOR, PROFESSIONAL},
        # Figures about the register, with small numbers suppressed (dsr.reports).
        "see_reports": {ANALYST, COORDINATOR},
        # Information governance: the audit trail, information rights requests, retention, legal hold
        # and erasure, signs of unusual access, and who may do what.
        "see_audit_trail": {IG},
        "handle_information_rights": {IG},
        "apply_retention": {IG},
        "erase_record": {IG},
        "hold_record": {IG},
        "see_unusual_access": {IG},
        "see_access_changes": {IG},
        "decide_access": {IG},
    }.items()
}

# Actions a role may take only on records it owns (the record's `owner`).
OWN_ONLY: dict[str, frozenset[str]] = {"update_action": frozenset({KEYWORKER})}

# Actions that change a person's record: refused once the person has left the register, when the
# record is kept as it was.
CHANGES_RECORD = frozenset(
    {
        "change_details",
        "change_rating",
        "change_care_team",
        "change_consent",
        "change_diagnosis",
        "record_admission",
        "remove_from_register",
        "change_circumstances",
        "log_contact",
        "upload_document",
        "delete_document",
        "record_review",
        "add_action",
        "update_action",
        "escalate",
        "run_meeting",
    }
)

# Where each role starts: the first of these it has decides the home page.
HOME_PAGES: tuple[tuple[str, str], ...] = (
    ("see_register_list", "today"),
    ("follow_own_referrals", "today"),
    ("see_reports", "reports:summary"),
    ("see_audit_trail", "governance:audit_trail"),
)

# Roles that see identifiable data: every role but the analyst's (aggregate figures only). Giving someone
# one waits for a second person's approval (dsr.administration.services).
IDENTIFIABLE_ROLES = frozenset(Role) - {ANALYST}
# Roles that see everything the role on the left sees, and more: moving someone from one of them to the
# role on the left lowers their role, which takes effect at once.
WIDER_ROLES: dict[str, frozenset[str]] = {
    PROFESSIONAL: frozenset({COORDINATOR}),
    KEYWORKER: frozenset({PROFESSIONAL, COORDINATOR}),
    REFERRER: frozenset({PROFESSIONAL, COORDINATOR}),
}


def roles_that_may(action: str) -> frozenset[str]:
    """The roles that may take `action`: to find the people who may (the IG officers to tell, say)."""
    return PERMISSIONS[action]


def needs_approval(*, role: str, current: str | None) -> bool:
    """Whether giving `role` to someone who has `current` (None: no role) in a register needs a second
    person: it does when the new role shows identifiable data they could not see before."""
    if role not in IDENTIFIABLE_ROLES or role == current:
        return False
    return current not in WIDER_ROLES.get(role, frozenset())
