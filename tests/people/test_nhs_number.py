"""NHS numbers: typed loosely, stored as ten digits, checked with the modulus-11 check digit."""

import pytest
from django.core.exceptions import ValidationError

from dsr.people import nhs_number

LENGTH = "NHS number must be 10 digits"
CHECK_DIGIT = "This is not a valid NHS number: check each digit"


def modulus_11_check_digit(body: str) -> int:
    """The NHS check digit of nine digits, worked out independently of the code under test (11 for 0)."""
    total = sum(int(digit) * weight for digit, weight in zip(body, range(10, 1, -1), strict=True))
    return 11 - total % 11


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("9434765919", "9434765919"),
        ("943 476 5919", "9434765919"),
        ("943-476-5919", "9434765919"),
        (" 943 476 5919 ", "9434765919"),
        ("943\t476\u00a05919", "9434765919"),
        ("", ""),
        ("   ", ""),
        ("943476591X", "943476591X"),
    ],
)
def test_nhs_number_is_stored_without_spaces_or_dashes(typed, stored):
    assert nhs_number.normalise(typed) == stored


@pytest.mark.parametrize(
    "number",
    ["9434765919", "943 476 5919", "4010232137", "9434765080", "9990000018"],
)
def test_valid_nhs_numbers_are_accepted(number):
    nhs_number.validate(number)


@pytest.mark.parametrize(
    "number, message",
    [
        ("9434765918", CHECK_DIGIT),
        ("9434765910", CHECK_DIGIT),
        ("4934765919", CHECK_DIGIT),
        ("943476591", LENGTH),
        ("94347659190", LENGTH),
        ("", LENGTH),
        ("943476591X", LENGTH),
        ("NHS9434765", LENGTH),
        ("943.476.5919", LENGTH),
        ("٩٤٣٤٧٦٥٩١٩", LENGTH),
        ("９４３４７６５９１９", LENGTH),
    ],
)
def test_nhs_numbers_that_are_not_valid_are_refused_with_a_clear_message(number, message):
    with pytest.raises(ValidationError) as refused:
        nhs_number.validate(number)

    assert refused.value.messages == [message]


@pytest.mark.parametrize("body", ["943476503", "943476517"])
def test_a_number_whose_check_digit_would_be_10_is_never_valid(body):
    assert modulus_11_check_digit(body) == 10
    for last in "0123456789":
        with pytest.raises(ValidationError) as refused:
            nhs_number.validate(body + last)
        assert refused.value.messages == [CHECK_DIGIT]


def test_every_check_digit_but_the_right_one_is_refused():
    body = "943476591"
    right = modulus_11_check_digit(body) % 11
    nhs_number.validate(body + str(right))
    for wrong in set("0123456789") - {str(right)}:
        with pytest.raises(ValidationError):
            nhs_number.validate(body + wrong)


@pytest.mark.parametrize(
    "stored, shown",
    [
        ("9434765919", "943 476 5919"),
        ("4010232137", "401 023 2137"),
        ("", ""),
        ("943476591", "943476591"),
    ],
)
def test_nhs_number_is_shown_as_three_three_four(stored, shown):
    assert nhs_number.formatted(stored) == shown
