"""Dates as people in England read them: 3 March 2026, ages in whole years."""

import calendar
import datetime
import functools

import holidays
from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    """Age in completed years on a given day."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (29 February falls back to 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` calendar months later; when that month is too short for it,
    the month's last day (31 January + 1 month = 28 February, or 29 in a leap year).

    This is how the ICO counts "one calendar month" for a subject access request (UK GDPR Article
    12(3); ICO, "Right of access: time limits for responding") and how a period "in months" or
    "in years" (12 months each) is read in law (Interpretation Act 1978, Schedule 1: "month" means
    calendar month)."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` calendar months earlier, or that month's last day when it is too
    short (31 March - 1 month = 28 February): `months_after` counted back, as the months a page offers
    to look back over are."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.month - 1 - months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_in_words(months: int) -> str:
    """A period of calendar months as people say it: "6 months", "1 year", "6 years", "18 months"."""
    if months and months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.isoweekday() < 6 and not bank_holidays(day, day)


def next_working_day(day: datetime.date) -> datetime.date:
    """The day itself when it is a working day, or else the next one: a deadline that falls on a weekend
    or a bank holiday moves to the next working day (ICO, "Right of access: time limits for
    responding")."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def working_days_after(day: datetime.date, count: int) -> datetime.date:
    """The `count`th working day after `day` (the day itself not counted), skipping weekends and bank
    holidays in England and Wales."""
    if count < 0:
        raise ValueError("count must not be negative")
    closed = days_off(day, day + datetime.timedelta(days=count * 2 + 14))
    while count:
        day += datetime.timedelta(days=1)
        if day not in closed:
            count -= 1
    return day


def working_days_between(since: datetime.date, until: datetime.date) -> int:
    """Working days after `since` up to and including `until` (0 when `until` is not later)."""
    if until <= since:
        return 0
    start = since + datetime.timedelta(days=1)
    return (until - since).days - len(days_off(start, until))


def days_between(since: datetime.date, until: datetime.date) -> list[datetime.date]:
    """Every day from `since` to `until`, both included."""
    return [since + datetime.timedelta(days=n) for n in range((until - since).days + 1)]


@functools.cache
def _bank_holidays_in(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def bank_holidays(since: datetime.date, until: datetime.date) -> set[datetime.date]:
    """Bank holidays in England between two days (inclusive), substitute days included, from the
    `holidays` package (England and Wales share the list), never a hand-typed one."""
    found = set().union(*(_bank_holidays_in(year) for year in range(since.year, until.year + 1)))
    return {day for day in found if since <= day <= until}


def days_off(since: datetime.date, until: datetime.date) -> set[datetime.date]:
    """Saturdays, Sundays and bank holidays in England between two days (inclusive)."""
    weekends = {day for day in days_between(since, until) if day.isoweekday() >= 6}
    return weekends | bank_holidays(since, until)


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of a day, local time (GMT or BST, whichever is in force)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def format_date(value: datetime.date | None) -> str:
    if not value:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime.datetime | None) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"
