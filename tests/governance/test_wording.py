"""Audit events in plain words: what the pack's access log, the IG person page and the audit trail say
happened, never the model or page names the code uses."""

import pytest

from dsr.audit.models import AuditEvent
from dsr.audit.wording import describe


@pytest.mark.parametrize(
    ("action", "record_type", "words"),
    [
        # The person's own record.
        ("create", "person", "Created the person's record"),
        ("change", "person", "Changed the person's details"),
        ("view", "person_record", "Viewed the person's record"),
        ("file", "person", "Filed the record"),
        ("erase", "person", "Erased the record"),
        # A form page about the record names the page: it is still the record that was seen.
        ("view", "change_rating", "Viewed the person's record"),
        ("view", "add", "Viewed the person's record"),
        # Kinds of record, by the registry's names for them.
        ("create", "riskrating", "Changed the rating"),
        ("create", "involvement", "Added a care team member"),
        ("change", "involvement", "Changed the care team member"),
        ("delete", "involvement", "Removed a care team member"),
        ("create", "action", "Added an action"),
        ("change", "circumstances", "Changed the person's circumstances"),
        ("create", "subjectaccessrequest", "Recorded a subject access request"),
        ("view", "subject_access_request", "Viewed the subject access request"),
        ("delete", "document", "Removed a document"),
        ("create", "packredaction", "Withheld a value from a subject access pack"),
        # Lists, pages and exports.
        ("list", "register_list", "Viewed the register list"),
        ("list", "information_rights_search", "Viewed the people search results"),
        ("list", "a_list_not_named_yet", "Viewed a list of people"),
        ("view", "information_rights_record", "Viewed the information requests page"),
        ("export", "subject_access_pack", "Produced a subject access pack"),
        ("view", "subject_access_pack_review", "Checked a subject access pack before sending"),
        ("export", "audit_trail", "Downloaded the audit trail"),
        # Who may do what.
        ("create", "membership", "Gave a role in a register"),
        ("change", "user", "Changed an account"),
        ("create", "grant_request", "Asked for access"),
    ],
)
def test_an_event_is_described_in_plain_words(action, record_type, words):
    assert describe(AuditEvent(action=action, record_type=record_type)) == words


def test_no_event_is_described_by_the_names_the_code_uses():
    """Whatever was done to whichever kind of record, the words are English, not a model's or page's name."""
    from dsr.audit import records

    # The model names that are not plain words themselves ("riskrating", "contactlog", "packredaction").
    names = [
        kind.model._meta.model_name
        for kind in records.kinds()
        if kind.model._meta.model_name != kind.singular.replace(" ", "")
    ] + ["add", "change_rating", "person_record"]
    for action in AuditEvent.Action.values:
        for record_type in names:
            words = describe(AuditEvent(action=action, record_type=record_type))
            assert "_" not in words and record_type not in words.lower().split(), (action, record_type, words)
            assert words[:1].isupper()
