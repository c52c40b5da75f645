"""The register list as filtered, a person's record and today's work print cleanly: the content, without the
navigation, forms and buttons, and without every link's address."""

import pytest
from playwright.sync_api import Page, expect

from dsr.registers.models import Role
from tests.browser.pages import sign_in
from tests.factories import make_person, member

pytestmark = pytest.mark.browser


def expect_printed_without_page_furniture(page: Page) -> None:
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".nhsuk-header__navigation")).to_be_hidden()
    expect(page.locator(".nhsuk-footer-container")).to_be_hidden()
    for form in page.locator("main form").all():
        expect(form).to_be_hidden()
    for button in page.locator("main .nhsuk-button").all():
        expect(button).to_be_hidden()
    # No "(Link: /people/…)" after every link on paper.
    afters = page.locator("main a[href^='/']").evaluate_all(
        "links => links.map(a => getComputedStyle(a, '::after').content)"
    )
    assert set(afters) <= {"none", "normal", ""}


def test_the_register_list_a_record_and_today_print_cleanly(page, register):
    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    red = make_person(register=register, by=coordinator, rating="red", given_name="Asha", family_name="Reid")
    make_person(register=register, by=coordinator, rating="green", given_name="Cara", family_name="Green")
    sign_in(page, coordinator.username)

    page.goto("/people/?rating=red")
    expect_printed_without_page_furniture(page)
    assert page.locator("main a[href^='/']").count()  # the links whose addresses are not printed
    expect(page.locator("#people")).to_contain_text("Reid, Asha")
    expect(page.locator("#people")).not_to_contain_text("Green, Cara")
    expect(page.locator("#filters")).to_be_hidden()
    expect(page.locator("#export")).to_be_hidden()
    # The results take the page's width once the filters are hidden.
    width = page.locator("#results").evaluate("e => e.getBoundingClientRect().width")
    assert width > page.locator("main").evaluate("e => e.getBoundingClientRect().width") * 0.9

    page.emulate_media(media="screen")
    page.goto(f"/people/{red.pk}/")
    expect_printed_without_page_furniture(page)
    expect(page.locator("#summary")).to_be_visible()
    expect(page.locator("#key-safety-information")).to_be_visible()

    page.emulate_media(media="screen")
    page.goto("/today/")
    expect_printed_without_page_furniture(page)
    expect(page.locator("#turning-adult, #due, #nothing-due").first).to_be_visible()
