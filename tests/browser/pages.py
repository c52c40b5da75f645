"""Page objects for the browser tests: how a test finds and fills what a page shows, written once.

A test says what a person does ("sign in as priya", "fill the date of birth", "tick Red") and what
it expects to see; these classes know which labels, legends and buttons that means on the page.
Each takes the Playwright page (or, for a part of a page, the locator it sits in).
"""

import datetime

from django.contrib.auth import get_user_model
from playwright.sync_api import Locator, Page, expect

from dsr.registers.personas import DEMO_PASSWORD
from tests.second_factor import authenticator_app


class DateInput:
    """The design system's date input: Day, Month and Year boxes in a fieldset found by its legend."""

    def __init__(self, scope: Page | Locator, legend: str) -> None:
        self.group = scope.get_by_role("group", name=legend)
        self.day = self.group.get_by_label("Day")
        self.month = self.group.get_by_label("Month")
        self.year = self.group.get_by_label("Year")

    def fill(self, date: datetime.date) -> None:
        self.day.fill(str(date.day))
        self.month.fill(str(date.month))
        self.year.fill(str(date.year))

    def values(self) -> tuple[str, str, str]:
        """What the three boxes hold now, as typed: (day, month, year)."""
        return self.day.input_value(), self.month.input_value(), self.year.input_value()

    def expect_date(self, date: datetime.date) -> None:
        """The boxes show this date (waiting for the page's script to fill them, if it does)."""
        expect(self.day).to_have_value(str(date.day))
        expect(self.month).to_have_value(str(date.month))
        expect(self.year).to_have_value(str(date.year))


class ErrorSummary:
    """The box at the top of a form sent with problems."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def expect_shown(self, *messages: str) -> None:
        """The summary is there, and lists each of these messages."""
        expect(self.page.get_by_role("heading", name="There is a problem")).to_be_visible()
        for message in messages:
            expect(self.page.locator(".nhsuk-error-summary")).to_contain_text(message)


class Header:
    """The header every signed-in page has."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.sign_out_button = page.get_by_role("button", name="Sign out")

    def expect_signed_in(self) -> None:
        expect(self.sign_out_button).to_be_visible()

    def sign_out(self) -> None:
        self.sign_out_button.click()


class SignInPage:
    """The sign-in pages: a username and password, then a code from the person's authenticator app."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self, query: str = "") -> None:
        self.page.goto(f"/sign-in/{query}")

    def enter_password(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """The first step, on the sign-in page the browser is on."""
        self.page.locator("#id_login").fill(username)
        self.page.locator("#id_password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()

    def enter_code(self, code: str) -> None:
        """The second step, when the person has an authenticator app."""
        self.page.get_by_label("Security code").fill(code)
        self.page.get_by_role("button", name="Continue").click()

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """Sign in as a person would: the password, then a code from their authenticator app (set up
        for them here if they have none)."""
        app = authenticator_app(get_user_model().objects.get(username=username))
        self.open()
        self.enter_password(username, password)
        self.enter_code(app.now())
        Header(self.page).expect_signed_in()


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real sign-in pages (see SignInPage.sign_in)."""
    SignInPage(page).sign_in(username, password)


class RegisterList:
    """The register list (/people/): the people on the register, with filters and a sort."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.result_count = page.locator("#result-count")

    def open(self, sort: str = "name") -> None:
        self.page.goto(f"/people/?sort={sort}")

    def tick_rating(self, rating: str) -> None:
        """Tick a rating's filter (with JavaScript, the list updates in place)."""
        self.page.get_by_role("group", name="Rating").get_by_label(rating, exact=True).check()

    def rating_count(self, rating: str) -> Locator:
        """The figure above the list that counts the people with a rating ("red", "amber", …)."""
        return self.page.locator(f".dsr-rating-count--{rating} .dsr-rating-count__number")

    def sort_by(self, label: str) -> None:
        self.page.get_by_label("Sort by").select_option(label=label)

    def expect_listed(self, names: list[str]) -> None:
        """The table shows exactly these names ("Family, Given"), in this order.

        Each cell starts with a heading for narrow screens, which the stylesheet hides on wide
        ones; inner text leaves it out.
        """
        expect(self.page.locator("#people tbody tr td:first-child")).to_have_text(names, use_inner_text=True)


class RatingFields:
    """The fields of a form that rates a person: the rating, why, and the risk factors behind it."""

    def __init__(self, scope: Page | Locator, legend: str = "Rating") -> None:
        self.scope = scope
        self.legend = legend

    def choose(self, rating: str) -> None:
        self.scope.get_by_role("group", name=self.legend).get_by_label(rating, exact=True).check()

    def explain(self, why: str, *factors: str) -> None:
        self.scope.get_by_label("Why this rating").fill(why)
        for factor in factors:
            self.scope.get_by_label(factor).check()


class ReferralForm:
    """The public referral form (/refer/), which anyone may fill in without signing in: one topic a page,
    each answered and then sent on with Continue."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> None:
        self.page.goto("/refer/")

    def start(self) -> None:
        self.page.get_by_role("link", name="Start the referral").click()

    def expect_page(self, heading: str) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)

    def who(self, referrer: str) -> None:
        """Who is referring: the label of their choice, on the page "Who are you?"."""
        self.expect_page("Who are you?")
        self.page.get_by_label(referrer).check()

    def person(self, first_name: str, last_name: str, born: datetime.date) -> None:
        """Who needs support, on the page about them."""
        self.expect_page("About the person who needs support")
        self.page.get_by_label("First name").fill(first_name)
        self.page.get_by_label("Last name").fill(last_name)
        DateInput(self.page, "Date of birth").fill(born)

    def about_them(self, referrer: str, first_name: str, last_name: str, born: datetime.date) -> None:
        """Who is referring and who needs support: two pages, each sent on."""
        self.who(referrer)
        self.press_continue()
        self.person(first_name, last_name, born)
        self.press_continue()

    def contact(self, name: str, email: str) -> None:
        self.expect_page("How to contact them or their family")
        self.page.get_by_label("Name of the person we should contact").fill(name)
        self.page.get_by_label("Their email address").fill(email)

    def diagnoses(self, autistic: str, learning_disability: str) -> None:
        """The answers (labels) to whether they are autistic and have a learning disability."""
        self.expect_page("Their diagnosis")
        self.page.get_by_role("group", name="autistic").get_by_label(autistic).check()
        self.page.get_by_role("group", name="learning disability").get_by_label(learning_disability).check()

    def worries(self, *concerns: str) -> None:
        self.expect_page("What is worrying you?")
        for concern in concerns:
            self.page.get_by_label(concern).check()

    def happening(self, what: str) -> None:
        self.expect_page("What is happening now")
        self.page.get_by_label("Tell us what is happening").fill(what)

    def agreed(self, who: str, name: str) -> None:
        """Who agreed to the referral (the label of their choice), and their name."""
        self.expect_page("Consent to the referral")
        self.page.get_by_label(who).check()
        self.page.get_by_label("Name of the person who agreed").fill(name)
        self.page.get_by_label("I confirm they agreed to this referral").check()

    def press_continue(self) -> None:
        self.page.get_by_role("button", name="Continue").click()

    def change(self, question: str) -> None:
        """Follow the Change link of a question on the check-your-answers page."""
        self.page.get_by_role("link", name=f"Change {question}", exact=True).click()

    def send(self) -> None:
        """Send the referral from the page that checks the answers."""
        self.page.get_by_role("button", name="Send referral").click()
