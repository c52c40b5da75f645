"""NHS numbers: ten digits, the last a modulus-11 check digit."""

import nhs_number
from django.core.exceptions import ValidationError


def normalise(value: str) -> str:
    """Digits only, as stored: '943 476 5919' → '9434765919'."""
    return "".join(ch for ch in value if not ch.isspace() and ch != "-")


def validate(value: str) -> None:
    digits = normalise(value)
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 10:
        raise ValidationError("NHS number must be 10 digits", code="nhs_number_length")
    if not nhs_number.is_valid(digits):
        raise ValidationError(
            "This is not a valid NHS number: check each digit", code="nhs_number_check_digit"
        )


def formatted(value: str) -> str:
    """Shown as 3-3-4: 943 476 5919."""
    if len(value) != 10:
        return value
    return f"{value[:3]} {value[3:6]} {value[6:]}"
