"""A keyworker's register list shows only the people allocated to them, and they open no one else (need to
know)."""

import pytest
from playwright.sync_api import expect

from dsr.registers.models import Role
from tests.browser.pages import RegisterList, sign_in
from tests.factories import make_person, member
from tests.pages import allocate

pytestmark = pytest.mark.browser


def test_keyworker_gets_page_not_found_for_someone_they_are_not_allocated_to(page, register):
    coordinator = member(register, Role.COORDINATOR)
    keyworker = member(register, Role.KEYWORKER, first_name="Sam", last_name="Okafor")
    theirs = make_person(register=register, by=coordinator, given_name="Jamie", family_name="Allen")
    not_theirs = make_person(register=register, by=coordinator, given_name="Robin", family_name="Baker")
    allocate(theirs, keyworker, coordinator)

    sign_in(page, keyworker.username)
    register_list = RegisterList(page)
    register_list.open()
    register_list.expect_listed(["Allen, Jamie"])
    expect(page.locator("main")).not_to_contain_text("Baker")

    page.get_by_role("link", name="Allen, Jamie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jamie Allen")

    response = page.goto(f"/people/{not_theirs.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page).to_have_title("Page not found – Dynamic Support Register")
    expect(page.locator("main")).not_to_contain_text("Robin")
