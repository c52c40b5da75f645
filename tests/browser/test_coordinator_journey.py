"""A coordinator adds a person, raises their rating to red and finds them first to review."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from dsr.dates import format_date, today, years_before
from dsr.people.models import Person
from dsr.ratings.models import RiskFactor
from dsr.ratings.services import record_rating
from dsr.registers.models import Role
from tests.browser.conftest import assert_styled, is_htmx
from tests.browser.pages import DateInput, RatingFields, RegisterList, sign_in
from tests.factories import make_person, member, valid_nhs_number

pytestmark = pytest.mark.browser


def test_coordinator_adds_a_person_rates_them_red_and_finds_them_first_to_review(page, register):
    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    for family_name, days in [("Adams", 20), ("Brown", 30)]:
        other = make_person(
            register=register, by=coordinator, rating="red", given_name="Red", family_name=family_name
        )
        record_rating(
            person=other,
            rating="red",
            rationale="Still at high risk",
            factors=RiskFactor.objects.filter(register__isnull=True)[:1],
            next_review_due=today() + datetime.timedelta(days=days),
            by=coordinator,
        )
    amber = make_person(
        register=register, by=coordinator, rating="amber", given_name="Soon", family_name="Amberley"
    )
    record_rating(
        person=amber,
        rating="amber",
        rationale="Review brought forward",
        factors=RiskFactor.objects.filter(register__isnull=True)[:1],
        next_review_due=today() + datetime.timedelta(days=2),
        by=coordinator,
    )
    nhs_number = valid_nhs_number()

    sign_in(page, coordinator.username)
    expect(page).to_have_url(re.compile(r"/today/$"))
    assert_styled(page)
    expect(page.locator("#due")).to_contain_text("Soon Amberley")  # a review due this week
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    register_list = RegisterList(page)
    expect(register_list.rating_count("red")).to_have_text("2")
    expect(register_list.rating_count("amber")).to_have_text("1")

    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("First name").fill("Morgan")
    page.get_by_label("Last name", exact=True).fill("Young")
    DateInput(page, "Date of birth").fill(years_before(today(), 14))
    page.get_by_label("NHS number").fill(nhs_number)
    rating = RatingFields(page)
    rating.choose("Amber")
    rating.explain("Referred after a crisis at school", "Significant life events")
    page.get_by_label("Why they are joining the register").fill("Referred by CAMHS")
    page.get_by_role("button", name="Add person").click()

    expect(page).to_have_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Morgan Young")
    expect(page.locator("#nhs-number")).to_have_text(f"{nhs_number[:3]} {nhs_number[3:6]} {nhs_number[6:]}")
    expect(page.locator("#current-rating")).to_contain_text("Amber")
    person = Person.objects.get(nhs_number=nhs_number)
    assert page.url.endswith(f"/people/{person.pk}/")

    page.get_by_role("link", name="Change the rating").click()
    proposed = today() + datetime.timedelta(days=register.review_days("amber"))
    review = DateInput(page, "Next review due")
    review.expect_date(proposed)
    rating.choose("Red")
    # Picking red proposes red's review date in place of amber's.
    next_review = today() + datetime.timedelta(days=register.review_days("red"))
    review.expect_date(next_review)
    rating.explain(
        "Two A&E attendances this week and a placement breakdown",
        "Recent crises (A&E or emergency social care)",
        "Significant life events",
    )
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/$"))
    expect(page.get_by_text("Rating saved")).to_be_visible()
    expect(page.locator("#current-rating")).to_contain_text("Red")
    expect(page.locator("#summary")).to_contain_text(format_date(next_review))

    page.get_by_role("link", name="Register", exact=True).click()
    with page.expect_response(is_htmx):
        register_list.tick_rating("Red")
    with page.expect_response(is_htmx):
        register_list.sort_by("Last name")
    register_list.expect_listed(["Adams, Red", "Brown, Red", "Young, Morgan"])
    with page.expect_response(is_htmx):
        register_list.sort_by("Next review due (soonest first)")

    expect(page).to_have_url(re.compile(r"[?&]rating=red&.*sort=review"))
    register_list.expect_listed(["Young, Morgan", "Adams, Red", "Brown, Red"])
    expect(register_list.rating_count("red")).to_have_text("3")
    expect(register_list.rating_count("amber")).to_have_text("1")
