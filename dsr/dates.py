"""Dates as people in England read them: 3 March 2026, ages in whole years."""

import datetime

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


def days_between(since: datetime.date, until: datetime.date) -> list[datetime.date]:
    """Every day from `since` to `until`, both included."""
    return [since + datetime.timedelta(days=n) for n in range((until - since).days + 1)]


def bank_holidays(since: datetime.date, until: datetime.date) -> set[datetime.date]:
    """Bank holidays in England between two days (inclusive), substitute days included, from the
    `holidays` package (England and Wales share the list), never a hand-typed one."""
    found = holidays.UK(subdiv="ENG", years=range(since.year, until.year + 1))
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
