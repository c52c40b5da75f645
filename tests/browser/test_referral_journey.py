"""A parent refers their child without signing in; the coordinator takes it to an accepted person."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from dsr.dates import today, years_before
from dsr.notifications.models import Notification
from dsr.people.models import Person
from dsr.referrals.models import Referral
from dsr.registers.models import Role
from tests.browser.conftest import assert_styled
from tests.browser.pages import RatingFields, ReferralForm, RegisterList, sign_in
from tests.factories import member

pytestmark = pytest.mark.browser


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
    public.get_by_label("Name of the person we should contact").fill("Sam Morgan")
    public.get_by_label("Their email address").fill("sam.morgan@example.com")
    form.diagnoses(autistic="Yes, diagnosed", learning_disability="No, or I do not know")
    public.get_by_label("They are having trouble staying safe").check()
    public.get_by_label("Tell us what is happening").fill("Excluded from school; meltdowns every day.")
    form.agreed("Someone with parental responsibility", "Sam Morgan")
    form.press_continue()

    expect(public.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending the referral"
    )
    expect(public.locator("main")).to_contain_text("Excluded from school; meltdowns every day.")
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
