"""The disclosure rule (dsr.reports.disclosure): worked examples, totals, and that no hidden figure can be
worked out from the figures shown around it."""

from collections import defaultdict
from functools import cache
from itertools import product

import pytest

from dsr.reports.disclosure import Figure, disclose, disclose_breakdown, disclose_total


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, "0"),
        (1, "*"),
        (7, "*"),
        (8, "10"),
        (12, "10"),
        (13, "15"),
        (15, "15"),
        (17, "15"),
        (18, "20"),
        (97, "95"),
        (1234, "1,235"),
    ],
)
def test_a_count_is_hidden_from_1_to_7_and_otherwise_rounded_to_the_nearest_5(count, shown):
    assert disclose(count).shown == shown
    assert disclose(count).suppressed == (shown == "*")
    assert str(disclose(count)) == shown


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        disclose(-1)


def test_a_total_is_rounded_from_the_exact_counts_not_added_up_from_the_rounded_ones():
    # 8 + 8 + 8 = 24, shown as 25; the rounded figures (10 each) would add up to 30.
    assert disclose_total([8, 8, 8]) == Figure("25", suppressed=False)
    # Three hidden figures can add up to a total that is shown.
    assert disclose_total([3, 3, 3]) == Figure("10", suppressed=False)
    # And a small total is hidden like any other figure.
    assert disclose_total([2, 0, 3]).shown == "*"


def test_a_breakdown_with_no_small_figure_is_rounded_figure_by_figure():
    assert [f.shown for f in disclose_breakdown([0, 8, 13, 97])] == ["0", "10", "15", "95"]


def test_one_small_figure_hides_every_other_figure_in_its_breakdown_but_not_the_zeros():
    assert [f.shown for f in disclose_breakdown([12, 0, 3, 40])] == ["*", "0", "*", "*"]
    assert all(f.suppressed for f in disclose_breakdown([3, 20]))


# What the report page shows for a register: the total, then each breakdown of it (the ratings, and
# children and adults).
def published(total: int, breakdowns: tuple[tuple[int, ...], ...], rule=disclose_breakdown) -> tuple:
    return disclose(total).shown, tuple(_shown(rule, b) for b in breakdowns)


@cache
def _shown(rule, breakdown: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(f.shown for f in rule(breakdown))


def hidden_one_by_one(counts):
    """The rule without secondary suppression: each figure disclosed on its own."""
    return [disclose(count) for count in counts]


def registers(largest: int):
    """Every register with three rating figures of 0 to `largest` people each, its people split every
    possible way between children and adults."""
    for rated in product(range(largest + 1), repeat=3):
        total = sum(rated)
        for children in range(total + 1):
            yield total, (rated, (children, total - children))


# Registers with up to this many people in each rating: every figure class (0, 1 to 7, 10, 15 and more
# for the total and the ages) and both edges of the 8 to 12 band.
LARGEST = 14


@cache
def values_behind(rule=disclose_breakdown) -> dict:
    """For each page the registers publish: every true value behind the total and behind each figure of
    each breakdown."""
    behind = defaultdict(lambda: defaultdict(set))
    for total, breakdowns in registers(LARGEST):
        page = published(total, breakdowns, rule)
        behind[page]["total"].add(total)
        for b, breakdown in enumerate(breakdowns):
            for i, count in enumerate(breakdown):
                behind[page][(b, i)].add(count)
    return behind


def test_no_hidden_figure_on_any_small_register_can_be_worked_out_from_the_figures_around_it():
    """Each hidden figure has at least two true values that give exactly the same page. Registers with
    the most people in a rating only supply alternatives (as registers one larger would for them)."""
    behind = values_behind()
    checked = 0
    for total, breakdowns in registers(LARGEST - 1):
        page = published(total, breakdowns)
        if page[0] == "*":
            assert len(behind[page]["total"]) >= 2, (total, breakdowns, page)
        for b, shown in enumerate(page[1]):
            for i, text in enumerate(shown):
                if text == "*":
                    checked += 1
                    assert len(behind[page][(b, i)]) >= 2, (total, breakdowns, page, (b, i))
    assert checked > 50_000


def test_hiding_only_the_small_figures_would_let_them_be_worked_out():
    """Why the whole breakdown is hidden: three ratings of 7 in a register of 21 people, 8 children and
    13 adults. Shown one by one, the adults and children (10 and 15) are at least 21 and the total (20) at
    most 22, so the three ratings must add up to 21 and each be 7."""
    page = published(21, ((7, 7, 7), (8, 13)), rule=hidden_one_by_one)
    assert page == ("20", (("*", "*", "*"), ("10", "15")))
    assert values_behind(hidden_one_by_one)[page][(0, 0)] == {7}

    page = published(21, ((7, 7, 7), (8, 13)))
    assert page == ("20", (("*", "*", "*"), ("10", "15")))
    assert values_behind()[page][(0, 0)] >= set(range(1, 8))


def test_a_hidden_figure_in_a_row_with_exact_totals_cannot_be_worked_out():
    """The old page showed exact totals and hid only figures under 5: 24 people, 12 red, 9 amber and
    "fewer than 5" green left 3 green. Now every value from 1 to 7 is consistent with what is shown."""
    page = published(24, ((12, 9, 3), (10, 14)))
    assert page == ("25", (("*", "*", "*"), ("10", "15")))
    assert values_behind()[page][(0, 2)] >= set(range(1, 8))


def test_children_and_adults_hide_each_other_when_one_is_small():
    page = published(23, ((8, 15, 0), (3, 20)))
    assert page == ("25", (("10", "15", "0"), ("*", "*")))
    assert values_behind()[page][(1, 0)] >= set(range(1, 8))


def test_a_figure_for_some_of_the_people_on_a_register_cannot_be_worked_out_either():
    """Figures that stand alone but count some of the register's people (overdue reviews): every
    register of up to 30 people, split into children and adults, with any number of them overdue."""
    tables = [
        (total, children, overdue)
        for total in range(31)
        for children in range(total + 1)
        for overdue in range(total + 1)
    ]

    def page_of(total, children, overdue):
        return (
            disclose(total).shown,
            _shown(disclose_breakdown, (children, total - children)),
            disclose(overdue).shown,
        )

    behind = defaultdict(lambda: defaultdict(set))
    for total, children, overdue in tables:
        for position, count in enumerate((total, children, total - children, overdue)):
            behind[page_of(total, children, overdue)][position].add(count)
    for total, children, overdue in tables:
        if total > 28:
            continue
        page = page_of(total, children, overdue)
        for position, text in enumerate((page[0], *page[1], page[2])):
            if text == "*":
                assert len(behind[page][position]) >= 2, (total, children, overdue, position)
