"""An IG officer looks at unusual access in a browser without JavaScript: chooses the dates, reads the
findings and follows one to the audit trail; the page has no serious accessibility problems."""

import datetime

import pytest
from playwright.sync_api import expect

from dsr.dates import today
from dsr.registers.models import Role
from tests.browser.conftest import assert_no_serious_accessibility_problems, assert_styled
from tests.browser.pages import DateInput, ErrorSummary, sign_in
from tests.factories import make_person, member
from tests.governance.test_unusual_access import at, opened

pytestmark = pytest.mark.browser


@pytest.fixture
def late_night(register):
    """Three days ago a keyworker opened, at night, the record of someone not on their caseload; the IG
    officer of the register."""
    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    keyworker = member(register, Role.KEYWORKER, username="sam", first_name="Sam", last_name="Okafor")
    person = make_person(register=register, by=coordinator, given_name="Jamie", family_name="Rivers")
    opened(keyworker, person, at(today() - datetime.timedelta(days=3), 22, 30))
    return member(register, Role.IG, first_name="Grace", last_name="Adeyemi")


def test_an_ig_officer_chooses_the_dates_and_follows_a_finding_to_the_audit_trail(
    page_without_javascript, late_night
):
    page = page_without_javascript
    sign_in(page, late_night.username)
    page.get_by_role("link", name="Unusual access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unusual access")
    expect(page.locator("#found-count")).to_contain_text("0 findings on")

    for legend, day in (("From", today() - datetime.timedelta(days=3)), ("To", today())):
        DateInput(page, legend).fill(day)
    page.get_by_role("button", name="Show these dates").click()

    expect(page.locator("#found-count")).to_contain_text("2 findings from")
    expect(page.get_by_text("Jamie")).to_have_count(0)
    page.get_by_role("link", name="See the events of sam").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.get_by_text("1 event.")).to_be_visible()


def test_the_page_has_no_serious_accessibility_problems(page, late_night):
    sign_in(page, late_night.username)
    since = today() - datetime.timedelta(days=3)
    page.goto(
        f"/governance/unusual-access/?since-day={since.day}&since-month={since.month}&since-year={since.year}"
        "&until-day=1&until-month=13&until-year=2026"  # not a date: the error summary shows too
    )
    ErrorSummary(page).expect_shown()
    assert_styled(page)
    assert_no_serious_accessibility_problems(page)
