"""A parent refers their child without signing in, one question page at a time; the coordinator takes it to
an accepted person."""

import datetime
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from dsr.dates import today, years_before
from dsr.notifications.models import Notification
from dsr.people.models import Person
from dsr.referrals.models import Referral
from dsr.registers.models import Role
from tests.browser.conftest import assert_styled, describe_violations, serious_accessibility_problems
from tests.browser.pages import ErrorSummary, RatingFields, ReferralForm, RegisterList, sign_in
from tests.factories import member

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_parent_refers_without_javascript_and_the_coordinator_accepts_them_onto_the_register(
    page_without_javascript, page, register
):
    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")

    public = page_without_javascript
    form = ReferralForm(public)
    form.open()
    expect(public.get_by_role("heading", level=1)).to_have_text(
        "Refer someone to the Dynamic Support Register"
    )
    form.start()
    form.about_them(
        "I am their parent or carer",
        "Alex",
        "Morgan",
        years_before(today(), 12) - datetime.timedelta(days=20),
    )
    form.expect_page("Their address")
    form.press_continue()
    form.contact("Sam Morgan", "sam.morgan@example.com")
    form.press_continue()
    form.diagnoses(autistic="Yes, diagnosed", learning_disability="No, or I do not know")
    form.press_continue()
    form.worries("They are having trouble staying safe")
    form.press_continue()
    form.happening("Excluded from school; meltdowns every day.")
    form.press_continue()
    form.agreed("Someone with parental responsibility", "Sam Morgan")
    form.press_continue()

    expect(public.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending the referral"
    )
    expect(public.locator("main")).to_contain_text("Excluded from school; meltdowns every day.")
    expect(public.locator("main")).not_to_contain_text("Your role")
    form.send()

    expect(public.get_by_role("heading", name="Referral sent")).to_be_visible()
    reference = public.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"DSR-[A-Z0-9]{6}", reference)

    sign_in(page, coordinator.username)
    page.get_by_role("link", name="Referrals", exact=True).click()
    assert_styled(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Morgan")
    expect(page.locator("#eligibility")).to_contain_text("Diagnosed with autism")

    page.get_by_role("link", name="Offer a consultation").click()
    page.get_by_label("Note (optional)").fill("Phoned Sam; consultation on Thursday")
    page.get_by_role("button", name="Record consultation offered").click()
    expect(page.locator("#history")).to_contain_text("Phoned Sam; consultation on Thursday")

    page.get_by_role("link", name="Accept onto the register").click()
    page.get_by_label("Reason for accepting").fill("Autistic, excluded from school, family at breaking point")
    rating = RatingFields(page, "Initial rating")
    rating.choose("Amber")
    rating.explain(
        "Placement breakdown; at risk of admission without support soon", "Significant life events"
    )
    page.get_by_role("button", name="Accept and add to the register").click()

    expect(page).to_have_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Morgan")
    expect(page.locator("#current-rating")).to_contain_text("Amber")
    page.get_by_role("link", name="Register", exact=True).click()
    RegisterList(page).expect_listed(["Morgan, Alex"])

    referral = Referral.objects.get(reference=reference)
    assert referral.person == Person.objects.get()
    assert sorted(Notification.objects.values_list("template", flat=True)) == [
        "referral_decision",
        "referral_received",
    ]
    # The referral no longer warns of a duplicate: the person it matches is the one it made.
    page.goto(f"/referrals/{referral.pk}/")
    expect(page.locator("#duplicates")).not_to_contain_text("This may be someone already known")


def checked(page: Page) -> str:
    """Problems on the page as shown: serious accessibility problems, or wider than the screen."""
    assert_styled(page)
    found = []
    if problems := serious_accessibility_problems(page):
        found.append(describe_violations(page.url, problems))
    extra = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if extra > 0:
        found.append(f"{page.url} is {extra} px wider than the screen")
    return "\n".join(found)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_helper_refers_on_a_phone_one_page_at_a_time_going_back_and_changing_answers(
    browser: Browser, live_server, register, other_register, javascript
):
    register.team_name = "Kent and Medway DSR team"
    register.team_phone = "01622 000 001"
    register.team_email = "dsr@example.nhs.uk"
    register.save()
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    form = ReferralForm(page)
    found = []

    def check(page: Page) -> None:
        """With JavaScript on, axe and the page's width are checked (they run in the page); without it,
        the same pages must work."""
        if javascript:
            found.append(checked(page))

    form.open()
    form.start()

    # Continue without an answer: the page says what is wrong, linked to the question.
    form.press_continue()
    ErrorSummary(page).expect_shown("Choose the area")
    check(page)
    page.get_by_label(register.name).check()
    form.press_continue()

    form.who("I am helping them (for example a friend, relative or advocate)")
    form.press_continue()
    ErrorSummary(page).expect_shown("Say who you are and how you know them")
    check(page)
    page.get_by_label("If you are helping them, who are you?").fill("Their aunt")
    form.press_continue()

    born = years_before(today(), 10)
    form.person("Kai", "", born)
    form.press_continue()
    ErrorSummary(page).expect_shown("Enter their last name")
    check(page)
    page.get_by_label("Last name").fill("Lee")
    form.press_continue()

    # Back to the page before, and forward again: nothing is lost.
    page.get_by_role("link", name="Back").click()
    form.expect_page("About the person who needs support")
    expect(page.get_by_label("Last name")).to_have_value("Lee")
    form.press_continue()

    for expected in ("Their address", "How to contact them or their family"):
        form.expect_page(expected)
        check(page)
        form.press_continue()
    form.diagnoses(autistic="On an NHS assessment waiting list", learning_disability="No, or I do not know")
    check(page)
    form.press_continue()
    form.worries("There is a risk of harm to themselves or others")
    check(page)
    form.press_continue()
    form.happening("Not sleeping; the school placement is at risk.")
    form.press_continue()
    form.agreed("Someone with parental responsibility", "Mo Lee")
    check(page)
    form.press_continue()

    form.expect_page("Check your answers before sending the referral")
    expect(page.locator("main")).to_contain_text("Their aunt")
    check(page)
    form.change("Last name")
    form.expect_page("About the person who needs support")
    page.get_by_label("Last name").fill("Leigh")
    form.press_continue()
    form.expect_page("Check your answers before sending the referral")
    expect(page.locator("main")).to_contain_text("Leigh")
    form.send()

    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()
    expect(page.locator("#what-next")).to_be_visible()
    expect(page.locator("#contact")).to_contain_text("01622 000 001")
    expect(page.locator("#contact")).to_contain_text("dsr@example.nhs.uk")
    check(page)
    context.close()

    problems = "\n\n".join(p for p in found if p)
    assert not problems, problems
    referral = Referral.objects.get()
    assert (referral.family_name, referral.helper_relationship) == ("Leigh", "Their aunt")
