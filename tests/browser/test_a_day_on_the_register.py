"""A day on the demo register, for each role, as a newcomer would click through it: on a desktop and on a
phone, with JavaScript and without. Every page on the way has no serious accessibility problem, and on a
phone none scrolls sideways.

The demo (`seed_demo`) is what `make run` serves: a finished meeting with minutes, an upcoming one with its
agenda, referrals in every state, an open subject access request, a child turning 18 soon.
"""

import re
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dsr.people.models import Person
from tests.browser.conftest import describe_violations, serious_accessibility_problems
from tests.browser.pages import ErrorSummary, sign_in
from tests.browser.test_phone_width import OVERFLOW

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WAYS = {
    "desktop": (DESKTOP, True),
    "desktop-without-javascript": (DESKTOP, False),
    "phone": (PHONE, True),
    "phone-without-javascript": (PHONE, False),
}


class Visit:
    """A browser tab at one width, with or without JavaScript, that checks each page it is shown.

    axe and the width check are scripts, which a tab without JavaScript cannot run: there, the page the
    tab is on is opened again, with the same cookies, in a tab that runs scripts, and checked in that one.
    """

    def __init__(self, browser: Browser, context: BrowserContext, viewport: dict, javascript: bool) -> None:
        self.browser = browser
        self.page = context.new_page()
        self.viewport = viewport
        self.javascript = javascript

    def check(self, heading: str | re.Pattern) -> None:
        """The page has this main heading, no serious accessibility problem and, on a phone, fits."""
        expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)
        if self.javascript:
            self._check_scripted(self.page)
            return
        checking = self.browser.new_context(
            base_url=self.page.url, viewport=self.viewport, storage_state=self.page.context.storage_state()
        )
        try:
            page = checking.new_page()
            page.goto(self.page.url)
            self._check_scripted(page)
        finally:
            checking.close()

    def _check_scripted(self, page: Page) -> None:
        problems = serious_accessibility_problems(page)
        assert not problems, describe_violations(page.url, problems)
        if self.viewport == PHONE:
            assert page.evaluate(OVERFLOW) is None, f"{page.url} scrolls sideways on a phone"

    def text(self) -> str:
        return self.page.locator("main").inner_text()


@pytest.fixture(params=list(WAYS))
def visit(request, browser: Browser, live_server) -> Iterator[Visit]:
    viewport, javascript = WAYS[request.param]
    call_command("seed_demo")
    context = browser.new_context(base_url=live_server.url, viewport=viewport, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    yield Visit(browser, context, viewport, javascript)
    context.close()


def test_a_coordinators_day_starts_with_what_is_most_overdue(visit: Visit):
    page = visit.page
    sign_in(page, "coordinator")
    expect(page).to_have_url(re.compile(r"/today/$"))
    visit.check("Today’s work")
    # Priya coordinates the children's and the adults' registers: today's work in both.
    page.get_by_label("Register you are working in").select_option(label="All my registers")
    page.get_by_role("button", name="Change register").click()
    visit.check("Today’s work")
    due = page.locator("#due tbody tr")
    expect(due.first).to_contain_text("Overdue by")
    expect(page.locator("#next-meetings li").first).to_be_visible()
    expect(page.locator("#turning-adult li").first).to_contain_text("18 on")

    # The most overdue thing first, then the upcoming meeting's agenda.
    due.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Today’s work")
    visit.check(re.compile(r"\S"))
    page.goto("/today/")
    page.locator("#next-meetings a").first.click()
    visit.check(re.compile(r"meeting", re.IGNORECASE))

    # The register list, most overdue first; the page prints and downloads what it shows.
    page.goto("/people/?sort=overdue")
    visit.check("People on the register")
    expect(page.get_by_role("link", name=re.compile("CSV"))).to_be_visible()


def test_a_keyworkers_day_shows_only_the_people_allocated_to_them(visit: Visit):
    page = visit.page
    sign_in(page, "keyworker")
    expect(page).to_have_url(re.compile(r"/today/$"))
    visit.check("Today’s work")
    allocated = Person.objects.filter(
        involvements__user__username="keyworker", involvements__ended_on__isnull=True
    ).distinct()
    others = Person.objects.exclude(pk__in=allocated.values("pk"))
    assert allocated.exists() and others.exists()
    # Each other person as the pages write a name: "Given Family", or "Family, Given" in a list.
    written = [
        form
        for given, family in others.values_list("given_name", "family_name")
        for form in (f"{given} {family}", f"{family}, {given}")
    ]
    for address in ("/today/", "/people/", "/caseload/"):
        page.goto(address)
        shown = visit.text()
        assert [name for name in written if name in shown] == [], address
    page.goto("/people/")
    visit.check("People on the register")
    page.locator("#people tbody a").first.click()
    visit.check(re.compile(r"\S"))


def test_a_referrer_follows_their_referrals_without_seeing_the_teams_notes(visit: Visit):
    page = visit.page
    sign_in(page, "referrer")
    expect(page).to_have_url(re.compile(r"/today/$"))
    visit.check("Today’s work")
    page.locator("#my-referrals tbody a").first.click()
    visit.check(re.compile(r"\S"))
    expect(page.locator("main")).not_to_contain_text("Consultation summary")


def test_an_ig_officers_day_reads_the_audit_trail_in_plain_words(visit: Visit):
    page = visit.page
    sign_in(page, "ig")
    expect(page).to_have_url(re.compile(r"/governance/audit/"))
    visit.check("Audit trail")
    trail = visit.text()
    assert "Changed the rating" in trail
    assert "Priya Shah" in trail
    assert not re.search(r"riskrating|Viewed add\b", trail)

    page.goto("/governance/audit/?since[day]=31&since[month]=2&since[year]=2026")
    ErrorSummary(page).expect_shown()
    visit.check("Audit trail")

    page.goto("/governance/people/")
    visit.check("Find a person")
