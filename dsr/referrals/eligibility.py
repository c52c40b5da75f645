"""Who a register is for, worked out from its policy. It advises; the coordinator decides.

The rules are the register's policy data (DESIGN.md §3): an age range; a diagnosis of autism
and/or a learning disability; or, where the register allows it, a place on an NHS assessment
waiting list up to the register's waiting-list age limit.
"""

import datetime

from dsr.dates import age_on
from dsr.referrals.models import DiagnosisAnswer
from dsr.registers.models import Register


def _years(age: int) -> str:
    return f"{age} year{'' if age == 1 else 's'} old"


def age_reasons(*, register: Register, age: int) -> tuple[bool, list[str]]:
    """Whether the age is inside the register's range, with the reason."""
    if age < register.min_age:
        return False, [
            f"Too young: {_years(age)}, and {register.short_name} is for ages "
            f"{register.min_age} to {register.max_age}"
        ]
    if age > register.max_age:
        return False, [
            f"Too old: {_years(age)}, and {register.short_name} is for ages "
            f"{register.min_age} to {register.max_age}"
        ]
    return True, [
        f"Age {age} is within {register.short_name}'s range of {register.min_age} to {register.max_age}"
    ]


def diagnosis_reasons(
    *, register: Register, age: int, autism: str, learning_disability: str
) -> tuple[bool, list[str]]:
    """Whether a diagnosis, or a place on an assessment waiting list, meets the register's policy."""
    diagnosed = [
        name
        for name, answer in (("autism", autism), ("a learning disability", learning_disability))
        if answer == DiagnosisAnswer.DIAGNOSED
    ]
    if diagnosed:
        return True, [f"Diagnosed with {' and '.join(diagnosed)}"]
    waiting = [
        name
        for name, answer in (("autism", autism), ("a learning disability", learning_disability))
        if answer == DiagnosisAnswer.WAITING
    ]
    if not waiting:
        return False, [
            "No diagnosis of autism or a learning disability, and not on an assessment waiting list"
        ]
    on_list = f"On an NHS assessment waiting list for {' and '.join(waiting)}"
    if not register.waiting_list_eligible:
        return False, [f"{on_list}, but {register.short_name} accepts only people with a diagnosis"]
    if age > register.waiting_list_max_age:
        return False, [
            f"{on_list}, but {register.short_name} accepts people on a waiting list only up to age "
            f"{register.waiting_list_max_age}"
        ]
    return True, [f"{on_list}, which {register.short_name} accepts up to age {register.waiting_list_max_age}"]


def assess(
    *,
    register: Register,
    date_of_birth: datetime.date,
    autism: str,
    learning_disability: str,
    on: datetime.date,
) -> tuple[bool, list[str]]:
    """Eligibility for the register on a date: (eligible, the reasons for and against)."""
    age = age_on(date_of_birth, on)
    age_ok, age_why = age_reasons(register=register, age=age)
    diagnosis_ok, diagnosis_why = diagnosis_reasons(
        register=register, age=age, autism=autism, learning_disability=learning_disability
    )
    return age_ok and diagnosis_ok, [*age_why, *diagnosis_why]


def for_referral(referral, *, on: datetime.date) -> tuple[bool, list[str]]:
    """Eligibility of a referral's person for its register on a date."""
    return assess(
        register=referral.register,
        date_of_birth=referral.date_of_birth,
        autism=referral.autism,
        learning_disability=referral.learning_disability,
        on=on,
    )
