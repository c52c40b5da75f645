"""Audit events in plain words, for the pages and packs people read: "Changed the rating", "Viewed the
person's record", "Added a care team member", "Produced a subject access pack".

An event keeps the action and what it was about as the code names them (`record_type`: a model's name for
a change, or the `what` a page gave for a read, list or export). What each kind of person record is called
comes from the registry of person records (dsr.audit.records), so a new kind reads right the moment it
registers; the few pages, lists and exports that are not records are named here, and so are the phrases
where "Added a …" or "Changed the …" would not read right.
"""

from django.apps import apps

from dsr.audit import records
from dsr.audit.models import AuditEvent

Action = AuditEvent.Action

# What a read, list or export names (the `what` its view gives the audit), when it is not a kind of record.
WHAT = {
    "person_record": "the person's record",
    "information_rights_record": "the information requests page",
    "erasure_form": "the erasure page",
    "meeting_item": "a meeting item",
    "register_list": "the register list",
    "caseload": "the caseload",
    "referral_queue": "the referral queue",
    "my_referrals": "the list of referrals made",
    "my_actions": "the list of actions",
    "my_referral": "a referral they made",
    "register_list_export": "the register list",
    "todays_work": "today's work",
    # Written before today's work named its referrals in the same event as its people.
    "todays_work_referrals": "today's referrals",
    "meeting_agenda": "a meeting's agenda",
    "meeting_minutes": "a meeting's minutes",
    "meeting_minutes_pdf": "a meeting's minutes",
    "notification_outbox": "the outbox",
    "notification": "a message",
    "information_rights_search": "the people search results",
    "retention_report": "the retention report",
    "unusual_access": "the unusual access report",
    "audit_trail": "the audit trail",
    "user": "an account",
    "membership": "a role in a register",
    "grant_request": "a request for access",
    "register": "the register's settings",
}

# Whole phrases, where a verb and a noun do not read right together.
PHRASES = {
    (Action.EXPORT, "subject_access_pack"): "Produced a subject access pack",
    (Action.VIEW, "subject_access_pack_review"): "Checked a subject access pack before sending",
    (Action.CREATE, "user"): "Created an account",
    (Action.CREATE, "membership"): "Gave a role in a register",
    (Action.DELETE, "membership"): "Removed a role in a register",
    (Action.CREATE, "grant_request"): "Asked for access",
    (Action.CHANGE, "grant_request"): "Decided a request for access",
    (Action.DELETE, "grant_request"): "Withdrew a request for access",
    # A new rating is how the rating changes: the history is never rewritten.
    (Action.CREATE, "riskrating"): "Changed the rating",
    (Action.CHANGE, "riskrating"): "Corrected a rating",
    (Action.CREATE, "circumstances"): "Recorded the person's circumstances",
    (Action.CHANGE, "circumstances"): "Changed the person's circumstances",
    (Action.CREATE, "episode"): "Added the person to the register",
    (Action.CHANGE, "episode"): "Changed the person's time on the register",
    (Action.CREATE, "consent"): "Recorded consent",
    (Action.CHANGE, "consent"): "Changed a consent",
    (Action.CREATE, "contactlog"): "Logged a contact or event",
    (Action.CREATE, "document"): "Uploaded a document",
    (Action.VIEW, "document"): "Downloaded a document",
    (Action.CREATE, "legalhold"): "Put the record under legal hold",
    (Action.CHANGE, "legalhold"): "Changed the legal hold",
    (Action.CREATE, "packredaction"): "Withheld a value from a subject access pack",
    (Action.DELETE, "packredaction"): "Released a withheld value",
    (Action.CREATE, "agendaitem"): "Put the person on a meeting's agenda",
    (Action.CHANGE, "agendaitem"): "Changed a meeting's notes about the person",
    (Action.CREATE, "referralevent"): "Recorded a step in a referral",
    (Action.CREATE, "notification"): "Queued a message",
    (Action.CHANGE, "notification"): "Tried to send a message",
    (Action.CREATE, "actionupdate"): "Updated an action",
    (Action.CREATE, "admission"): "Recorded an admission",
    (Action.CREATE, "diagnosis"): "Recorded a diagnosis",
    (Action.CREATE, "review"): "Recorded a review",
    (Action.CREATE, "referral"): "Recorded a referral",
    (Action.CREATE, "subjectaccessrequest"): "Recorded a subject access request",
    (Action.CREATE, "rectificationrequest"): "Recorded a rectification request",
    (Action.CREATE, "escalation"): "Escalated to the oversight panel",
}

# The person's own record (the kind with no path to a person: Person itself), whatever was done to it.
OWN_RECORD = {
    Action.VIEW: "Viewed the person's record",
    Action.CREATE: "Created the person's record",
    Action.CHANGE: "Changed the person's details",
    Action.DELETE: "Deleted the person's record",
    Action.FILE: "Filed the record",
    Action.ERASE: "Erased the record",
    Action.EXPORT: "Downloaded the person's record",
}

# What a read or a list of something not named above is: a form page about the record names the page
# ("add", "change_rating"), and it is still the person's record that was seen.
UNNAMED = {
    Action.VIEW: "Viewed the person's record",
    Action.LIST: "Viewed a list of people",
    Action.EXPORT: "Downloaded records",
    Action.CREATE: "Added a record",
    Action.CHANGE: "Changed a record",
    Action.DELETE: "Deleted a record",
    Action.FILE: "Filed a record",
    Action.ERASE: "Erased a record",
}


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _kind_noun(record_type: str) -> str:
    """What one record of the kind is called ("rating"), or "" when it is not a known kind of record."""
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
    """What happened, in plain words: "Changed the rating", "Viewed the person's record"."""
    action, record_type = event.action, event.record_type
    if (action, record_type) in PHRASES:
        return PHRASES[(action, record_type)]
    own = next((kind.model._meta.model_name for kind in records.kinds() if not kind.person_path), "")
    if record_type in (own, "person") and action in OWN_RECORD:
        return OWN_RECORD[action]
    if record_type in WHAT:
        named = WHAT[record_type]
        verbs = {
            Action.VIEW: "Viewed",
            Action.LIST: "Viewed",
            Action.EXPORT: "Downloaded",
            Action.CREATE: "Added",
            Action.CHANGE: "Changed",
            Action.DELETE: "Removed",
        }
        return f"{verbs.get(action, 'Changed')} {named}"
    noun = _kind_noun(record_type)
    if not noun:
        return UNNAMED.get(action, "Changed a record")
    return {
        Action.CREATE: f"Added {_a(noun)}",
        Action.CHANGE: f"Changed the {noun}",
        Action.DELETE: f"Removed {_a(noun)}",
        Action.VIEW: f"Viewed the {noun}",
        Action.LIST: "Viewed a list",
        Action.EXPORT: f"Downloaded the {noun}",
        Action.FILE: f"Filed the {noun}",
        Action.ERASE: f"Erased the {noun}",
    }.get(action, f"Changed the {noun}")
