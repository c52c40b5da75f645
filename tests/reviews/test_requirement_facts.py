"""The policy facts of a whole register at once (for a meeting's agenda), found with a query for each kind of
record, are the facts each row of a list finds with its subqueries, whatever the records behind them."""

import datetime

import pytest
from django.utils import timezone

from dsr.meetings.models import AgendaItem, Meeting
from dsr.people.models import Admission, Involvement, Person
from dsr.ratings.models import RiskRating
from dsr.reviews import policy
from dsr.reviews.models import Review
from dsr.reviews.selectors import facts_from_annotations, requirement_facts, with_requirement_facts

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 6, 15)


def day(days_before: int) -> datetime.date:
    return ON - datetime.timedelta(days=days_before)


def moment(days_before: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(days_before), datetime.time(12)))


@pytest.fixture
def people(register, coordinator) -> dict[str, Person]:
    """Someone for every shape of record a fact comes from."""

    def person(name: str, rating: str, *history: tuple[str, int], born: int = 30) -> Person:
        found = Person.objects.create(
            register=register,
            given_name=name,
            family_name="Facts",
            date_of_birth=day(born * 365),
            current_rating=rating,
        )
        for was, days_before in history:
            RiskRating.objects.create(
                person=found,
                rating=was,
                rationale="History",
                rated_by=coordinator,
                rated_at=moment(days_before),
                next_review_due=ON,
            )
        return found

    def review(who: Person, kind: str, days_before: int, **details) -> None:
        details = {"setting": Review.Setting.COMMUNITY, "status": Review.Status.TOOK_PLACE, **details}
        Review.objects.create(
            person=who, recorded_by=coordinator, kind=kind, review_on=day(days_before), **details
        )

    def admitted(who: Person, days_before: int, **details) -> Admission:
        return Admission.objects.create(
            person=who,
            hospital="Priory Hospital",
            admitted_on=day(days_before),
            legal_status=Admission.LegalStatus.SECTION_3,
            recorded_by=coordinator,
            **details,
        )

    def team(who: Person, *, keyworker: bool, ended: bool = False) -> None:
        Involvement.objects.create(
            person=who,
            name="Sam Okafor",
            role="Social worker",
            is_keyworker=keyworker,
            started_on=day(400),
            ended_on=day(10) if ended else None,
        )

    found = {
        "unrated": person("Una", ""),
        # Red, then amber, then red again: the current rating began with the second run of red.
        "red again": person("Rhys", "red", ("red", 90), ("amber", 60), ("red", 30), ("red", 20)),
        "always amber": person("Asha", "amber", ("amber", 200), ("amber", 100)),
        "green": person("Gina", "green", ("green", 50)),
        "blue": person("Ben", "blue", ("amber", 70), ("blue", 40), born=17),
        "blue twice admitted": person("Bea", "blue", ("blue", 40)),
    }
    review(found["red again"], policy.CETR, 80)
    review(found["red again"], policy.CTR, 25)
    review(found["red again"], policy.CTR, 5, setting=Review.Setting.INPATIENT)
    review(found["red again"], policy.CTR, -5)  # not yet
    review(found["red again"], policy.CTR, 3, status=Review.Status.PLANNED)
    team(found["red again"], keyworker=True)
    team(found["green"], keyworker=False)
    team(found["always amber"], keyworker=True, ended=True)

    blue = found["blue"]
    admitted(blue, 300, discharged_on=day(250))
    admitted(blue, 35, out_of_area=True, secure_service=True)
    review(blue, policy.CETR, 45)  # before the admission
    review(blue, policy.CETR, 20, setting=Review.Setting.POST_ADMISSION)
    review(blue, policy.LAEP, 10)  # not a C(E)TR since admission
    review(blue, policy.OVERSIGHT_VISIT, 50)  # before the admission
    review(blue, policy.OVERSIGHT_VISIT, 15)
    team(blue, keyworker=True)
    team(blue, keyworker=False)
    admitted(found["blue twice admitted"], 60)
    admitted(found["blue twice admitted"], 20)
    review(found["blue twice admitted"], policy.CTR, 30)

    # Meetings that discussed the amber person: the latest one on or before the day counts.
    for days_before, discussed in ((120, True), (45, True), (15, False), (-10, True)):
        meeting = Meeting.objects.create(
            register=register, kind=Meeting.Kind.REGISTER, held_on=day(days_before), created_by=coordinator
        )
        AgendaItem.objects.create(
            meeting=meeting, position=1, category="amber", person=found["always amber"], discussed=discussed
        )
    return found


def test_the_facts_of_a_whole_register_at_once_are_the_facts_of_each_row_of_a_list(people, register):
    everyone = Person.objects.filter(register=register)
    each_row = {person.pk: facts_from_annotations(person) for person in with_requirement_facts(everyone, ON)}

    at_once = requirement_facts(everyone, ON)

    assert at_once == each_row
    red, amber, blue = (at_once[people[name].pk] for name in ("red again", "always amber", "blue"))
    assert red.rated_since == day(30) and red.has_keyworker and red.last_review_on == day(5)
    assert red.last_community_review_on == day(25)
    assert amber.rated_since == day(200) and amber.last_meeting_on == day(45) and not amber.care_team_size
    assert (blue.admitted_on, blue.secure_service, blue.out_of_area) == (day(35), True, True)
    assert blue.last_review_before_admission_on == day(45)
    assert blue.last_review_since_admission_on == day(20)
    assert blue.last_visit_since_admission_on == day(15)
    assert at_once[people["blue twice admitted"].pk].admitted_on == day(20)
    assert at_once[people["unrated"].pk].rated_since is None


def test_the_current_rating_began_with_its_earliest_entry_since_another_rating(people, register, coordinator):
    rhys = people["red again"]
    RiskRating.objects.create(
        person=rhys, rating="amber", rationale="Same moment", rated_by=coordinator, rated_at=moment(20),
        next_review_due=ON,
    )  # fmt: skip
    everyone = Person.objects.filter(register=register)

    # An entry of another rating at the same moment as a red one does not come after it.
    assert requirement_facts(everyone, ON)[rhys.pk].rated_since == day(20)
    assert facts_from_annotations(with_requirement_facts(everyone, ON).get(pk=rhys.pk)).rated_since == day(20)
