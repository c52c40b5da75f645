"""A person with something of every kind recorded about them, and requests as the pages post them."""

import datetime
import re
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile

from dsr.dates import today
from dsr.governance import services as governance_services
from dsr.people import services
from dsr.people.values import (
    AdmissionDetails,
    CareTeamMember,
    CircumstancesUpdate,
    ConsentGiven,
    DiagnosisDetails,
    LoggedContact,
)
from dsr.registers.models import Organisation
from dsr.rights import services as rights_services
from dsr.rights.services import Requester

# A real (tiny) PDF, as a shared document's file.
REPORT = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def text_of(html: str) -> str:
    """What a page says, without its markup, in single spaces."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# A parent asking for a child judged not competent to ask for themselves (dsr.rights.requesters).
NOT_COMPETENT = {
    "competence": "not_competent",
    "competence_judged_by": "Grace Adeyemi, IG officer",
    "competence_reason": "Too young to understand what asking means",
}


def a_parent(**extra) -> Requester:
    """A request from a parent for a child who is not competent to ask, received today."""
    return Requester(
        **{
            "requester_name": "Morgan Rivers",
            "requester_relationship": "parent",
            "received_on": today(),
            **NOT_COMPETENT,
            **extra,
        }
    )


def populate(person, by, *, admit: bool = True) -> dict:
    """Something of every kind a coordinator records about a person, with values a test can look for.
    (One admission at a time: `admit=False` when populating again.)"""
    ago = today() - datetime.timedelta(days=40)
    services.update_circumstances(
        person=person,
        circumstances=CircumstancesUpdate(
            key_safety_information="Frightened of dogs",
            why_enhanced_support="Exclusion from school",
            health="Sleeping badly",
            education="Part-time timetable",
            social="Lives with mum and sister",
        ),
        by=by,
    )
    services.add_diagnosis(
        person=person,
        diagnosis=DiagnosisDetails(
            condition="autism", status="confirmed", diagnosed_on=ago, notes="Diagnosed by CAMHS"
        ),
        by=by,
    )
    services.add_involvement(
        person=person,
        member=CareTeamMember(
            name="Sam Okafor",
            role="Keyworker",
            organisation=Organisation.objects.get_or_create(
                name="Kent Community Health", defaults={"kind": Organisation.Kind.NHS_TRUST}
            )[0],
            contact="sam.okafor@example.nhs.uk",
            is_keyworker=True,
            started_on=ago,
        ),
        by=by,
    )
    services.record_consent(
        person=person,
        consent=ConsentGiven(
            given_by="parent", given_by_name="Morgan Rivers", given_on=ago, method="written"
        ),
        by=by,
    )
    if admit:
        services.record_admission(
            person=person,
            admission=AdmissionDetails(
                hospital="Littlebrook Hospital", admitted_on=ago, legal_status="section_2"
            ),
            by=by,
        )
    services.log_contact(
        person=person,
        contact=LoggedContact(kind="visit", occurred_on=ago, summary="Home visit with the family"),
        by=by,
    )
    document = governance_services.upload_document(
        person=person,
        kind="ehcp",
        title="Education, health and care plan",
        file=SimpleUploadedFile("plan.pdf", REPORT, content_type="application/pdf"),
        by=by,
    )
    rectification = rights_services.record_rectification_request(
        person=person, requester=a_parent(), what_is_wrong="The school named is the old one", by=by
    )
    return {"document": document, "rectification": rectification}
