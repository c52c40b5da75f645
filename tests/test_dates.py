"""Dates as people in England read them: ages in completed years, today in London, calendar months, and
working days that skip weekends and England and Wales bank holidays."""

import datetime

import pytest
import time_machine

from dsr.dates import (
    age_on,
    format_date,
    format_datetime,
    is_working_day,
    months_after,
    months_before,
    months_in_words,
    next_working_day,
    today,
    working_days_after,
    working_days_between,
    years_before,
)

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


@pytest.mark.parametrize(
    "day, months, later",
    [
        # The same day of the month.
        (D(2026, 3, 3), 1, D(2026, 4, 3)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        # The month after has no such day: its last day.
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 1, 29), 1, D(2026, 2, 28)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        # Years are twelve months: 29 February falls back to 28 February in a common year.
        (D(2028, 2, 29), 72, D(2034, 2, 28)),
        (D(2028, 2, 29), 48, D(2032, 2, 29)),
        (D(2026, 6, 30), 12, D(2027, 6, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 3, 3), 0, D(2026, 3, 3)),
    ],
)
def test_calendar_months_land_on_the_same_day_or_the_months_last_day(day, months, later):
    assert months_after(day, months) == later


def test_a_negative_number_of_months_is_refused():
    with pytest.raises(ValueError):
        months_after(D(2026, 3, 3), -1)
    with pytest.raises(ValueError):
        months_before(D(2026, 3, 3), -1)


@pytest.mark.parametrize(
    "day, months, earlier",
    [
        (D(2026, 4, 3), 1, D(2026, 3, 3)),
        # Back over the turn of the year.
        (D(2027, 1, 1), 1, D(2026, 12, 1)),
        (D(2026, 12, 1), 23, D(2025, 1, 1)),
        # The month before has no such day: its last day, 29 February in a leap year.
        (D(2026, 3, 31), 1, D(2026, 2, 28)),
        (D(2028, 3, 31), 1, D(2028, 2, 29)),
        (D(2026, 5, 31), 1, D(2026, 4, 30)),
        (D(2032, 2, 29), 48, D(2028, 2, 29)),
        (D(2026, 3, 3), 0, D(2026, 3, 3)),
    ],
)
def test_calendar_months_back_land_on_the_same_day_or_the_months_last_day(day, months, earlier):
    assert months_before(day, months) == earlier


@pytest.mark.parametrize(
    "months, words",
    [(1, "1 month"), (6, "6 months"), (12, "1 year"), (18, "18 months"), (72, "6 years"), (0, "0 months")],
)
def test_periods_are_said_in_months_or_whole_years(months, words):
    assert months_in_words(months) == words


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2026, 12, 4), True),  # a Friday
        (D(2026, 12, 5), False),  # a Saturday
        (D(2026, 12, 6), False),  # a Sunday
        (D(2026, 12, 25), False),  # Christmas Day, a Friday
        (D(2026, 12, 28), False),  # Boxing Day falls on Saturday: the Monday is the bank holiday
        (D(2027, 3, 29), False),  # Easter Monday 2027
        (D(2027, 3, 26), False),  # Good Friday 2027
        (D(2026, 8, 31), False),  # summer bank holiday in England (not in Scotland)
        (D(2027, 1, 4), True),  # 2 January is a bank holiday in Scotland only
    ],
)
def test_working_days_skip_weekends_and_england_and_wales_bank_holidays(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    "day, next_one",
    [
        (D(2026, 12, 4), D(2026, 12, 4)),
        (D(2026, 12, 5), D(2026, 12, 7)),
        (D(2026, 12, 25), D(2026, 12, 29)),
        (D(2027, 3, 26), D(2027, 3, 30)),
        (D(2027, 1, 1), D(2027, 1, 4)),
    ],
)
def test_a_day_off_moves_to_the_next_working_day(day, next_one):
    assert next_working_day(day) == next_one


@pytest.mark.parametrize(
    "day, count, later",
    [
        (D(2026, 12, 7), 5, D(2026, 12, 14)),  # Monday + 5 working days = the next Monday
        (D(2026, 12, 18), 5, D(2026, 12, 29)),  # over Christmas: 21, 22, 23, 24 and 29 December
        (D(2026, 12, 23), 3, D(2026, 12, 30)),  # 24, 29, 30
        (D(2027, 3, 25), 1, D(2027, 3, 30)),  # Thursday before Easter: Friday and Monday are holidays
        (D(2026, 12, 5), 1, D(2026, 12, 7)),  # from a Saturday
        (D(2026, 12, 7), 0, D(2026, 12, 7)),
    ],
)
def test_working_days_after_a_day(day, count, later):
    assert working_days_after(day, count) == later


@pytest.mark.parametrize(
    "since, until, count",
    [
        (D(2026, 12, 7), D(2026, 12, 14), 5),
        (D(2026, 12, 23), D(2026, 12, 30), 3),
        (D(2026, 12, 7), D(2026, 12, 7), 0),
        (D(2026, 12, 14), D(2026, 12, 7), 0),
    ],
)
def test_working_days_between_two_days(since, until, count):
    assert working_days_between(since, until) == count
