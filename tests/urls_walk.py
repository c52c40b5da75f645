"""What the access tests walk through: every page with the ids it needs, and the person-data models.

Shared by tests/registers/: test_access_table, test_scoping_is_enforced and test_admin_has_no_person_data.
"""

import datetime
from collections.abc import Iterator

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from dsr.access import scope_of
from dsr.actions import services as action_services
from dsr.audit import records
from dsr.dates import today
from dsr.governance import services as governance_services
from dsr.meetings import services as meeting_services
from dsr.notifications import services as notification_services
from dsr.people import services
from dsr.people.values import AdmissionDetails, CareTeamMember, ConsentGiven
from dsr.registers.models import Role
from dsr.reviews import services as review_services
from dsr.reviews.services import ReviewDetails
from dsr.rights import services as rights_services
from tests.factories import GrantRequestFactory
from tests.referrals.data import make_referral


def discover(patterns=None, namespace: str = "", kwargs: tuple[str, ...] = ()) -> Iterator[tuple[str, tuple]]:
    """Every URL name in the project with the keyword arguments it needs, including namespaced includes."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        needed = kwargs + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            if inner == "admin":
                # Django's own admin: covered as a group by the row for /admin/ (admin:index). Its
                # models are checked in test_admin_has_no_person_data.py.
                yield "admin:index", ()
                continue
            yield from discover(entry.url_patterns, inner or namespace, needed)
        elif isinstance(entry, URLPattern):
            label = entry.name or f"<unnamed URL {entry.pattern}>"
            yield (f"{namespace}:{label}" if namespace else label), needed


URLS = dict(discover())
PERSON_URLS = sorted(name for name, needed in URLS.items() if "person_id" in needed)


def give_record_ids(person, by, keyworker=None, referrer=None) -> dict:
    """An involvement, a consent, a current admission, a planned inpatient review, an action owned by the
    keyworker and one owned by `by`, a document, a legal hold in force, and a subject access and a
    rectification request for the person, a message about them in the outbox, and a referral to their
    register (made by `referrer`, if given), through the services; a request for access to their register;
    the keyworker's user id (or `by`'s, without a keyworker); and a page of the referral form.
    (The document's file goes to settings.DOCUMENTS_ROOT: a temporary directory in the tests.)"""
    involvement = services.add_involvement(
        person=person,
        member=CareTeamMember(
            name="Sam Keyworker",
            role="Keyworker",
            user=keyworker,
            is_keyworker=True,
            started_on=today() - datetime.timedelta(days=30),
        ),
        by=by,
    )
    consent = services.record_consent(
        person=person,
        consent=ConsentGiven(
            given_by="parent",
            given_by_name="A Parent",
            given_on=today() - datetime.timedelta(days=20),
            method="written",
        ),
        by=by,
    )
    admission = services.record_admission(
        person=person,
        admission=AdmissionDetails(
            hospital="Littlebrook Hospital",
            admitted_on=today() - datetime.timedelta(days=3),
            legal_status="informal",
        ),
        by=by,
    )
    document = governance_services.upload_document(
        person=person,
        kind="ehcp",
        title="Education, health and care plan",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf"),
        by=by,
    )
    legal_hold = governance_services.set_legal_hold(
        person=person,
        reason="A claim about their care is being defended",
        reference="CL-2026-0147",
        review_on=today() + datetime.timedelta(days=90),
        by=by,
    )
    requester = rights_services.Requester(
        requester_name="A Parent",
        requester_relationship="parent",
        received_on=today(),
        # A child too young to ask for themselves (dsr.rights.requesters).
        competence="not_competent",
        competence_judged_by="An IG officer",
        competence_reason="Too young to understand what asking means",
    )
    subject_access = rights_services.record_subject_access_request(person=person, requester=requester, by=by)
    rectification = rights_services.record_rectification_request(
        person=person, requester=requester, what_is_wrong="The address is out of date", by=by
    )
    notification = notification_services.notify(
        template="referral_received",
        to_email="a.parent@example.org",
        personalisation={"name": "A Parent", "person_name": person.full_name, "reference": "DSR-TEST"},
        register=person.register,
        person=person,
        by=by,
    )
    review = review_services.record_review(
        person=person,
        details=ReviewDetails(
            kind="cetr", setting="inpatient", admission=admission, review_on=today(), status="planned"
        ),
        by=by,
    )
    action = action_services.add_action(
        person=person,
        description="Arrange a speech and language assessment",
        owner_name="Sam Keyworker",
        owner=keyworker,
        due_on=today() + datetime.timedelta(days=14),
        review=review,
        by=by,
    )
    action_services.add_action(
        person=person,
        description="Send the review papers",
        owner_name="The coordinator",
        owner=by,
        due_on=today(),
        by=by,
    )
    meeting = meeting_services.create_meeting(
        scope=scope_of(by, person.register),
        register=person.register,
        kind="register",
        held_on=today(),
        starts_at=datetime.time.min,  # started: its running pages open
        by=by,
    )
    item = meeting.items.filter(person=person).first() or meeting_services.add_item(
        meeting=meeting, person=person, by=by
    )
    escalation = meeting_services.escalate(person=person, reason="Placement breaking down", by=by)
    grant = GrantRequestFactory(user=by, register=person.register, role=Role.IG)
    return {
        "meeting_id": meeting.pk,
        "item_id": item.pk,
        "escalation_id": escalation.pk,
        "person_id": person.pk,
        "review_id": review.pk,
        "action_id": action.pk,
        "involvement_id": involvement.pk,
        "consent_id": consent.pk,
        "admission_id": admission.pk,
        "document_id": document.pk,
        "legal_hold_id": legal_hold.pk,
        "notification_id": notification.pk,
        "subject_access_id": subject_access.pk,
        "rectification_id": rectification.pk,
        "referral_id": make_referral(
            person.register, by=referrer, given_name="Referred", family_name="Child"
        ).pk,
        "step": "person",
        "user_id": (keyworker or by).pk,
        "grant_id": grant.pk,
        # `by`'s authenticator app: the pages that rename or remove a security key find no key by its id.
        # (Adding, renaming and removing real keys: tests/browser/test_security_keys.py.)
        "pk": TOTP.activate(by, generate_totp_secret()).instance.pk,
    }


def person_data_models() -> set[type]:
    """Every kind of person record, from the registry each app adds its kinds to (dsr.audit.records):
    a new kind is covered by the checks that use this as soon as it is registered for the subject access
    pack and erasure."""
    return {kind.model for kind in records.kinds()}
