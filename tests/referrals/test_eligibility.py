"""Eligibility from the register's policy: age range, diagnosis, or a waiting list up to an age limit."""

import datetime

import pytest

from dsr.dates import years_before
from dsr.referrals import eligibility
from dsr.registers.models import Register

ON = datetime.date(2026, 6, 15)


def policy(**overrides) -> Register:
    values = {
        "short_name": "Kent",
        "min_age": 0,
        "max_age": 25,
        "waiting_list_eligible": True,
        "waiting_list_max_age": 18,
    }
    values.update(overrides)
    return Register(**values)


def born_aged(age: int, *, days_to_birthday: int = 30) -> datetime.date:
    """A date of birth giving `age` on ON, with the next birthday `days_to_birthday` away."""
    return years_before(ON + datetime.timedelta(days=days_to_birthday), age + 1)


def assess(register, *, age=None, born=None, autism="diagnosed", learning_disability="neither"):
    return eligibility.assess(
        register=register,
        date_of_birth=born or born_aged(age),
        autism=autism,
        learning_disability=learning_disability,
        on=ON,
    )


@pytest.mark.parametrize(
    ("age", "eligible"),
    [(13, False), (14, True), (18, True), (25, True), (26, False)],
)
def test_age_must_be_inside_the_registers_range(age, eligible):
    result, reasons = assess(policy(min_age=14, max_age=25), age=age)
    assert result is eligible
    assert any(("Too" in r) != eligible for r in reasons)


def test_the_day_before_the_26th_birthday_is_still_25_and_the_birthday_itself_is_not():
    register = policy(max_age=25)
    assert assess(register, born=years_before(ON, 26) + datetime.timedelta(days=1))[0] is True
    eligible, reasons = assess(register, born=years_before(ON, 26))
    assert eligible is False
    assert reasons[0] == "Too old: 26 years old, and Kent is for ages 0 to 25"


@pytest.mark.parametrize(
    ("autism", "learning_disability", "eligible", "reason"),
    [
        ("diagnosed", "neither", True, "Diagnosed with autism"),
        ("neither", "diagnosed", True, "Diagnosed with a learning disability"),
        ("diagnosed", "diagnosed", True, "Diagnosed with autism and a learning disability"),
        ("diagnosed", "waiting", True, "Diagnosed with autism"),
        (
            "neither",
            "neither",
            False,
            "No diagnosis of autism or a learning disability, and not on an assessment waiting list",
        ),
    ],
)
def test_a_diagnosis_of_autism_or_a_learning_disability_is_needed(
    autism, learning_disability, eligible, reason
):
    result, reasons = assess(policy(), age=12, autism=autism, learning_disability=learning_disability)
    assert result is eligible
    assert reasons[-1] == reason


@pytest.mark.parametrize(("age", "eligible"), [(17, True), (18, True), (19, False)])
def test_a_waiting_list_counts_only_up_to_the_registers_waiting_list_age(age, eligible):
    result, reasons = assess(policy(waiting_list_max_age=18), age=age, autism="waiting")
    assert result is eligible
    if eligible:
        assert reasons[-1] == "On an NHS assessment waiting list for autism, which Kent accepts up to age 18"
    else:
        assert reasons[-1] == (
            "On an NHS assessment waiting list for autism, but Kent accepts people on a waiting list only "
            "up to age 18"
        )


def test_a_register_that_does_not_take_waiting_lists_says_so():
    eligible, reasons = assess(policy(waiting_list_eligible=False), age=10, autism="waiting")
    assert eligible is False
    assert (
        reasons[-1]
        == "On an NHS assessment waiting list for autism, but Kent accepts only people with a diagnosis"
    )


def test_every_failing_rule_is_given_as_a_reason():
    eligible, reasons = assess(policy(max_age=17), age=30, autism="neither")
    assert eligible is False
    assert len(reasons) == 2
    assert reasons[0].startswith("Too old: 30 years old")
    assert reasons[1].startswith("No diagnosis")
