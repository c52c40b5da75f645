import datetime

import pytest

from dsr.workspace.transition import turns_adult_within

D = datetime.date


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        # Six calendar months ahead, the last day included.
        (D(2008, 9, 1), D(2026, 3, 1), D(2026, 9, 1)),
        (D(2008, 9, 2), D(2026, 3, 1), None),
        # Already 18 on the day: no longer turning 18; the day after is.
        (D(2008, 3, 1), D(2026, 3, 1), None),
        (D(2008, 3, 2), D(2026, 3, 1), D(2026, 3, 2)),
        # From the end of a long month, six months ahead ends on the shorter month's last day.
        (D(2008, 2, 28), D(2025, 8, 31), D(2026, 2, 28)),
        (D(2008, 3, 1), D(2025, 8, 31), None),
        # From a short month's last day, the same day of the month: 30 September to 30 March.
        (D(2006, 3, 30), D(2023, 9, 30), D(2024, 3, 30)),
        (D(2006, 3, 31), D(2023, 9, 30), None),
        (D(2006, 2, 28), D(2023, 8, 31), D(2024, 2, 28)),
        # Born on 29 February: 18 on 1 March (18 years after a leap year is never one).
        (D(2008, 2, 29), D(2025, 9, 1), D(2026, 3, 1)),
        (D(2008, 2, 29), D(2025, 8, 31), None),
        (D(2008, 2, 29), D(2026, 2, 28), D(2026, 3, 1)),
        (D(2008, 2, 29), D(2026, 3, 1), None),
        (D(2012, 2, 29), D(2029, 9, 1), D(2030, 3, 1)),
        (D(2012, 2, 29), D(2029, 8, 31), None),
        # Looking ahead from 29 February of a leap year.
        (D(2010, 8, 29), D(2028, 2, 29), D(2028, 8, 29)),
        (D(2010, 8, 30), D(2028, 2, 29), None),
        # Adults and young children are not turning 18 soon.
        (D(1990, 5, 5), D(2026, 3, 1), None),
        (D(2015, 5, 5), D(2026, 3, 1), None),
    ],
)
def test_eighteenth_birthday_within_six_months(born, on, expected):
    assert turns_adult_within(born, on) == expected


def test_the_window_can_be_shorter():
    assert turns_adult_within(D(2008, 9, 1), D(2026, 3, 1), months=3) is None
    assert turns_adult_within(D(2008, 6, 1), D(2026, 3, 1), months=3) == D(2026, 6, 1)
