"""Pages have no serious or critical accessibility problems that axe-core can find, and are styled."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from dsr.dates import today
from dsr.people import services
from dsr.ratings.models import RiskFactor
from dsr.ratings.services import record_rating
from dsr.registers.models import Role
from tests.browser.conftest import (
    assert_styled,
    describe_violations,
    duplicate_ids_and_stray_labels,
    serious_accessibility_problems,
    sign_in,
)
from tests.factories import make_person, member

pytestmark = pytest.mark.browser


def problems_on(page: Page) -> str:
    """Readable serious or critical problems on the page as shown, or "" if none."""
    assert_styled(page)
    found = []
    if problems := serious_accessibility_problems(page):
        found.append(describe_violations(page.url, problems))
    if problems := duplicate_ids_and_stray_labels(page):
        found.append("\n".join([f"Broken ids or labels on {page.url}:", *(f"- {p}" for p in problems)]))
    return "\n".join(found)


def test_pages_a_coordinator_uses_have_no_serious_accessibility_problems(page, register):
    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    keyworker = member(register, Role.KEYWORKER, first_name="Sam", last_name="Okafor")
    person = make_person(register=register, by=coordinator, given_name="Jamie", family_name="Rivers")
    make_person(register=register, by=coordinator, rating="green", given_name="Ola", family_name="Banks")
    record_rating(
        person=person,
        rating="red",
        rationale="Two A&E attendances this week",
        factors=RiskFactor.objects.filter(register__isnull=True)[:3],
        next_review_due=today() + datetime.timedelta(days=7),
        by=coordinator,
    )
    services.add_involvement(
        person=person,
        values={
            "name": "Sam Okafor",
            "role": "Keyworker",
            "user": keyworker,
            "is_keyworker": True,
            "started_on": today(),
        },
        by=coordinator,
    )
    sign_in(page, coordinator.username)
    found = []
    for url, heading in [
        ("/people/", "People on the register"),
        (f"/people/{person.pk}/", "Jamie Rivers"),
        (f"/people/{person.pk}/rating/", "Change the rating"),
        ("/people/add/", "Add a person to"),
        ("/reports/", "Register figures"),
        (f"/governance/people/{person.pk}/documents/upload/", "Upload a document"),
    ]:
        assert page.goto(url).status == 200
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        found.append(problems_on(page))

    page.goto("/people/add/")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("Enter their first name").first).to_be_visible()
    found.append(problems_on(page))

    problems = "\n\n".join(p for p in found if p)
    assert not problems, problems


def test_sign_in_page_has_no_serious_accessibility_problems(page):
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", name="Sign in to the Dynamic Support Register")).to_be_visible()
    problems = problems_on(page)
    assert not problems, problems


def test_the_accessibility_checks_report_problems_when_there_are_some(page):
    page.goto("/sign-in/")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.append(Object.assign(document.createElement("img"), {src: "/x.png"}));
            main.prepend(Object.assign(document.createElement("div"), {id: "id_username"}));
        }"""
    )
    problems = serious_accessibility_problems(page)
    assert "image-alt" in {p["id"] for p in problems}, describe_violations(page.url, problems)
    assert duplicate_ids_and_stray_labels(page) == [
        'id "id_username" is used 2 times',
        'label "Username" is for "id_username", not a form control',
    ]
