"""Audit events in plain words: what the pack's access log, the IG person page and the audit trail say
happened, never the model or page names the code uses."""

import pytest

from dsr.audit.models import AuditEvent
from dsr.audit.wording import describe


@pytest.mark.parametrize(
    ("action", "record_type", "words"),
    [
        # The person's own record.
        ("create", "person", "Record created"),
        ("change", "person", "Details changed"),
        ("view", "person_record", "Record viewed"),
        ("file", "person", "Record filed"),
        ("erase", "person", "Record erased"),
        # A form page about the record names the page: it is still the record that was seen.
        ("view", "change_rating", "Record viewed"),
        ("view", "add", "Record viewed"),
        # Kinds of record, by the registry's names for them.
        ("create", "riskrating", "Rating recorded"),
        ("create", "involvement", "Care team member recorded"),
        ("change", "circumstances", "Circumstances changed"),
        ("create", "subjectaccessrequest", "Subject access request recorded"),
        ("view", "subject_access_request", "Subject access request viewed"),
        ("delete", "document", "Document deleted"),
        ("create", "packredaction", "Withheld value recorded"),
        # Lists, pages and exports.
        ("list", "register_list", "Register list viewed"),
        ("list", "information_rights_search", "People search results viewed"),
        ("list", "a_list_not_named_yet", "List viewed"),
        ("view", "information_rights_record", "Information requests page viewed"),
        ("export", "subject_access_pack", "Subject access pack produced"),
        ("view", "subject_access_pack_review", "Subject access pack reviewed"),
        ("export", "audit_trail", "Audit trail downloaded"),
        # Who may do what.
        ("create", "membership", "Role given"),
        ("change", "user", "Account changed"),
        ("create", "grant_request", "Access requested"),
    ],
)
def test_an_event_is_described_in_plain_words(action, record_type, words):
    assert describe(AuditEvent(action=action, record_type=record_type)) == words
