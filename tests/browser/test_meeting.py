"""A coordinator creates a meeting, runs it through three agenda items, and downloads the minutes; every
decision is then on the people's records and in the owners' action lists."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from dsr.actions.models import Action
from dsr.meetings.models import AgendaItem, Escalation, Meeting
from dsr.ratings.models import RiskRating
from dsr.registers.models import Role
from tests.browser.conftest import assert_no_serious_accessibility_problems, duplicate_ids_and_stray_labels
from tests.browser.pages import DateInput, Header, sign_in
from tests.factories import make_person, member

pytestmark = pytest.mark.browser


def assert_accessible(page: Page) -> None:
    assert_no_serious_accessibility_problems(page)
    assert duplicate_ids_and_stray_labels(page) == []


@pytest.fixture
def people(register):
    coordinator = member(register, Role.COORDINATOR, username="priya", first_name="Priya", last_name="Shah")
    owner = member(register, Role.PROFESSIONAL, username="sam", first_name="Sam", last_name="Okafor")
    red = make_person(
        register=register,
        by=coordinator,
        rating="red",
        given_name="Rhys",
        family_name="Adams",
        joined_at=timezone.now() - datetime.timedelta(days=40),
    )
    amber = make_person(
        register=register, by=coordinator, rating="amber", given_name="Asha", family_name="Brown"
    )
    third = make_person(
        register=register, by=coordinator, rating="amber", given_name="Cal", family_name="Cole"
    )
    return {"coordinator": coordinator, "owner": owner, "red": red, "amber": amber, "third": third}


def test_a_coordinator_runs_a_meeting_through_three_items_and_downloads_the_minutes(page: Page, people):
    red = people["red"]
    sign_in(page, "priya")
    # A red person without a C(E)TR shows it as overdue on the register list.
    page.goto("/people/")
    expect(page.get_by_text("Red: C(E)TR overdue by 12 days")).to_be_visible()

    page.get_by_role("link", name="Meetings").first.click()
    page.get_by_role("button", name="Create a meeting").click()
    page.get_by_label("Monthly dynamic support register meeting").check()
    page.get_by_label("Start time").fill("00:00")  # today, so it can be run now
    page.get_by_role("button", name="Create the meeting and its agenda").click()
    expect(page.get_by_text("Meeting created with 3 items on its agenda")).to_be_visible()
    agenda = page.locator("#agenda")
    expect(agenda.get_by_text("Rhys Adams", exact=True)).to_be_visible()
    expect(agenda.get_by_text("Red: C(E)TR overdue by 12 days")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Priya Shah").check()
    page.get_by_label("Name (optional)").fill("Dr Lin")
    page.get_by_label("Role or organisation (optional)").fill("CAMHS")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#attending")).to_contain_text("Dr Lin")

    page.get_by_role("button", name="Run the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rhys Adams")
    assert_accessible(page)
    page.evaluate("window.stillTheSamePage = true")  # gone if anything reloads the whole page

    # Item 1: notes save themselves; a new rating and an action are recorded without leaving the page.
    page.get_by_label("Discussion").fill("School placement at risk; family exhausted")
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    page.get_by_text("Change the rating").click()
    decide = page.locator("#decide-rating")
    decide.get_by_label("Amber").check()
    decide.get_by_label("Why this rating").fill("Respite agreed, risk lower")
    decide.get_by_role("checkbox").first.check()
    decide.get_by_role("button", name="Save the rating").click()
    expect(page.get_by_text("Rating saved: Amber")).to_be_visible()
    page.get_by_text("Add an action").click()
    decide = page.locator("#decide-action")
    decide.get_by_label("What is to be done").fill("Book two weeks of respite")
    decide.get_by_label("Responsible person").fill("Sam Okafor")
    decide.get_by_label("Their account on the register (optional)").select_option(label="Sam Okafor")
    DateInput(decide, "Due date").fill(timezone.localdate() + datetime.timedelta(days=7))
    decide.get_by_role("button", name="Add the action").click()
    expect(page.locator("#decided-list")).to_contain_text("Book two weeks of respite")
    page.get_by_label("Decisions").fill("Rating amber; respite to be booked")
    page.get_by_role("button", name="Save and go to the next item").click()

    # Item 2: escalated to the oversight panel; Ctrl+Enter in the notes goes on to the next item.
    expect(page.get_by_role("heading", level=1)).to_have_text("Asha Brown")
    expect(page).to_have_url(re.compile(r"/items/"))
    page.get_by_text("Escalate to the oversight panel").click()
    page.locator("#decide-escalate").get_by_label("Why the oversight panel needs to see them").fill(
        "Out-of-area placement proposed"
    )
    page.get_by_role("button", name="Escalate", exact=True).click()
    expect(page.locator("#decided-list")).to_contain_text("Out-of-area placement proposed")
    page.get_by_label("Discussion").fill("Panel to look at funding")
    page.get_by_label("Discussion").press("Control+Enter")

    # Item 3: notes only.
    expect(page.get_by_role("heading", level=1)).to_have_text("Cal Cole")
    page.get_by_label("Discussion").fill("Stable; no change")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Notes saved")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True

    # A plain link, not swapped in: the whole finishing page loads (slowly, on a busy machine).
    with page.expect_navigation(url=re.compile(r"/finish/$")):
        page.get_by_role("link", name="Finish the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finish the meeting")
    expect(page.get_by_text("All 3 items on the agenda have been discussed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Finish the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the minutes (PDF)").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for expected in (
        "Priya Shah",
        "Dr Lin (CAMHS)",
        "Rhys Adams",
        "School placement at risk; family exhausted",
        "Rating: Amber (Respite agreed, risk lower)",
        "Book two weeks of respite",
        "Asha Brown",
        "Escalated to the oversight panel: Out-of-area placement proposed",
        "Panel to look at funding",
        "Cal Cole",
        "Stable; no change",
    ):
        assert expected in text, expected

    # The records changed as the meeting went.
    meeting = Meeting.objects.get()
    assert meeting.is_finished
    assert RiskRating.objects.get(meeting=meeting).person == red
    assert Action.objects.get(meeting=meeting).owner == people["owner"]
    assert Escalation.objects.get(meeting=meeting).person == people["amber"]
    assert AgendaItem.objects.filter(meeting=meeting, discussed=True).count() == 3

    page.goto(f"/people/{red.pk}/")
    expect(page.locator("#meetings")).to_contain_text("School placement at risk; family exhausted")
    expect(page.locator("#meetings")).not_to_contain_text("Panel to look at funding")
    expect(page.locator("#ratings")).to_contain_text("at the monthly dynamic support register meeting")

    # The action's owner finds it in their list.
    Header(page).sign_out()
    sign_in(page, "sam")
    page.goto("/actions/")
    expect(page.locator("#my-actions")).to_contain_text("Book two weeks of respite")


def test_notes_typed_while_the_connection_is_down_are_saved_when_it_returns(page: Page, people):
    from tests.meetings.conftest import new_meeting

    meeting = new_meeting(people["coordinator"], people["red"].register)
    item = meeting.items.first()
    sign_in(page, "priya")
    page.goto(f"/meetings/{meeting.pk}/items/{item.pk}/")
    page.context.set_offline(True)
    page.get_by_label("Discussion").fill("Typed with no connection")
    expect(page.locator("#autosave-status")).to_contain_text("Not saved: the connection has dropped")
    page.context.set_offline(False)
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=15_000)
    item.refresh_from_db()
    assert item.discussion == "Typed with no connection"


def test_a_meeting_runs_without_javascript(page_without_javascript: Page, people):
    from tests.meetings.conftest import new_meeting

    page = page_without_javascript
    meeting = new_meeting(people["coordinator"], people["red"].register)
    first, second = list(meeting.items.all())[:2]
    sign_in(page, "priya")
    page.goto(f"/meetings/{meeting.pk}/run/")
    expect(page.get_by_role("heading", level=1)).to_have_text(first.person.full_name)
    page.get_by_label("Discussion").fill("Recorded without JavaScript")
    page.get_by_role("button", name="Save and go to the next item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second.person.full_name)
    first.refresh_from_db()
    assert (first.discussion, first.discussed) == ("Recorded without JavaScript", True)


def test_without_javascript_notes_typed_are_kept_when_a_decision_is_recorded(
    page_without_javascript: Page, people
):
    from tests.meetings.conftest import new_meeting

    page = page_without_javascript
    meeting = new_meeting(people["coordinator"], people["red"].register)
    item = meeting.items.get(person=people["red"])
    sign_in(page, "priya")
    page.goto(f"/meetings/{meeting.pk}/items/{item.pk}/")
    page.get_by_label("Discussion").fill("Family exhausted; school placement at risk")
    page.get_by_text("Add an action").click()
    decide = page.locator("#decide-action")
    decide.get_by_label("What is to be done").fill("Book two weeks of respite")
    decide.get_by_label("Responsible person").fill("Sam Okafor")
    DateInput(decide, "Due date").fill(timezone.localdate() + datetime.timedelta(days=7))
    decide.get_by_role("button", name="Add the action").click()

    expect(page.get_by_text("Action added")).to_be_visible()
    expect(page.get_by_label("Discussion")).to_have_value("Family exhausted; school placement at risk")
    expect(page.locator("#decided-list")).to_contain_text("Book two weeks of respite")
    item.refresh_from_db()
    assert (item.discussion, item.discussed) == ("Family exhausted; school placement at risk", True)
    assert Action.objects.get(meeting=meeting).description == "Book two weeks of respite"


def test_finishing_lists_the_items_not_yet_discussed_and_asks_first(page: Page, people):
    from tests.meetings.conftest import new_meeting

    meeting = new_meeting(people["coordinator"], people["red"].register)
    first, second, third = list(meeting.items.select_related("person"))
    sign_in(page, "priya")
    page.goto(f"/meetings/{meeting.pk}/items/{first.pk}/")
    page.get_by_label("Discussion").fill("Seen first")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Notes saved")).to_be_visible()

    # A plain link, not swapped in: the whole finishing page loads (slowly, on a busy machine).
    with page.expect_navigation(url=re.compile(r"/finish/$")):
        page.get_by_role("link", name="Finish the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finish the meeting")
    undiscussed = page.locator("#undiscussed")
    expect(undiscussed).to_contain_text("2 of 3 items not discussed")
    expect(undiscussed.get_by_role("link")).to_have_count(2)
    expect(undiscussed).not_to_contain_text(first.person.full_name)
    assert_accessible(page)

    # Each one is a link to that item, to discuss it before finishing.
    undiscussed.get_by_role("link", name=second.person.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second.person.full_name)
    meeting.refresh_from_db()
    assert not meeting.is_finished

    page.goto(f"/meetings/{meeting.pk}/finish/")
    page.get_by_role("button", name="Finish the meeting without them").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes")
    meeting.refresh_from_db()
    assert meeting.is_finished


def test_a_typed_save_stopped_by_saving_the_page_does_not_say_the_connection_dropped(page: Page, people):
    """Pressing a button while a typed save is on its way stops that save (the page sends the same notes):
    nothing failed, so nothing says the connection dropped, neither while the page is being sent nor after."""
    from tests.meetings.conftest import new_meeting

    meeting = new_meeting(people["coordinator"], people["red"].register)
    item = meeting.items.get(person=people["red"])
    sign_in(page, "priya")
    page.goto(f"/meetings/{meeting.pk}/items/{item.pk}/")
    typed_saves, sent_pages = [], []
    # Both stay on their way until the test lets them through.
    page.route("**/autosave/", lambda route: typed_saves.append(route))
    page.route(
        f"**/items/{item.pk}/",
        lambda route: sent_pages.append(route) if route.request.method == "POST" else route.continue_(),
    )
    with page.expect_request("**/autosave/"):
        page.get_by_label("Discussion").fill("Typed, then saved at once")
    with page.expect_request(lambda request: request.method == "POST" and "/autosave/" not in request.url):
        page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_timeout(500)
    expect(page.locator("#autosave-status")).not_to_contain_text("connection has dropped")
    expect(page.locator("#autosave-status")).not_to_contain_text("Not saved")

    sent_pages[0].continue_()
    expect(page.get_by_text("Notes saved")).to_be_visible()
    page.wait_for_timeout(3_500)  # longer than a save tried again would wait
    expect(page.locator("#item-panel")).not_to_contain_text("connection has dropped")
    item.refresh_from_db()
    assert item.discussion == "Typed, then saved at once"
    page.unroute_all(behavior="ignoreErrors")


def test_a_coordinator_finds_someone_and_adds_them_to_the_agenda(page: Page, people, register):
    from dsr.access import scope_of
    from dsr.meetings import services as meeting_services

    coordinator = people["coordinator"]
    make_person(register=register, by=coordinator, rating="green", given_name="Gina", family_name="Green")
    make_person(register=register, by=coordinator, rating="green", given_name="Gus", family_name="Greenwood")
    meeting = meeting_services.create_meeting(
        scope=scope_of(coordinator, register),
        register=register,
        kind="register",
        held_on=timezone.localdate(),
        starts_at=datetime.time.min,
        by=coordinator,
    )
    sign_in(page, "priya")
    page.goto(f"/meetings/{meeting.pk}/")
    adding = page.locator("#add-item")
    adding.get_by_label("Name or NHS number").fill("green")
    adding.get_by_role("button", name="Find").click()
    expect(adding.get_by_label("Gina Green (")).to_be_visible()
    expect(adding.get_by_label("Gus Greenwood (")).to_be_visible()
    assert_accessible(page)

    adding.get_by_role("button", name="Add to the agenda").click()  # nobody chosen
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the person to add")
    assert_accessible(page)

    adding = page.locator("#add-item")
    adding.get_by_label("Gus Greenwood (").check()
    adding.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_text("Gus Greenwood added to the agenda")).to_be_visible()
    expect(page.locator("#agenda").get_by_text("Gus Greenwood", exact=True)).to_be_visible()
    assert meeting.items.filter(person__family_name="Greenwood").exists()
