"""Audit events in plain words, for the pages and packs people read: "Rating recorded", "Record viewed",
"Subject access pack produced", "List viewed".

An event keeps the action and what it was about as the code names them (`record_type`: a model's name for
a change, or the `what` a page gave for a read, list or export). What each kind of person record is called
comes from the registry of person records (dsr.audit.records), so a new kind reads right the moment it
registers; the few pages, lists and exports that are not records are named here.
"""

from django.apps import apps

from dsr.audit import records
from dsr.audit.models import AuditEvent

Action = AuditEvent.Action

VERBS = {
    Action.VIEW: "viewed",
    Action.LIST: "viewed",
    Action.CREATE: "recorded",
    Action.CHANGE: "changed",
    Action.DELETE: "deleted",
    Action.EXPORT: "downloaded",
    Action.FILE: "filed",
    Action.ERASE: "erased",
}

# What a read, list or export names (the `what` its view gives the audit), when it is not a kind of record.
WHAT = {
    "person_record": "record",
    "information_rights_record": "information requests page",
    "erasure_form": "erasure page",
    "meeting_item": "meeting item",
    "register_list": "register list",
    "caseload": "caseload",
    "referral_queue": "referral queue",
    "my_referrals": "list of referrals made",
    "my_actions": "list of actions",
    "meeting_agenda": "meeting agenda",
    "meeting_minutes": "meeting minutes",
    "meeting_minutes_pdf": "meeting minutes",
    "notification_outbox": "outbox",
    "notification": "message",
    "information_rights_search": "people search results",
    "retention_report": "retention report",
    "unusual_access": "unusual access report",
    "audit_trail": "audit trail",
    "user": "account",
    "membership": "role in a register",
    "grant_request": "request for access",
}

# Whole phrases, where a noun and a verb do not read right.
PHRASES = {
    (Action.EXPORT, "subject_access_pack"): "Subject access pack produced",
    (Action.VIEW, "subject_access_pack_review"): "Subject access pack reviewed",
    (Action.CREATE, "user"): "Account created",
    (Action.CREATE, "membership"): "Role given",
    (Action.DELETE, "membership"): "Role removed",
    (Action.CREATE, "grant_request"): "Access requested",
    (Action.CHANGE, "grant_request"): "Request for access decided",
    (Action.DELETE, "grant_request"): "Request for access withdrawn",
}

# The person's own record (the kind with no path to a person: Person itself), whatever was done to it.
OWN_RECORD = {
    Action.VIEW: "Record viewed",
    Action.CREATE: "Record created",
    Action.CHANGE: "Details changed",
    Action.DELETE: "Record deleted",
    Action.FILE: "Record filed",
    Action.ERASE: "Record erased",
    Action.EXPORT: "Record downloaded",
}

# What a read or a list of something not named above is.
UNNAMED = {Action.VIEW: "Record viewed", Action.LIST: "List viewed", Action.EXPORT: "Records downloaded"}


def _noun(record_type: str) -> str:
    """What the event was about, in plain words, or "" when it is not named anywhere."""
    if record_type in WHAT:
        return WHAT[record_type]
    # A change names the model ("riskrating"); a read may name it with underscores ("subject_access_request").
    model_name = record_type.replace("_", "")
    for kind in records.kinds():
        if kind.model._meta.model_name == model_name:
            return kind.singular
    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return str(model._meta.verbose_name)
    return ""


def describe(event: AuditEvent) -> str:
    """What happened, in plain words: "Rating recorded", "Record viewed", "Subject access pack produced"."""
    action, record_type = event.action, event.record_type
    if (action, record_type) in PHRASES:
        return PHRASES[(action, record_type)]
    own = next((kind.model._meta.model_name for kind in records.kinds() if not kind.person_path), "")
    if record_type == own and action in OWN_RECORD:
        return OWN_RECORD[action]
    noun = _noun(record_type)
    if not noun:
        # A form page about the record (its page name), or something not named yet.
        return (
            UNNAMED.get(action) or f"{record_type.replace('_', ' ')} {VERBS.get(action, action)}".capitalize()
        )
    return f"{noun[:1].upper()}{noun[1:]} {VERBS.get(action, action)}"
