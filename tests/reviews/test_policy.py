"""The policy rules, unit-tested from tables: review type by age, preparation, what each rating requires, and
when an action is overdue or offered for escalation. The register's policy is the default (national) one."""

import datetime

import pytest

from dsr.dates import format_date
from dsr.registers.models import Register
from dsr.reviews import policy
from dsr.reviews.policy import Facts

D = datetime.date
TODAY = D(2026, 3, 1)
CHILD = D(2014, 6, 1)  # 11 on TODAY
ADULT = D(2000, 6, 1)  # 25 on TODAY
OLDER = D(1990, 6, 1)  # 35 on TODAY: too old for a keyworker


def national() -> Register:
    """A register with the policy's defaults (not saved: the rules are pure)."""
    return Register(name="Test", short_name="Test")


@pytest.mark.parametrize(
    ("born", "review_on", "expected"),
    [
        (D(2008, 3, 2), D(2026, 3, 1), "cetr"),  # 17 years and 364 days
        (D(2008, 3, 1), D(2026, 3, 1), "ctr"),  # the 18th birthday
        (D(2008, 3, 1), D(2026, 2, 28), "cetr"),  # the day before it
        (D(2008, 2, 29), D(2026, 2, 28), "cetr"),  # born on 29 February: 18 on 1 March
        (D(2008, 2, 29), D(2026, 3, 1), "ctr"),
        (D(2020, 1, 1), D(2026, 3, 1), "cetr"),
        (D(1970, 1, 1), D(2026, 3, 1), "ctr"),
    ],
)
def test_the_review_type_follows_the_age_on_the_review_date(born, review_on, expected):
    assert policy.review_type(date_of_birth=born, review_on=review_on) == expected


def test_a_laep_is_possible_only_for_under_18s():
    assert "laep" in policy.allowed_kinds(date_of_birth=D(2008, 3, 2), review_on=D(2026, 3, 1))
    assert "laep" not in policy.allowed_kinds(date_of_birth=D(2008, 3, 1), review_on=D(2026, 3, 1))


@pytest.mark.parametrize(
    ("born", "review_on", "kind", "refused"),
    [
        # 18 on 2 March 2026: the day before, the birthday and the day after.
        (D(2008, 3, 2), D(2026, 3, 1), "cetr", False),
        (D(2008, 3, 2), D(2026, 3, 1), "laep", False),
        (D(2008, 3, 2), D(2026, 3, 1), "ctr", True),
        (D(2008, 3, 2), D(2026, 3, 2), "cetr", True),
        (D(2008, 3, 2), D(2026, 3, 2), "laep", True),
        (D(2008, 3, 2), D(2026, 3, 2), "ctr", False),
        (D(2008, 3, 2), D(2026, 3, 3), "cetr", True),
        (D(2008, 3, 2), D(2026, 3, 3), "ctr", False),
        # Born on 29 February: 17 on 28 February, 18 on 1 March.
        (D(2008, 2, 29), D(2026, 2, 28), "laep", False),
        (D(2008, 2, 29), D(2026, 3, 1), "laep", True),
        (D(2008, 2, 29), D(2026, 3, 1), "ctr", False),
        # A commissioner oversight visit is for any age.
        (D(2008, 3, 2), D(2026, 3, 1), "oversight_visit", False),
        (D(1970, 1, 1), D(2026, 3, 1), "oversight_visit", False),
    ],
)
def test_a_kind_of_review_is_refused_by_the_age_on_the_review_date(born, review_on, kind, refused):
    refusal = policy.kind_refusal(kind=kind, name="Kai", date_of_birth=born, review_on=review_on)
    assert bool(refusal) == refused
    if refused:
        assert f"their 18th birthday is {format_date(policy.adult_from(born))}" in refusal


def test_the_refusal_says_the_age_on_the_day_and_names_the_18th_birthday():
    assert policy.kind_refusal(
        kind="cetr", name="Kai", date_of_birth=D(2008, 2, 29), review_on=D(2026, 3, 1)
    ) == (
        "Kai is 18 on the date of the review, 1 March 2026, and their 18th birthday is 1 March 2026: "
        "choose a CTR. A CETR is for a review before the 18th birthday"
    )
    assert policy.kind_refusal(kind="laep", name="Kai", date_of_birth=D(2000, 6, 1), review_on=TODAY) == (
        "Kai is 25 on the date of the review, 1 March 2026, and their 18th birthday is 1 June 2018: "
        "a LAEP is only for under-18s, choose a CTR"
    )


def test_the_hint_names_the_18th_birthday_whatever_the_date():
    assert policy.kind_hint(name="Kai", date_of_birth=D(2008, 2, 29)).startswith(
        "Kai's 18th birthday is 1 March 2026. A review before that day is a CETR, and from that day a CTR."
    )


@pytest.mark.parametrize(
    ("invited", "papers", "on", "expected"),
    [
        # Review on 15 March: invitations due by 1 March, papers by 14 March.
        (D(2026, 2, 20), D(2026, 3, 10), D(2026, 3, 14), []),
        (None, None, D(2026, 2, 28), []),  # too early to worry
        (None, None, D(2026, 3, 1), ["Invitations have not been sent: they were due by 1 March 2026"]),
        (D(2026, 3, 2), None, D(2026, 3, 2), ["Invitations were sent late, on 2 March 2026"]),
        (
            D(2026, 2, 1),
            None,
            D(2026, 3, 11),
            ["Papers have not been shared yet: share them by 14 March 2026"],
        ),
        (D(2026, 2, 1), None, D(2026, 3, 15), ["Papers were not shared: they were due by 14 March 2026"]),
        (D(2026, 2, 1), D(2026, 3, 15), D(2026, 3, 15), ["Papers were shared late, on 15 March 2026"]),
    ],
)
def test_preparation_late_or_missing_is_said_plainly(invited, papers, on, expected):
    problems = policy.preparation_problems(
        kind="cetr",
        status="planned",
        review_on=D(2026, 3, 15),
        invitations_sent_on=invited,
        papers_shared_on=papers,
        on=on,
    )
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)


def test_a_laep_or_a_cancelled_review_has_no_preparation_to_chase():
    for kind, status in (("laep", "planned"), ("cetr", "cancelled"), ("oversight_visit", "planned")):
        assert not policy.preparation_problems(
            kind=kind,
            status=status,
            review_on=TODAY,
            invitations_sent_on=None,
            papers_shared_on=None,
            on=TODAY,
        )


# Each row: the facts, and the short summary the person page and the register list show on TODAY.
REQUIREMENTS = [
    # Red: a community C(E)TR within 28 days of being rated red, and a keyworker for ages 0 to 25.
    (
        "red, C(E)TR overdue",
        Facts("red", D(2026, 1, 23), CHILD, has_keyworker=True),
        "Red: C(E)TR overdue by 9 days; keyworker allocated",
    ),
    (
        "red, C(E)TR due",
        Facts("red", D(2026, 2, 20), CHILD),
        "Red: C(E)TR due by 20 March 2026; keyworker referral needed",
    ),
    (
        "red, community C(E)TR held since",
        Facts("red", D(2026, 1, 1), CHILD, has_keyworker=True, last_community_review_on=D(2026, 1, 20)),
        "Red: C(E)TR on 20 January 2026; keyworker allocated",
    ),
    (
        "red, C(E)TR before the red rating does not count",
        Facts("red", D(2026, 2, 1), ADULT, last_community_review_on=D(2026, 1, 20)),
        "Red: C(E)TR due by 1 March 2026; keyworker referral needed",
    ),
    ("red, over 25: no keyworker", Facts("red", D(2026, 2, 20), OLDER), "Red: C(E)TR due by 20 March 2026"),
    # Amber: an MDT meeting and/or a C(E)TR, and a keyworker referral.
    (
        "amber, nothing yet",
        Facts("amber", D(2026, 2, 1), CHILD),
        "Amber: MDT meeting or C(E)TR needed; keyworker referral needed",
    ),
    (
        "amber, C(E)TR held",
        Facts("amber", D(2026, 2, 1), CHILD, has_keyworker=True, last_review_on=D(2026, 2, 10)),
        "Amber: MDT meeting or C(E)TR on 10 February 2026; keyworker allocated",
    ),
    # Green: partners identified.
    ("green, no care team", Facts("green", D(2026, 1, 1), CHILD), "Green: partners to identify"),
    (
        "green, care team",
        Facts("green", D(2026, 1, 1), CHILD, care_team_size=2),
        "Green: partners identified",
    ),
    # Blue: post-admission C(E)TR within 2 weeks (children) / 4 weeks (adults) of admission.
    (
        "blue child, post-admission due",
        Facts("blue", D(2026, 2, 20), CHILD, admitted_on=D(2026, 2, 20), out_of_area=True),
        "Blue: post-admission C(E)TR due by 6 March 2026; oversight visit due by 3 April 2026",
    ),
    (
        "blue child, post-admission overdue",
        Facts("blue", D(2026, 2, 10), CHILD, admitted_on=D(2026, 2, 10), out_of_area=True),
        "Blue: post-admission C(E)TR overdue by 5 days; oversight visit due by 24 March 2026",
    ),
    (
        "blue adult, post-admission due",
        Facts("blue", D(2026, 2, 10), ADULT, admitted_on=D(2026, 2, 10), out_of_area=True),
        "Blue: post-admission C(E)TR due by 10 March 2026; oversight visit due by 7 April 2026",
    ),
    (
        "blue adult, C(E)TR just before admission counts",
        Facts(
            "blue",
            D(2026, 2, 10),
            ADULT,
            admitted_on=D(2026, 2, 10),
            out_of_area=True,
            last_review_before_admission_on=D(2026, 1, 20),
        ),
        "Blue: C(E)TR on 20 January 2026, just before admission, counts; "
        "inpatient C(E)TR due by 20 July 2026; oversight visit due by 7 April 2026",
    ),
    (
        "blue adult, C(E)TR long before admission does not count",
        Facts(
            "blue",
            D(2026, 2, 10),
            ADULT,
            admitted_on=D(2026, 2, 10),
            out_of_area=True,
            last_review_before_admission_on=D(2025, 12, 1),
        ),
        "Blue: post-admission C(E)TR due by 10 March 2026; oversight visit due by 7 April 2026",
    ),
    # Then inpatient C(E)TRs every 3 months (children), 6 months (adults), 12 months (secure services).
    (
        "blue child, inpatient C(E)TR overdue",
        Facts(
            "blue",
            D(2025, 9, 1),
            CHILD,
            admitted_on=D(2025, 9, 1),
            out_of_area=True,
            last_review_since_admission_on=D(2025, 11, 15),
            last_visit_since_admission_on=D(2026, 2, 1),
        ),
        "Blue: inpatient C(E)TR overdue by 14 days; oversight visit due by 15 March 2026",
    ),
    (
        "blue adult, inpatient C(E)TR in 6 months",
        Facts(
            "blue",
            D(2025, 9, 1),
            ADULT,
            admitted_on=D(2025, 9, 1),
            out_of_area=True,
            last_review_since_admission_on=D(2025, 11, 15),
            last_visit_since_admission_on=D(2026, 2, 1),
        ),
        "Blue: inpatient C(E)TR due by 15 May 2026; oversight visit due by 29 March 2026",
    ),
    (
        "blue adult in a secure service, inpatient C(E)TR in 12 months",
        Facts(
            "blue",
            D(2025, 9, 1),
            ADULT,
            admitted_on=D(2025, 9, 1),
            out_of_area=True,
            secure_service=True,
            last_review_since_admission_on=D(2025, 11, 15),
            last_visit_since_admission_on=D(2026, 1, 1),
        ),
        "Blue: inpatient C(E)TR due by 15 November 2026; oversight visit overdue by 3 days",
    ),
    # Commissioner oversight visits only for someone in hospital outside the register's area.
    (
        "blue child in the area: no oversight visit",
        Facts("blue", D(2026, 2, 20), CHILD, admitted_on=D(2026, 2, 20)),
        "Blue: post-admission C(E)TR due by 6 March 2026",
    ),
    (
        "blue adult in the area, inpatient C(E)TR only",
        Facts(
            "blue",
            D(2025, 9, 1),
            ADULT,
            admitted_on=D(2025, 9, 1),
            last_review_since_admission_on=D(2025, 11, 15),
        ),
        "Blue: inpatient C(E)TR due by 15 May 2026",
    ),
    (
        "blue child out of area, no visit since admission",
        Facts(
            "blue",
            D(2026, 1, 1),
            CHILD,
            admitted_on=D(2026, 1, 1),
            out_of_area=True,
            last_review_since_admission_on=D(2026, 1, 10),
        ),
        "Blue: inpatient C(E)TR due by 10 April 2026; oversight visit overdue by 17 days",
    ),
    ("blue without an admission", Facts("blue", D(2026, 2, 1), CHILD), "Blue: no current admission recorded"),
    ("not rated", Facts("", None, CHILD), ""),
]


@pytest.mark.parametrize(
    ("facts", "expected"), [row[1:] for row in REQUIREMENTS], ids=[r[0] for r in REQUIREMENTS]
)
def test_what_each_rating_requires_on_a_fixed_day(facts, expected):
    assert policy.summary(facts.rating, policy.requirements(facts, national(), TODAY)) == expected


def test_the_red_target_is_the_registers_own():
    register = national()
    register.red_review_target_days = 14
    facts = Facts("red", D(2026, 2, 1), ADULT, has_keyworker=True)
    assert policy.summary("red", policy.requirements(facts, register, TODAY)) == (
        "Red: C(E)TR overdue by 14 days; keyworker allocated"
    )


@pytest.mark.parametrize("rating", ["red", "amber", "green", "blue", ""])
@pytest.mark.parametrize("born", [CHILD, ADULT, OLDER])
@pytest.mark.parametrize("admitted_on", [None, D(2025, 6, 1)])
@pytest.mark.parametrize("out_of_area", [False, True])
def test_only_the_dated_ratings_have_requirements_that_fall_due(rating, born, admitted_on, out_of_area):
    """Today's work looks for what falls due only among people with these ratings (and rating reviews): a
    requirement with a date under any other rating would be missed there."""
    facts = Facts(
        rating,
        D(2025, 1, 1),
        born,
        admitted_on=admitted_on,
        out_of_area=out_of_area,
        last_meeting_on=D(2025, 2, 1) if out_of_area else None,
    )
    dated = [found for found in policy.requirements(facts, national(), TODAY) if found.due_on is not None]
    assert bool(dated) == (rating in policy.DATED_RATINGS and (rating == "red" or admitted_on is not None))


# The first day anything falls due, which today's work reads people in the order of. On 1 March 2026, with
# the national register's policy (a red C(E)TR within 28 days of the rating; for an adult out-of-area
# inpatient, an inpatient C(E)TR every 6 months and an oversight visit every 8 weeks).
FIRST_DUE = [
    (
        "red, C(E)TR not yet held: 28 days from the rating",
        Facts("red", D(2026, 3, 2), ADULT),
        None,
        D(2026, 3, 30),
    ),
    (
        "red, the rating's own review comes first",
        Facts("red", D(2026, 3, 2), ADULT),
        D(2026, 3, 16),
        D(2026, 3, 16),
    ),
    (
        "red, C(E)TR already overdue: its day, in the past",
        Facts("red", D(2026, 1, 31), ADULT),
        D(2026, 4, 30),
        D(2026, 2, 28),
    ),
    (
        "red in a leap year: 28 days from 1 February 2028 is 29 February",
        Facts("red", D(2028, 2, 1), ADULT),
        None,
        D(2028, 2, 29),
    ),
    (
        "red, community C(E)TR held since the rating: only the rating's review",
        Facts("red", D(2026, 3, 2), ADULT, last_community_review_on=D(2026, 3, 10)),
        D(2026, 4, 1),
        D(2026, 4, 1),
    ),
    (
        "red, C(E)TR held before this rating does not count",
        Facts("red", D(2026, 3, 2), ADULT, last_community_review_on=D(2026, 2, 10)),
        D(2026, 5, 1),
        D(2026, 3, 30),
    ),
    (
        "blue out of area: the oversight visit before the inpatient C(E)TR",
        Facts(
            "blue",
            D(2025, 9, 1),
            ADULT,
            admitted_on=D(2025, 9, 1),
            out_of_area=True,
            last_review_since_admission_on=D(2025, 11, 15),
            last_visit_since_admission_on=D(2026, 2, 1),
        ),
        None,
        D(2026, 3, 29),
    ),
    (
        "blue inpatient C(E)TR at a month end: 6 months from 31 August is 28 February",
        Facts(
            "blue",
            D(2025, 8, 1),
            ADULT,
            admitted_on=D(2025, 8, 1),
            last_review_since_admission_on=D(2025, 8, 31),
        ),
        None,
        D(2026, 2, 28),
    ),
    (
        "amber: nothing dated but its review",
        Facts("amber", D(2026, 3, 2), CHILD),
        D(2026, 3, 30),
        D(2026, 3, 30),
    ),
    (
        "green, no review date: nothing falls due",
        Facts("green", D(2026, 3, 2), CHILD),
        None,
        policy.NOTHING_DUE,
    ),
    ("not rated", Facts("", None, CHILD), None, policy.NOTHING_DUE),
]


@pytest.mark.parametrize(
    ("facts", "review_due", "expected"), [row[1:] for row in FIRST_DUE], ids=[r[0] for r in FIRST_DUE]
)
def test_the_first_day_anything_falls_due(facts, review_due, expected):
    assert policy.first_due(policy.requirements(facts, national(), TODAY), review_due) == expected
