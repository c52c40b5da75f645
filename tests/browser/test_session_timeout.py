"""A signed-in user who does nothing is warned two minutes before they are signed out, and may stay.

The page's timers run on Playwright's clock; the server's notion of how long the user has been idle
is moved by rewriting the session's last activity, as if the minutes had passed.
"""

import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Locator, Page, expect

from dsr.registers.idle import LAST_ACTIVE
from dsr.registers.models import Role
from tests.browser.conftest import assert_no_serious_accessibility_problems
from tests.browser.pages import SignInPage, sign_in
from tests.factories import member
from tests.second_factor import authenticator_app

pytestmark = pytest.mark.browser

# The page asks the server how long is left two minutes before the idle time runs out.
UNTIL_THE_WARNING = "28:30"


def idle_for(page: Page, *, minutes: float) -> None:
    """The server believes the browser's user last did something this many minutes ago."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = SessionStore(session_key=key)
    session[LAST_ACTIVE] = time.time() - minutes * 60
    session.save()


def start_watching(page: Page) -> None:
    """The page's script has loaded and started counting (a module script runs after the page loads)."""
    expect(page.locator("dialog#session-timeout[data-watching]")).to_have_count(1)


def warning(page: Page) -> Locator:
    return page.get_by_role("dialog", name="You're about to be signed out")


def idle_until_warned(page: Page) -> None:
    """The user does nothing until the page warns them, with two minutes left."""
    idle_for(page, minutes=29)
    start_watching(page)
    page.clock.fast_forward(UNTIL_THE_WARNING)
    expect(warning(page)).to_be_visible(timeout=20_000)  # after the page has asked the server


def seconds_left(page: Page) -> int:
    return page.request.get("/session/").json()["secondsLeft"]


@pytest.fixture
def coordinator(register):
    return member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")


def test_idle_user_is_warned_with_a_countdown_and_can_stay_signed_in(page, coordinator):
    page.clock.install()
    sign_in(page, coordinator.username)
    dialog = warning(page)
    expect(dialog).to_be_hidden()

    idle_until_warned(page)
    expect(dialog.get_by_role("heading", name="You're about to be signed out")).to_be_visible()
    countdown = dialog.locator("[data-countdown]")
    expect(countdown).to_have_text(re.compile(r"^(1 minute|5\d seconds)$"))
    page.clock.run_for("00:10")
    expect(countdown).to_have_text(re.compile(r"^(4\d|50) seconds$"))
    assert_no_serious_accessibility_problems(page)

    dialog.get_by_role("button", name="Stay signed in").click()

    expect(dialog).to_be_hidden()
    assert seconds_left(page) >= 30 * 60 - 5
    # Still on the page they were on.
    expect(page.get_by_role("heading", level=1)).to_have_text("Today’s work")


def test_idle_user_who_does_not_answer_the_warning_is_signed_out_and_told_why(page, coordinator):
    page.clock.install()
    sign_in(page, coordinator.username)
    page.goto("/people/?sort=name")
    idle_until_warned(page)

    idle_for(page, minutes=30)  # the last minute passes on the server too
    page.clock.run_for("01:05")

    expect(page).to_have_url(
        re.compile(r"/sign-in/\?signed_out=idle&next=%2Fpeople%2F%3Fsort%3Dname$"), timeout=20_000
    )
    expect(page.get_by_role("heading", name="You were signed out")).to_be_visible()
    expect(page.get_by_text("you had not done anything for 30 minutes")).to_be_visible()
    assert page.request.get("/session/", max_redirects=0).status == 302

    signing_in = SignInPage(page)
    signing_in.enter_password(coordinator.username)
    app = authenticator_app(coordinator)
    signing_in.enter_code(app.at(time.time() + app.interval))  # this window's was used
    expect(page).to_have_url(re.compile(r"/people/\?sort=name$"))


def test_without_javascript_the_warning_is_never_shown(page_without_javascript, coordinator):
    page = page_without_javascript
    sign_in(page, coordinator.username)

    expect(page.locator("dialog#session-timeout")).to_have_count(1)
    expect(page.locator("dialog#session-timeout")).to_be_hidden()
    expect(page.get_by_text("You're about to be signed out")).to_be_hidden()
