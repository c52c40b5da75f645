"""Pages have no serious or critical accessibility problems that axe-core can find, and are styled."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from dsr.dates import today
from dsr.governance import services as governance_services
from dsr.notifications import services as notification_services
from dsr.ratings.models import RiskFactor
from dsr.ratings.services import record_rating
from dsr.registers.models import Role
from dsr.reviews.services import ReviewDetails
from dsr.rights import services as rights_services
from tests.browser.conftest import (
    assert_styled,
    describe_violations,
    duplicate_ids_and_stray_labels,
    serious_accessibility_problems,
)
from tests.browser.pages import ErrorSummary, Header, ReferralForm, SignInPage, sign_in
from tests.factories import make_person, member
from tests.pages import allocate
from tests.rights.populated import NOT_COMPETENT

pytestmark = pytest.mark.browser


def problems_on(page: Page) -> str:
    """Readable serious or critical problems on the page as shown, or "" if none."""
    assert_styled(page)
    found = []
    if problems := serious_accessibility_problems(page):
        found.append(describe_violations(page.url, problems))
    if problems := duplicate_ids_and_stray_labels(page):
        found.append("\n".join([f"Broken ids or labels on {page.url}:", *(f"- {p}" for p in problems)]))
    return "\n".join(found)


def problems_on_each(page: Page, pages: list[tuple[str, str]]) -> list[str]:
    """Open each address in turn, check its main heading, and return the problems found on each."""
    found = []
    for url, heading in pages:
        assert page.goto(url).status == 200
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        found.append(problems_on(page))
    return found


def problems_with_errors_shown(page: Page, button: str) -> str:
    """Send the form on the page as it stands with this button, and return the problems on the page
    that shows what is wrong with it."""
    page.get_by_role("button", name=button).click()
    ErrorSummary(page).expect_shown()
    return problems_on(page)


def assert_none_found(found: list[str]) -> None:
    problems = "\n\n".join(p for p in found if p)
    assert not problems, problems


def test_pages_a_coordinator_uses_have_no_serious_accessibility_problems(page, register):
    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    keyworker = member(register, Role.KEYWORKER, first_name="Sam", last_name="Okafor")
    person = make_person(register=register, by=coordinator, given_name="Jamie", family_name="Rivers")
    make_person(register=register, by=coordinator, rating="green", given_name="Ola", family_name="Banks")
    record_rating(
        person=person,
        rating="red",
        rationale="Two A&E attendances this week",
        factors=RiskFactor.objects.filter(register__isnull=True)[:3],
        next_review_due=today() + datetime.timedelta(days=7),
        by=coordinator,
    )
    allocate(person, keyworker, coordinator)
    notification = notification_services.notify(
        template="referral_received",
        to_email="morgan.rivers@example.org",
        personalisation={"name": "Morgan Rivers", "person_name": "Jamie Rivers", "reference": "DSR-7KQ2"},
        register=register,
        person=person,
        by=coordinator,
    )
    sign_in(page, coordinator.username)
    found = problems_on_each(
        page,
        [
            ("/today/", "Today’s work"),
            ("/people/", "People on the register"),
            (f"/people/{person.pk}/", "Jamie Rivers"),
            (f"/people/{person.pk}/rating/", "Change the rating"),
            ("/people/add/", "Add a person to"),
            ("/reports/", "Register figures"),
            (f"/governance/people/{person.pk}/documents/upload/", "Upload a document"),
            ("/notifications/", "Outbox"),
            (f"/notifications/{notification.pk}/", "We have received the referral for Jamie Rivers"),
        ],
    )

    page.goto("/people/add/")
    found.append(problems_with_errors_shown(page, "Add person"))
    expect(page.get_by_text("Enter their first name").first).to_be_visible()

    assert_none_found(found)


def test_pages_an_ig_officer_uses_have_no_serious_accessibility_problems(page, register):
    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    ig = member(register, Role.IG, first_name="Grace", last_name="Adeyemi")
    person = make_person(register=register, by=coordinator, given_name="Jamie", family_name="Rivers")
    requester = rights_services.Requester(
        requester_name="Morgan Rivers", requester_relationship="parent", received_on=today(), **NOT_COMPETENT
    )
    subject_access = rights_services.record_subject_access_request(person=person, requester=requester, by=ig)
    rectification = rights_services.record_rectification_request(
        person=person, requester=requester, what_is_wrong="The school is wrong", by=ig
    )
    governance_services.set_legal_hold(
        person=person, reason="An inquest", reference="INQ-31", review_on=today(), by=ig
    )
    sign_in(page, ig.username)
    base = f"/governance/people/{person.pk}"
    found = problems_on_each(
        page,
        [
            ("/governance/people/?q=Rivers", "Find a person"),
            (f"{base}/", "Jamie Rivers"),
            (f"{base}/subject-access/add/", "Record a subject access request"),
            (f"{base}/subject-access/{subject_access.pk}/", "Subject access request"),
            (f"{base}/subject-access/{subject_access.pk}/pack/", "Produce the subject access pack"),
            (f"{base}/subject-access/{subject_access.pk}/pack/review/", "Withhold information about other"),
            (f"{base}/subject-access/{subject_access.pk}/close/", "Close the subject access request"),
            (f"{base}/subject-access/{subject_access.pk}/clock/", "Record that their identity was confirmed"),
            (f"{base}/subject-access/{subject_access.pk}/extension/", "Extend the deadline"),
            (f"{base}/rectification/add/", "Record a rectification request"),
            (f"{base}/rectification/{rectification.pk}/", "Rectification request"),
            (f"{base}/rectification/{rectification.pk}/outcome/", "Record the outcome"),
            (f"{base}/rectification/{rectification.pk}/clock/", "Record that their identity was confirmed"),
            (f"{base}/rectification/{rectification.pk}/extension/", "Extend the deadline"),
            (f"{base}/legal-hold/", "Put this record under legal hold"),
            (f"{base}/legal-hold/lift/", "Lift the legal hold"),
            ("/governance/retention/", "Retention"),
            ("/governance/audit/", "Audit trail"),
            # A filter with a date that does not exist: the error summary and the field's message.
            ("/governance/audit/?since-day=31&since-month=2&since-year=2026", "Audit trail"),
        ],
    )

    page.goto(f"{base}/rectification/{rectification.pk}/outcome/")
    found.append(problems_with_errors_shown(page, "Record outcome"))

    assert_none_found(found)


def test_sign_in_page_has_no_serious_accessibility_problems(page):
    SignInPage(page).open()
    expect(page.get_by_role("heading", name="Sign in to the Dynamic Support Register")).to_be_visible()
    problems = problems_on(page)
    assert not problems, problems


def test_signing_in_and_setting_up_a_second_factor_have_no_serious_accessibility_problems(page, register):
    """The pages everyone goes through: sign-in (as after an idle sign-out), the security code with an
    error, and setting up an authenticator app, with and without an error."""
    member(register, Role.COORDINATOR, username="priya")
    found = []
    signing_in = SignInPage(page)
    signing_in.open("?signed_out=idle")
    found.append(problems_on(page))
    signing_in.enter_password("priya")
    expect(page.get_by_role("heading", name="How you sign in")).to_be_visible()
    found.append(problems_on(page))
    page.get_by_role("button", name="Set up an authenticator app").click()
    found.append(problems_on(page))
    page.get_by_label("Code from your app").fill("000000")
    found.append(problems_with_errors_shown(page, "Set up"))

    assert_none_found(found)


def test_the_accessibility_checks_report_problems_when_there_are_some(page):
    SignInPage(page).open()
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.append(Object.assign(document.createElement("img"), {src: "/x.png"}));
            main.prepend(Object.assign(document.createElement("div"), {id: "id_login"}));
        }"""
    )
    problems = serious_accessibility_problems(page)
    assert "image-alt" in {p["id"] for p in problems}, describe_violations(page.url, problems)
    assert duplicate_ids_and_stray_labels(page) == [
        'id "id_login" is used 2 times',
        'label "Username" is for "id_login", not a form control',
    ]


def test_referral_pages_have_no_serious_accessibility_problems(page, register):
    from tests.referrals.data import make_referral

    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    referral = make_referral(register)
    found = []
    form = ReferralForm(page)
    form.open()
    found.append(problems_on(page))
    form.start()
    found.append(problems_on(page))
    found.append(problems_with_errors_shown(page, "Continue"))
    form.who("I am the person who needs support")
    form.press_continue()
    form.person("Kai", "Lee", datetime.date(today().year - 17, 2, 1))
    found.append(problems_on(page))
    form.press_continue()
    for _optional in ("Their address", "How to contact them or their family"):
        found.append(problems_on(page))
        form.press_continue()
    form.diagnoses(autistic="Yes, diagnosed", learning_disability="Yes, diagnosed")
    found.append(problems_on(page))
    form.press_continue()
    found.append(problems_on(page))  # what is worrying them
    form.press_continue()
    found.append(problems_on(page))  # what is happening now
    form.press_continue()
    form.agreed("The person (16 or over", "Kai Lee")
    found.append(problems_on(page))
    form.press_continue()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    found.append(problems_on(page))
    form.send()
    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()
    found.append(problems_on(page))

    sign_in(page, coordinator.username)
    found += problems_on_each(
        page,
        [
            ("/referrals/", "Referrals"),
            (f"/referrals/{referral.pk}/", referral.full_name),
            (f"/referrals/{referral.pk}/accept/", "Accept onto the register"),
            (f"/referrals/{referral.pk}/decide/", "Decline or ask for more information"),
            (f"/referrals/{referral.pk}/consultation/", "Offer a consultation"),
            ("/referrals/new/", "Your details"),
            ("/referrals/mine/", "Your referrals"),
            ("/referrals/public-form/", "The public referral form"),
        ],
    )
    # A referrer's own referral.
    from dsr.referrals import services as referral_services
    from tests.referrals.data import professional_values

    referrer = member(register, Role.REFERRER)
    theirs = referral_services.submit_referral(register=register, answers=professional_values(), by=referrer)
    page.context.clear_cookies()
    sign_in(page, referrer.username)
    found += problems_on_each(page, [(f"/referrals/mine/{theirs.pk}/", theirs.full_name)])

    assert_none_found(found)


def test_review_and_action_pages_have_no_serious_accessibility_problems(page, register):
    from dsr.actions import services as action_services
    from dsr.reviews import services as review_services

    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    person = make_person(
        register=register, by=coordinator, rating="red", given_name="Jamie", family_name="Rivers"
    )
    review = review_services.record_review(
        person=person,
        details=ReviewDetails(
            kind="cetr", setting="community", review_on=today() + datetime.timedelta(days=5)
        ),
        by=coordinator,
    )
    review_services.add_recommendation(
        review=review,
        text="Refer to the sensory integration service",
        follow_up={
            "owner_name": "Priya Shah",
            "owner": coordinator,
            "due_on": today() - datetime.timedelta(days=40),
        },
        by=coordinator,
    )
    action = action_services.add_action(
        person=person,
        description="Call the school",
        owner_name="Priya Shah",
        owner=coordinator,
        due_on=today(),
        by=coordinator,
    )
    sign_in(page, coordinator.username)
    base = f"/people/{person.pk}"
    found = problems_on_each(
        page,
        [
            (f"{base}/", "Jamie Rivers"),
            (f"{base}/reviews/add/", "Plan or record a review"),
            (f"{base}/reviews/{review.pk}/", "Care, Education and Treatment Review"),
            (f"{base}/reviews/{review.pk}/change/", "Change the CETR"),
            (f"{base}/reviews/{review.pk}/recommendations/add/", "Add a recommendation"),
            ("/actions/", "My actions"),
            (f"{base}/actions/add/", "Add an action"),
            (f"{base}/actions/{action.pk}/", "Update an action"),
        ],
    )

    page.goto(f"{base}/reviews/add/")
    found.append(problems_with_errors_shown(page, "Save review"))

    assert_none_found(found)


def test_meeting_and_caseload_pages_have_no_serious_accessibility_problems(page, register):
    from dsr.access import scope_of
    from dsr.meetings import services as meeting_services

    coordinator = member(register, Role.COORDINATOR, first_name="Priya", last_name="Shah")
    keyworker = member(register, Role.KEYWORKER, first_name="Sam", last_name="Okafor")
    person = make_person(
        register=register, by=coordinator, rating="red", given_name="Jamie", family_name="Rivers"
    )
    allocate(person, keyworker, coordinator)
    meeting = meeting_services.create_meeting(
        scope=scope_of(coordinator, register),
        register=register,
        kind="register",
        held_on=today(),
        starts_at=datetime.time.min,
        by=coordinator,
    )
    item = meeting.items.get()
    meeting_services.escalate(person=person, reason="Placement breaking down", by=coordinator)
    escalation = person.escalations.get()
    sign_in(page, coordinator.username)
    found = problems_on_each(
        page,
        [
            ("/meetings/", "Meetings"),
            ("/meetings/new/", "Create a meeting"),
            (f"/meetings/{meeting.pk}/attendance/", "Attendance"),
            (f"/meetings/{meeting.pk}/details/", "Change the meeting's details"),
            (f"/meetings/{meeting.pk}/cancel/", "Cancel the meeting"),
            (f"/meetings/{meeting.pk}/minutes/", "Minutes"),
            (
                f"/meetings/people/{person.pk}/escalations/{escalation.pk}/close/",
                "Record the oversight panel",
            ),
            ("/caseload/keyworkers/", "Keyworkers"),
            (f"/caseload/{keyworker.pk}/", "Sam Okafor"),
        ],
    )

    page.goto(f"/meetings/{meeting.pk}/items/{item.pk}/")
    for summary in (
        "Change the rating",
        "Add an action",
        "Arrange a C(E)TR",
        "Record the oversight panel's decision",
    ):
        page.get_by_text(summary).click()
    found.append(problems_on(page))  # every decision form open at once

    page.goto("/meetings/new/")
    page.get_by_label("Start time").fill("half ten")
    found.append(problems_with_errors_shown(page, "Create the meeting and its agenda"))

    Header(page).sign_out()
    sign_in(page, keyworker.username)
    page.goto("/caseload/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("My caseload")
    found.append(problems_on(page))

    assert_none_found(found)
