"""The privacy notice, the accessibility statement and the cookies page pass axe, and a visitor reaches
them from the footer of the public referral form and of the sign-in page."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_none_found, problems_on_each
from tests.factories import RegisterFactory

pytestmark = pytest.mark.browser

PAGES = [
    ("/privacy/", "Privacy notice"),
    ("/accessibility/", "Accessibility statement"),
    ("/cookies/", "Cookies"),
]


def test_the_public_information_pages_have_no_serious_accessibility_problems(page):
    RegisterFactory(
        name="Kent and Medway", team_email="dsr@kent.example.nhs.uk", data_protection_officer="Alex Green"
    )
    assert_none_found(problems_on_each(page, PAGES))


@pytest.mark.parametrize("start", ["/refer/", "/sign-in/"])
def test_a_visitor_finds_the_privacy_notice_from_the_footer(page, start):
    RegisterFactory(name="Kent and Medway", data_protection_officer="Alex Green, dpo@kent.example.nhs.uk")
    page.goto(start)
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(page.get_by_text("Data protection officer: Alex Green, dpo@kent.example.nhs.uk.")).to_be_visible()
