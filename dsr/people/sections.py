"""A person's own record on their page: care team, circumstances, diagnosis, consent, admissions, contacts
and personal details (dsr.person_page)."""

from typing import Any

from django.db.models import Prefetch

from dsr import person_page
from dsr.people.models import Involvement


def care_team(page: person_page.Page) -> dict[str, Any]:
    involvements = list(page.person.involvements.all())
    return {
        "current_team": [i for i in involvements if i.is_current],
        "past_team": [i for i in involvements if not i.is_current],
    }


def admissions(page: person_page.Page) -> dict[str, Any]:
    return {"current_admission": page.person.current_admission()}


for section in (
    person_page.Section(
        key="care-team",
        shows=("people.involvement",),
        heading="Care team",
        template="people/_care_team_section.jinja",
        order=50,
        prefetch=(
            Prefetch("involvements", queryset=Involvement.objects.select_related("organisation", "user")),
        ),
        present=care_team,
    ),
    person_page.Section(
        key="circumstances",
        shows=("people.circumstances",),
        heading="Circumstances",
        template="people/_circumstances_section.jinja",
        order=60,
    ),
    person_page.Section(
        key="diagnosis",
        shows=("people.diagnosis",),
        heading="Diagnosis",
        template="people/_diagnosis_section.jinja",
        order=70,
        prefetch=("diagnoses",),
    ),
    person_page.Section(
        key="consent",
        shows=("people.consent",),
        heading="Consent",
        template="people/_consent_section.jinja",
        order=80,
        prefetch=("consents",),
    ),
    person_page.Section(
        key="admissions",
        shows=("people.admission",),
        heading="Hospital admissions",
        template="people/_admissions_section.jinja",
        order=90,
        prefetch=("admissions",),
        present=admissions,
    ),
    person_page.Section(
        key="contacts",
        shows=("people.contactlog",),
        heading="Contact log",
        template="people/_contacts_section.jinja",
        order=100,
        prefetch=("contacts__recorded_by",),
    ),
    person_page.Section(
        key="details",
        shows=("people.person", "people.episode"),
        heading="Personal details",
        template="people/_details_section.jinja",
        order=130,
        prefetch=("episodes",),
    ),
):
    person_page.register(section)
