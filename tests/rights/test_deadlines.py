"""A subject access or rectification request is answered within one calendar month of receipt."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from dsr.rights import services
from tests.rights.populated import a_parent, text_of

D = datetime.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 3, 3), D(2026, 4, 3)),  # the same day next month
        (D(2026, 1, 31), D(2026, 2, 28)),  # February has no 31st: its last day
        (D(2028, 1, 31), D(2028, 2, 29)),  # ... which is the 29th in a leap year
        (D(2026, 1, 29), D(2026, 2, 28)),
        (D(2026, 1, 28), D(2026, 2, 28)),
        (D(2026, 3, 31), D(2026, 4, 30)),  # April has 30 days
        (D(2026, 8, 31), D(2026, 9, 30)),
        (D(2026, 2, 28), D(2026, 3, 28)),  # not the end of March: the same day
        (D(2026, 12, 15), D(2027, 1, 15)),  # across the year end
        (D(2026, 12, 31), D(2027, 1, 31)),
    ],
)
def test_the_answer_is_due_the_same_day_next_month_or_that_months_last_day(received, due):
    assert services.one_month_after(received) == due


@time_machine.travel(datetime.datetime(2026, 2, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_a_request_received_on_31_january_is_due_on_28_february(person, ig_officer):
    request = services.record_subject_access_request(
        person=person, values=a_parent(received_on=D(2026, 1, 31)), by=ig_officer
    )
    assert request.due_on == D(2026, 2, 28)
    assert request.days_left == 18
    assert not request.is_overdue


def requests_section(response) -> str:
    """The text of the two requests tables, as read."""
    html = response.content.decode()
    return text_of(html[html.index('id="subject-access"') : html.index('id="retention"')])


def test_the_person_page_shows_days_left_and_flags_an_overdue_request(ig_client, person, ig_officer):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        services.record_subject_access_request(
            person=person, values=a_parent(received_on=D(2026, 3, 1)), by=ig_officer
        )
        services.record_rectification_request(
            person=person,
            values=a_parent(received_on=D(2026, 2, 20), what_is_wrong="Wrong school"),
            by=ig_officer,
        )
    url = reverse("rights:person", args=[person.pk])
    with time_machine.travel(datetime.datetime(2026, 3, 25, 12, tzinfo=datetime.UTC), tick=False):
        shown = requests_section(ig_client.get(url))
    assert "1 April 2026 (7 days left)" in shown
    assert "20 March 2026 Overdue by 5 days Overdue" in shown  # the deadline, then the tag
    assert "(7 days left) Open" in shown

    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC), tick=False):
        assert "1 April 2026 Due today Open" in requests_section(ig_client.get(url))
