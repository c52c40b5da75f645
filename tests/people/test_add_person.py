"""Adding a person to the register through the add-person page, as a coordinator does."""

import datetime
import re

import pytest
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import today, years_before
from dsr.people.models import Circumstances, Episode, Person
from dsr.ratings.models import RiskRating
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.pages import audit_changes, date_fields, detail_url, error_summary, field_error, national_factors

ADD = reverse("people:add")


def stored() -> dict[str, int]:
    """How much is stored, to show that a refused form changed nothing."""
    return {
        "people": Person.objects.count(),
        "episodes": Episode.objects.count(),
        "circumstances": Circumstances.objects.count(),
        "ratings": RiskRating.objects.count(),
        "audit changes": audit_changes(),
    }


def form_data(**changes) -> dict:
    """What a coordinator types to add a 12-year-old with an amber rating."""
    data = {
        "given_name": "Jordan",
        "family_name": "Lee",
        "preferred_name": "",
        **date_fields("date_of_birth", years_before(today(), 12)),
        "nhs_number": "943 476 5919",
        "sex": "female",
        "accommodation": "family_home",
        "rating": "amber",
        "rationale": "Two A&E attendances in the last month",
        "risk_factors": national_factors(),
        "joined_reason": "Referred by CAMHS",
    }
    data.update(changes)
    return data


def assert_refused(response, before, field: str, message: str):
    """The page is shown again with the message by the field and in the summary; nothing stored."""
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert message in [text for _, text in error_summary(response)]
    assert stored() == before


def test_adding_a_person_opens_their_page_with_the_initial_rating(coordinator_client, register, coordinator):
    response = coordinator_client.post(ADD, form_data())

    person = Person.objects.get(given_name="Jordan", family_name="Lee")
    assert response.status_code == 302
    assert response["Location"] == detail_url(person)
    page = coordinator_client.get(response["Location"])
    html = page.content.decode()
    assert "Person added to the register" in html
    assert "At risk of admission without the right care and treatment soon" in html
    assert person.register == register
    assert person.current_rating == "amber"
    assert person.next_review_due == today() + datetime.timedelta(days=register.review_days_amber)
    entry = person.ratings.get()
    assert entry.reason == RiskRating.Reason.JOINED
    assert entry.rationale == "Two A&E attendances in the last month"
    assert sorted(str(pk) for pk in entry.risk_factors.values_list("pk", flat=True)) == sorted(
        national_factors()
    )


def test_adding_a_person_starts_an_episode_on_the_register_from_today(coordinator_client):
    coordinator_client.post(ADD, form_data(joined_reason="  Referred by CAMHS  "))

    episode = Episode.objects.get(person__family_name="Lee")
    assert episode.joined_on == today()
    assert episode.joined_reason == "Referred by CAMHS"
    assert episode.left_on is None


def test_adding_a_person_is_audited_as_created_by_the_coordinator(coordinator_client, coordinator):
    coordinator_client.post(ADD, form_data())

    person = Person.objects.get(family_name="Lee")
    created = AuditEvent.objects.filter(person_id=person.pk, action=AuditEvent.Action.CREATE)
    assert {"person", "episode", "riskrating"} <= set(created.values_list("record_type", flat=True))
    assert set(created.values_list("user_id", flat=True)) == {coordinator.pk}
    assert set(created.values_list("source", flat=True)) == {AuditEvent.Source.WEB}


def test_nhs_number_typed_with_spaces_is_stored_as_ten_digits(coordinator_client):
    coordinator_client.post(ADD, form_data(nhs_number="943 476 5919"))

    assert Person.objects.get(family_name="Lee").nhs_number == "9434765919"


def test_nhs_number_may_be_left_blank_when_not_known(coordinator_client):
    response = coordinator_client.post(ADD, form_data(nhs_number=""))

    assert response.status_code == 302
    assert Person.objects.get(family_name="Lee").nhs_number == ""


@pytest.mark.parametrize(
    "typed, message",
    [
        ("9434765918", "This is not a valid NHS number: check each digit"),
        ("943 476 591", "NHS number must be 10 digits"),
        ("943476591X", "NHS number must be 10 digits"),
        ("٩٤٣٤٧٦٥٩١٩", "NHS number must be 10 digits"),
    ],
)
def test_nhs_number_that_is_not_valid_is_refused_with_a_clear_message(coordinator_client, typed, message):
    before = stored()

    response = coordinator_client.post(ADD, form_data(nhs_number=typed))

    assert_refused(response, before, "nhs_number", message)
    assert ("#id_nhs_number", message) in error_summary(response)


def test_nhs_number_already_on_this_register_is_refused_and_links_to_the_existing_record(
    coordinator_client, person
):
    existing = make_person(
        register=person.register,
        by=person.ratings.get().rated_by,
        given_name="Casey",
        family_name="Moore",
        nhs_number="9434765919",
    )
    before = stored()

    response = coordinator_client.post(ADD, form_data(nhs_number="943 476 5919"))

    assert_refused(response, before, "nhs_number", "This NHS number is already on this register")
    html = response.content.decode()
    link = detail_url(existing)
    assert "Casey Moore already has this NHS number on this register" in html
    assert f'<a href="{link}">Go to Casey Moore\'s record</a>' in html


def test_the_same_nhs_number_on_another_register_is_allowed(coordinator_client, other_register):
    elsewhere = member(other_register, Role.COORDINATOR)
    make_person(register=other_register, by=elsewhere, nhs_number="9434765919")

    response = coordinator_client.post(ADD, form_data(nhs_number="9434765919"))

    assert response.status_code == 302
    assert Person.objects.filter(nhs_number="9434765919").count() == 2


def test_date_of_birth_in_the_future_is_refused(coordinator_client):
    before = stored()
    tomorrow = today() + datetime.timedelta(days=1)

    response = coordinator_client.post(ADD, form_data(**date_fields("date_of_birth", tomorrow)))

    assert_refused(response, before, "date_of_birth", "Date of birth must be in the past")
    assert ("#date_of_birth-day", "Date of birth must be in the past") in error_summary(response)


def test_date_of_birth_over_the_registers_age_range_is_refused_naming_the_range(coordinator_client):
    before = stored()
    eighteenth_birthday = years_before(today(), 18)

    response = coordinator_client.post(ADD, form_data(**date_fields("date_of_birth", eighteenth_birthday)))

    assert_refused(response, before, "date_of_birth", "This person is 18: Children is for ages 0 to 17")


def test_the_day_before_the_eighteenth_birthday_is_still_within_a_register_up_to_17(coordinator_client):
    born = years_before(today(), 18) + datetime.timedelta(days=1)

    response = coordinator_client.post(ADD, form_data(**date_fields("date_of_birth", born)))

    assert response.status_code == 302
    assert Person.objects.get(family_name="Lee").date_of_birth == born


def test_date_of_birth_under_the_registers_age_range_is_refused_naming_the_range(
    coordinator_client, register
):
    register.min_age = 14
    register.save()
    before = stored()

    response = coordinator_client.post(ADD, form_data())

    assert_refused(response, before, "date_of_birth", "This person is 12: Children is for ages 14 to 17")


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("", "", "", "Enter date of birth"),
        ("", "3", "2014", "Date of birth must include a day"),
        ("15", "", "2014", "Date of birth must include a month"),
        ("15", "3", "", "Date of birth must include a year"),
        ("", "", "2014", "Date of birth must include a day and month"),
        ("31", "2", "2020", "Date of birth must be a real date"),
        ("29", "2", "2015", "Date of birth must be a real date"),
        ("1", "13", "2014", "Date of birth must be a real date"),
        ("0", "3", "2014", "Date of birth must be a real date"),
        ("99999999999999999999", "3", "2014", "Date of birth must be a real date"),
        ("fifth", "3", "2014", "Date of birth must be a real date, using numbers"),
        ("5", "3", "14", "Year must include 4 numbers"),
    ],
)
def test_date_of_birth_that_is_missing_or_impossible_gets_the_design_system_message(
    coordinator_client, day, month, year, message
):
    before = stored()
    typed = {"date_of_birth[day]": day, "date_of_birth[month]": month, "date_of_birth[year]": year}

    response = coordinator_client.post(ADD, form_data(**typed))

    assert_refused(response, before, "date_of_birth", message)
    assert ("#date_of_birth-day", message) in error_summary(response)


def test_date_typed_in_error_is_shown_again_as_typed(coordinator_client):
    response = coordinator_client.post(
        ADD,
        form_data(**{"date_of_birth[day]": "31", "date_of_birth[month]": "2", "date_of_birth[year]": "2020"}),
    )

    html = response.content.decode()
    assert re.search(r'id="date_of_birth-day" name="date_of_birth\[day\]" type="text" value="31"', html)
    assert re.search(r'id="date_of_birth-month" name="date_of_birth\[month\]" type="text" value="2"', html)


@pytest.mark.parametrize("rationale", ["", "   "])
def test_rating_without_a_rationale_is_refused(coordinator_client, rationale):
    before = stored()

    response = coordinator_client.post(ADD, form_data(rationale=rationale))

    assert_refused(response, before, "rationale", "Enter why you chose this rating")


def test_rating_without_risk_factors_is_refused(coordinator_client):
    before = stored()
    data = form_data()
    del data["risk_factors"]

    response = coordinator_client.post(ADD, data)

    assert_refused(response, before, "risk_factors", "Select the risk factors you considered")


def test_rating_without_a_choice_of_rating_is_refused(coordinator_client):
    before = stored()
    data = form_data()
    del data["rating"]

    response = coordinator_client.post(ADD, data)

    assert_refused(response, before, "rating", "Choose a rating")


def test_joining_without_a_reason_is_refused(coordinator_client):
    before = stored()

    response = coordinator_client.post(ADD, form_data(joined_reason=" "))

    assert_refused(response, before, "joined_reason", "Enter why this person is joining the register")


def test_every_problem_on_the_form_is_listed_at_once(coordinator_client):
    before = stored()

    response = coordinator_client.post(
        ADD, form_data(given_name="", nhs_number="9434765918", rationale="", **{"date_of_birth[day]": ""})
    )

    messages = [text for _, text in error_summary(response)]
    assert "Enter their first name" in messages
    assert "Date of birth must include a day" in messages
    assert "Enter why you chose this rating" in messages
    assert stored() == before


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.KEYWORKER])
def test_only_a_coordinator_may_add_a_person(client, register, role):
    client.force_login(member(register, role))
    before = stored()

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form_data()).status_code == 403
    assert stored() == before
