"""Dates as people in England read them: ages in completed years, today in London."""

import datetime

import pytest
import time_machine

from dsr.dates import age_on, format_date, format_datetime, today, years_before

D = datetime.date
UTC = datetime.UTC


@pytest.mark.parametrize(
    "born, on, age",
    [
        # The 18th birthday: 17 years and 364 days is still 17.
        (D(2008, 3, 3), D(2026, 3, 2), 17),
        (D(2008, 3, 3), D(2026, 3, 3), 18),
        (D(2008, 3, 3), D(2026, 3, 4), 18),
        # Born on 29 February: in a common year the birthday is 1 March.
        (D(2008, 2, 29), D(2026, 2, 28), 17),
        (D(2008, 2, 29), D(2026, 3, 1), 18),
        (D(2008, 2, 29), D(2028, 2, 28), 19),
        (D(2008, 2, 29), D(2028, 2, 29), 20),
        # The 16th birthday (consent under the Mental Capacity Act).
        (D(2010, 6, 15), D(2026, 6, 14), 15),
        (D(2010, 6, 15), D(2026, 6, 15), 16),
        # New Year's Eve babies.
        (D(2010, 12, 31), D(2011, 1, 1), 0),
        (D(2010, 12, 31), D(2011, 12, 30), 0),
        (D(2010, 12, 31), D(2011, 12, 31), 1),
        (D(2026, 3, 3), D(2026, 3, 3), 0),
    ],
)
def test_age_is_counted_in_completed_years(born, on, age):
    assert age_on(born, on) == age


@pytest.mark.parametrize(
    "day, years, earlier",
    [
        (D(2026, 3, 3), 18, D(2008, 3, 3)),
        (D(2026, 3, 3), 0, D(2026, 3, 3)),
        (D(2028, 2, 29), 4, D(2024, 2, 29)),
        (D(2028, 2, 29), 1, D(2027, 2, 28)),
        (D(2028, 2, 29), 18, D(2010, 2, 28)),
        (D(2026, 12, 31), 6, D(2020, 12, 31)),
    ],
)
def test_years_before_is_the_same_calendar_day_with_29_february_falling_back(day, years, earlier):
    assert years_before(day, years) == earlier


@pytest.mark.parametrize("day", [D(2026, 3, 3), D(2028, 2, 29), D(2026, 1, 1), D(2026, 12, 31)])
@pytest.mark.parametrize("years", [0, 1, 16, 18, 25])
def test_someone_born_that_many_years_before_is_that_age(day, years):
    assert age_on(years_before(day, years), day) == years


@pytest.mark.parametrize(
    "now, day",
    [
        (datetime.datetime(2026, 3, 3, 12, 0, tzinfo=UTC), D(2026, 3, 3)),
        # Summer time: 23:30 UTC is 00:30 the next day in London.
        (datetime.datetime(2026, 6, 30, 23, 30, tzinfo=UTC), D(2026, 7, 1)),
        # Winter: London is on UTC.
        (datetime.datetime(2026, 12, 31, 23, 30, tzinfo=UTC), D(2026, 12, 31)),
        (datetime.datetime(2027, 1, 1, 0, 0, tzinfo=UTC), D(2027, 1, 1)),
    ],
)
def test_today_is_the_day_in_london(now, day):
    with time_machine.travel(now, tick=False):
        assert today() == day


@pytest.mark.parametrize(
    "value, shown",
    [
        (D(2026, 3, 3), "3 March 2026"),
        (D(2026, 12, 25), "25 December 2026"),
        (None, ""),
    ],
)
def test_dates_are_shown_without_leading_zeros(value, shown):
    assert format_date(value) == shown


@pytest.mark.parametrize(
    "value, shown",
    [
        (datetime.datetime(2026, 7, 1, 8, 5, tzinfo=UTC), "1 July 2026 at 09:05"),
        (datetime.datetime(2026, 1, 9, 8, 5, tzinfo=UTC), "9 January 2026 at 08:05"),
        (None, ""),
    ],
)
def test_times_are_shown_in_london_time(value, shown):
    assert format_datetime(value) == shown
