"""The register list's filters work with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from dsr.registers.models import Role
from tests.browser.conftest import is_htmx
from tests.browser.pages import RegisterList, sign_in
from tests.factories import make_person, member

pytestmark = pytest.mark.browser


@pytest.fixture
def mixed_register(register):
    """A coordinator and people of every rating but blue; returns the coordinator."""
    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    for rating, given, family in [
        ("red", "Asha", "Reid"),
        ("amber", "Ben", "Amos"),
        ("green", "Cara", "Green"),
        ("red", "Dev", "Roy"),
        ("amber", "Eli", "Ash"),
    ]:
        make_person(register=register, by=coordinator, rating=rating, given_name=given, family_name=family)
    return coordinator


ALL_BY_NAME = ["Amos, Ben", "Ash, Eli", "Green, Cara", "Reid, Asha", "Roy, Dev"]


def test_filtering_to_red_works_without_javascript(page_without_javascript, mixed_register):
    page = page_without_javascript
    sign_in(page, mixed_register.username)
    register_list = RegisterList(page)
    register_list.open()
    register_list.expect_listed(ALL_BY_NAME)

    register_list.tick_rating("Red")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"[?&]rating=red(&|$)"))
    register_list.expect_listed(["Reid, Asha", "Roy, Dev"])
    expect(register_list.result_count).to_have_text("2 people match these filters")


def test_ticking_a_rating_updates_the_list_in_place_with_javascript(page, mixed_register):
    sign_in(page, mixed_register.username)
    register_list = RegisterList(page)
    register_list.open()
    register_list.expect_listed(ALL_BY_NAME)
    page.evaluate("window.loadedOnce = true")

    with page.expect_response(is_htmx) as htmx_response:
        register_list.tick_rating("Amber")

    assert htmx_response.value.ok
    expect(page).to_have_url(re.compile(r"[?&]rating=amber(&|$)"))
    register_list.expect_listed(["Amos, Ben", "Ash, Eli"])
    expect(register_list.result_count).to_have_text("2 people match these filters")
    assert page.evaluate("window.loadedOnce === true"), "the page was reloaded, not updated in place"

    with page.expect_response(is_htmx):
        register_list.tick_rating("Green")
    expect(page).to_have_url(re.compile(r"rating=amber&rating=green"))
    register_list.expect_listed(["Amos, Ben", "Ash, Eli", "Green, Cara"])
    assert page.evaluate("window.loadedOnce === true"), "the page was reloaded, not updated in place"
