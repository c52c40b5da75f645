"""A parent refers their child without signing in; the coordinator takes it to an accepted person."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from dsr.dates import today, years_before
from dsr.notifications.models import Notification
from dsr.people.models import Person
from dsr.referrals.models import Referral
from dsr.registers.models import Role
from tests.browser.conftest import assert_styled, expect_listed, sign_in
from tests.factories import member

pytestmark = pytest.mark.browser


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_parent_refers_without_javascript_and_the_coordinator_accepts_them_onto_the_register(
    page_without_javascript, page, register
):
    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")

    public = page_without_javascript
    public.goto("/refer/")
    expect(public.get_by_role("heading", level=1)).to_have_text(
        "Refer someone to the Dynamic Support Register"
    )
    public.get_by_role("link", name="Start the referral").click()
    public.get_by_label("I am their parent or carer").check()
    public.get_by_label("First name").fill("Alex")
    public.get_by_label("Last name").fill("Morgan")
    fill_date(public, "Date of birth", years_before(today(), 12) - datetime.timedelta(days=20))
    public.get_by_label("Name of the person we should contact").fill("Sam Morgan")
    public.get_by_label("Their email address").fill("sam.morgan@example.com")
    public.get_by_role("group", name="Have they been diagnosed as autistic?").get_by_label(
        "Yes, diagnosed"
    ).check()
    public.get_by_role("group", name="learning disability").get_by_label("No, or I do not know").check()
    public.get_by_label("They are having trouble staying safe").check()
    public.get_by_label("Tell us what is happening").fill("Excluded from school; meltdowns every day.")
    public.get_by_label("Someone with parental responsibility").check()
    public.get_by_label("Name of the person who agreed").fill("Sam Morgan")
    public.get_by_label("I confirm they agreed to this referral").check()
    public.get_by_role("button", name="Continue").click()

    expect(public.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending the referral"
    )
    expect(public.locator("main")).to_contain_text("Excluded from school; meltdowns every day.")
    public.get_by_role("button", name="Send referral").click()

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
    page.get_by_role("group", name="Initial rating").get_by_label("Amber", exact=True).check()
    page.get_by_label("Why this rating").fill(
        "Placement breakdown; at risk of admission without support soon"
    )
    page.get_by_label("Significant life events").check()
    page.get_by_role("button", name="Accept and add to the register").click()

    expect(page).to_have_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Morgan")
    expect(page.locator("#current-rating")).to_contain_text("Amber")
    page.get_by_role("link", name="Register", exact=True).click()
    expect_listed(page, ["Morgan, Alex"])

    referral = Referral.objects.get(reference=reference)
    assert referral.person == Person.objects.get()
    assert sorted(Notification.objects.values_list("template", flat=True)) == [
        "referral_decision",
        "referral_received",
    ]
