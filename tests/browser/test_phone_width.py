"""No page scrolls sideways on a phone: every page of the access table, opened at 390 px wide (an
iPhone's width) by a role that may see it, fits the screen. Wide tables scroll inside their own box or
become a list, so the header, the headings and the buttons stay in view."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Error, Page

from dsr.registers.personas import DEMO_PASSWORD
from tests.browser.pages import SignInPage
from tests.registers.test_access_table import ACCESS, POST_ONLY, ROLES, build_world
from tests.second_factor import authenticator_app
from tests.urls_walk import URLS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Who opens each page: the first of these roles whose cell in the access table is 200 (the coordinator
# sees most pages; the others see their own).
VISITORS = ("anonymous", "coordinator", "keyworker", "referrer", "ig", "analyst", "admin")

# What a page is wider than the screen by, and the widest element that sticks out.
OVERFLOW = """() => {
    const root = document.documentElement;
    const extra = root.scrollWidth - root.clientWidth;
    if (extra <= 0) return null;
    let widest = null;
    const clipped = (el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== "visible") return true;
        }
        return false;
    };
    for (const el of document.body.querySelectorAll("*")) {
        const right = el.getBoundingClientRect().right;
        if (clipped(el)) continue;
        if (right > root.clientWidth + 1 && (!widest || right > widest.right)) {
            widest = {right, html: el.outerHTML.slice(0, 160)};
        }
    }
    return {extra, widest};
}"""


def pages_by_visitor() -> dict[str, list[str]]:
    """Each page shown as HTML on a GET, under the first visitor who may see it."""
    chosen: dict[str, list[str]] = {role: [] for role in VISITORS}
    for name, row in ACCESS.items():
        if name in POST_ONLY or name.startswith("admin:"):
            continue
        for role in VISITORS:
            if row[ROLES.index(role)] == 200:
                chosen[role].append(name)
                break
    return chosen


def overflow_on(page: Page, url: str) -> str | None:
    try:
        response = page.goto(url)
    except Error as error:
        if "Download is starting" in error.message:
            return None  # a file to keep: a PDF, a spreadsheet, a CSV file
        raise
    assert response is not None and response.status == 200, url
    if not response.headers.get("content-type", "").startswith("text/html"):
        return None
    found = page.evaluate(OVERFLOW)
    if found is None:
        return None
    widest = found["widest"]["html"] if found["widest"] else "?"
    return f"{urlsplit(url).path} is {found['extra']} px too wide; sticks out: {widest}"


def test_no_page_scrolls_sideways_at_390_pixels(browser, live_server):
    world = build_world()
    for user in world.users.values():
        user.set_password(DEMO_PASSWORD)
        user.save()
    problems = []
    visited = 0
    for role, names in pages_by_visitor().items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        context.set_default_timeout(10_000)
        page = context.new_page()
        if role != "anonymous":
            # Through the real sign-in pages (the administrator lands on Django's admin, not a page
            # of ours, so no header is awaited).
            app = authenticator_app(world.users[role])
            signing_in = SignInPage(page)
            signing_in.open()
            signing_in.enter_password(world.users[role].username)
            signing_in.enter_code(app.now())
            page.wait_for_url(lambda url: "/sign-in/" not in url)
        for name in names:
            url = reverse(name, kwargs={keyword: world.records[keyword] for keyword in URLS[name]})
            if problem := overflow_on(page, url):
                problems.append(f"{role}: {problem}")
            visited += 1
        context.close()
    assert visited > 60, "every kind of page is visited"
    assert problems == [], "\n".join(problems)
