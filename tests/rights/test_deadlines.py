"""A subject access or rectification request is answered within one calendar month of the day the clock
started, moved off weekends and bank holidays, or up to two months later when extended in time
(UK GDPR Article 12(3); ICO, "Right of access: time limits for responding")."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dsr.rights import services
from dsr.rights.deadlines import answer_due
from tests.rights.populated import a_parent, text_of

D = datetime.date


def on(day: datetime.date):
    """Travel to midday on a day (the services refuse dates in the future)."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC), tick=False
    )


@pytest.mark.parametrize(
    ("clock_started", "due"),
    [
        (D(2026, 3, 10), D(2026, 4, 10)),  # the same day next month (a Friday)
        (D(2025, 1, 31), D(2025, 2, 28)),  # February has no 31st: its last day (a Friday)
        (D(2028, 1, 31), D(2028, 2, 29)),  # ... which is the 29th in a leap year (a Tuesday)
        (D(2026, 1, 31), D(2026, 3, 2)),  # 28 February 2026 is a Saturday: the Monday after
        (D(2026, 3, 31), D(2026, 4, 30)),  # April has 30 days
        (D(2026, 9, 10), D(2026, 10, 12)),  # Saturday 10 October: Monday 12 October
        (D(2026, 11, 25), D(2026, 12, 29)),  # Christmas Day (Friday), weekend, Boxing Day substitute (28th)
        (D(2026, 3, 6), D(2026, 4, 7)),  # Easter Monday 6 April 2026: the Tuesday
        (D(2026, 3, 3), D(2026, 4, 7)),  # Good Friday 3 April, the Easter weekend and Monday
        (D(2026, 4, 4), D(2026, 5, 5)),  # the early May bank holiday, Monday 4 May
        (D(2026, 12, 15), D(2027, 1, 15)),  # across the year end
        (D(2026, 12, 31), D(2027, 2, 1)),  # 31 January 2027 is a Sunday
    ],
)
def test_the_answer_is_due_a_calendar_month_later_on_a_working_day(clock_started, due):
    assert answer_due(clock_started) == due


@pytest.mark.parametrize(
    ("clock_started", "extra_months", "due"),
    [
        (D(2026, 3, 10), 1, D(2026, 5, 11)),  # 10 May 2026 is a Sunday
        (D(2026, 11, 15), 2, D(2027, 2, 15)),  # across the year end
        (D(2026, 11, 30), 2, D(2027, 3, 1)),  # 28 February 2027 (no 30th) is a Sunday
        (D(2027, 11, 30), 2, D(2028, 2, 29)),  # ... and in a leap year the 29th, a Tuesday
    ],
)
def test_an_extension_adds_one_or_two_months_to_the_day_the_clock_started(clock_started, extra_months, due):
    assert answer_due(clock_started, extra_months=extra_months) == due


@pytest.mark.parametrize("extra_months", [-1, 3])
def test_an_extension_is_of_at_most_two_months(extra_months):
    with pytest.raises(ValueError, match="an extension is of 0 to 2 months"):
        answer_due(D(2026, 3, 10), extra_months=extra_months)


def test_a_request_received_on_31_january_2026_is_due_on_monday_2_march(person, ig_officer):
    with on(D(2026, 2, 10)):
        request = services.record_subject_access_request(
            person=person, requester=a_parent(received_on=D(2026, 1, 31)), by=ig_officer
        )
        assert (request.clock_started_on, request.due_on) == (D(2026, 1, 31), D(2026, 3, 2))
        assert request.days_left == 20
        assert not request.is_overdue


def test_the_clock_starts_again_when_the_requesters_identity_is_confirmed(person, ig_officer):
    with on(D(2026, 3, 9)):
        request = services.record_subject_access_request(
            person=person, requester=a_parent(received_on=D(2026, 3, 2)), by=ig_officer
        )
        assert request.due_on == D(2026, 4, 2)
        services.start_clock(
            request=request,
            started_by="identity",
            started_on=D(2026, 3, 9),
            detail="Passport seen at the office",
            by=ig_officer,
        )
    request.refresh_from_db()
    assert (request.received_on, request.clock_started_on, request.due_on) == (
        D(2026, 3, 2),
        D(2026, 3, 9),
        D(2026, 4, 9),
    )
    assert request.identity_checked and request.identity_check == "Passport seen at the office"


def test_the_clock_cannot_start_before_the_request_arrived(person, ig_officer):
    with on(D(2026, 3, 9)):
        request = services.record_subject_access_request(
            person=person, requester=a_parent(received_on=D(2026, 3, 2)), by=ig_officer
        )
        with pytest.raises(ValidationError, match="on or after the day the request was received"):
            services.start_clock(
                request=request,
                started_by="clarified",
                started_on=D(2026, 3, 1),
                detail="Which years",
                by=ig_officer,
            )
    request.refresh_from_db()
    assert request.clock_started_on == D(2026, 3, 2)


def test_a_rectification_clock_starts_when_the_request_is_clarified(person, ig_officer):
    with on(D(2026, 3, 20)):
        request = services.record_rectification_request(
            person=person,
            requester=a_parent(received_on=D(2026, 3, 2)),
            what_is_wrong="The address",
            by=ig_officer,
        )
        services.start_clock(
            request=request,
            started_by="clarified",
            started_on=D(2026, 3, 20),
            detail="Asked which address is wrong: the school's",
            by=ig_officer,
        )
    request.refresh_from_db()
    assert (request.clock_start, request.due_on) == ("clarified", D(2026, 4, 20))


def test_an_extension_must_be_told_within_the_first_month(person, ig_officer):
    with on(D(2026, 4, 3)):
        request = services.record_subject_access_request(
            person=person, requester=a_parent(received_on=D(2026, 3, 2)), by=ig_officer
        )
        extend = {"request": request, "months": 2, "ground": "complex", "reason": "Records from 3 trusts"}
        with pytest.raises(ValidationError, match="within the first month, by 2 April 2026"):
            services.extend_deadline(**extend, told_on=D(2026, 4, 3), by=ig_officer)
        request.refresh_from_db()
        assert (request.extended_by_months, request.due_on) == (0, D(2026, 4, 2))

        services.extend_deadline(**extend, told_on=D(2026, 4, 2), by=ig_officer)
    request.refresh_from_db()
    assert (request.first_due_on, request.due_on) == (D(2026, 4, 2), D(2026, 6, 2))


def test_an_extension_by_two_months_runs_across_the_year_end(person, ig_officer):
    with on(D(2026, 12, 1)):
        request = services.record_rectification_request(
            person=person,
            requester=a_parent(received_on=D(2026, 11, 15)),
            what_is_wrong="Old school",
            by=ig_officer,
        )
        services.extend_deadline(
            request=request,
            months=2,
            ground="numerous",
            reason="Six requests this month",
            told_on=D(2026, 12, 1),
            by=ig_officer,
        )
    request.refresh_from_db()
    assert request.due_on == D(2027, 2, 15)


def test_restarting_the_clock_keeps_the_extension(person, ig_officer):
    with on(D(2026, 3, 12)):
        request = services.record_subject_access_request(
            person=person, requester=a_parent(received_on=D(2026, 3, 2)), by=ig_officer
        )
        services.extend_deadline(
            request=request,
            months=1,
            ground="complex",
            reason="Many documents",
            told_on=D(2026, 3, 5),
            by=ig_officer,
        )
        services.start_clock(
            request=request,
            started_by="identity",
            started_on=D(2026, 3, 12),
            detail="Driving licence",
            by=ig_officer,
        )
    request.refresh_from_db()
    assert request.due_on == answer_due(D(2026, 3, 12), extra_months=1) == D(2026, 5, 12)


def requests_section(response) -> str:
    """The text of the two requests tables, as read."""
    html = response.content.decode()
    return text_of(html[html.index('id="subject-access"') : html.index('id="retention"')])


def test_the_person_page_shows_days_left_and_flags_an_overdue_request(ig_client, person, ig_officer):
    with on(D(2026, 3, 1)):
        services.record_subject_access_request(
            person=person, requester=a_parent(received_on=D(2026, 3, 1)), by=ig_officer
        )
        services.record_rectification_request(
            person=person,
            requester=a_parent(received_on=D(2026, 2, 20)),
            what_is_wrong="Wrong school",
            by=ig_officer,
        )
    url = reverse("rights:person", args=[person.pk])
    with on(D(2026, 3, 25)):
        shown = requests_section(ig_client.get(url))
    assert "1 April 2026 (7 days left)" in shown
    assert "20 March 2026 Overdue by 5 days Overdue" in shown  # the deadline, then the tag
    assert "(7 days left) Open" in shown

    with on(D(2026, 4, 1)):
        assert "1 April 2026 Due today Open" in requests_section(ig_client.get(url))
