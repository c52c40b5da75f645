"""Statistical disclosure control: how every count shown outside the care team is written.

The rule is the one NHS England (formerly NHS Digital) applies to its published statistics about
people with a learning disability and autistic people, such as the Learning Disability Services
Monthly Statistics (Assuring Transformation and MHSDS data): a count from 1 to 7 is replaced by "*",
every other count is rounded to the nearest 5, and a total is worked out from the exact counts and
only then rounded, so it need not equal the sum of the figures shown. It serves the Anonymisation
Standard for Publishing Health and Social Care Data (ISB 1523) and the Office for National
Statistics' disclosure control guidance for health statistics: no published figure, alone or with the
figures around it, may identify a person.

Rounding: to the nearest multiple of 5 (8 -> 10, 12 -> 10, 13 -> 15, 97 -> 95, 1234 -> 1235). A
whole number is never half way between two multiples of 5, so no tie arises and none needs breaking.

Secondary suppression: figures that split one total between them (people by rating, children and
adults) are a breakdown. If any figure in a breakdown is from 1 to 7, every figure in it that is not
zero is shown as "*". Hiding only the small figure, or it and one neighbour, is not enough once the
total is known to within a few people: with three ratings of 7 in a register of 21, whose children
and adults are shown as 10 and 15, the adults and children are at least 8 + 13 = 21 and the total
("20") at most 22, so the register holds exactly 21 people and every hidden rating must be 7. When
every figure in the breakdown is hidden, a "*" there can stand for any number of people, and the
figures can always be shifted between two of them (or one person added or taken away) without
changing anything shown; tests/reports/test_disclosure.py checks that over every small register.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SUPPRESSED = "*"
# Counts from 1 to this are hidden.
LARGEST_HIDDEN = 7
ROUND_TO = 5


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown: `shown` is the text, `suppressed` says it is hidden."""

    shown: str
    suppressed: bool

    def __str__(self) -> str:
        return self.shown


HIDDEN = Figure(SUPPRESSED, suppressed=True)


def disclose(count: int) -> Figure:
    """One count as it may be shown: 0 as 0, 1 to 7 as "*", anything else rounded to the nearest 5."""
    if count < 0:
        raise ValueError(f"A count cannot be negative: {count}")
    if count == 0:
        return Figure("0", suppressed=False)
    if count <= LARGEST_HIDDEN:
        return HIDDEN
    rounded = ROUND_TO * ((count + ROUND_TO // 2) // ROUND_TO)
    return Figure(f"{rounded:,}", suppressed=False)


def disclose_total(counts: Iterable[int]) -> Figure:
    """A total as it may be shown: the exact counts added up, then disclosed, never the rounded figures."""
    return disclose(sum(counts))


def disclose_breakdown(counts: Sequence[int]) -> list[Figure]:
    """Counts that split one total, as they may be shown: all hidden but the zeros when any is 1 to 7."""
    figures = [disclose(count) for count in counts]
    if any(figure.suppressed for figure in figures):
        return [figure if count == 0 else HIDDEN for count, figure in zip(counts, figures, strict=True)]
    return figures
