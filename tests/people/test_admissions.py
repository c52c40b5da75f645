"""Recording admissions to hospital and discharges, and the ratings they call for."""

import datetime
import re

import pytest
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.dates import format_date, today
from dsr.people import services
from dsr.people.models import Admission, Person
from dsr.people.values import AdmissionDetails
from dsr.ratings.models import RiskFactor, RiskRating
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.pages import audit_changes, date_fields, detail_url, error_summary, field_error


def admit_url(person) -> str:
    return reverse("people:record_admission", kwargs={"person_id": person.pk})


def discharge_url(admission) -> str:
    return reverse(
        "people:record_discharge", kwargs={"person_id": admission.person_id, "admission_id": admission.pk}
    )


def stored(person) -> dict:
    """The person's admissions, rating and audit trail, to show that a refused form changed nothing."""
    person = Person.objects.get(pk=person.pk)
    return {
        "current": (person.current_rating, person.current_rating_at, person.next_review_due),
        "admissions": list(
            Admission.objects.filter(person=person)
            .order_by("admitted_on")
            .values_list("pk", "hospital", "admitted_on", "discharged_on", "discharged_to")
        ),
        "ratings": RiskRating.objects.filter(person=person).count(),
        "audit changes": audit_changes(),
    }


def admission_form(admitted_on: datetime.date | None = None, **changes) -> dict:
    data = {
        "hospital": "Priory Hospital Ticehurst",
        **date_fields("admitted_on", admitted_on or today() - datetime.timedelta(days=10)),
        "legal_status": Admission.LegalStatus.SECTION_2,
        "placement": ["out_of_area"],
    }
    data.update(changes)
    return data


def discharge_form(discharged_on: datetime.date | None = None, **changes) -> dict:
    data = {
        **date_fields("discharged_on", discharged_on or today()),
        "discharged_to": "Family home",
        "rating": "red",
        "rationale": "Home with an intensive support package for the first month",
        "risk_factors": [str(pk) for pk in RiskFactor.objects.values_list("pk", flat=True)[:2]],
        **date_fields("next_review_due", today() + datetime.timedelta(days=7)),
    }
    data.update(changes)
    return data


def admit(person, by, admitted_on: datetime.date) -> Admission:
    return services.record_admission(
        person=person,
        admission=AdmissionDetails(
            hospital="Priory Hospital Ticehurst", admitted_on=admitted_on, legal_status="informal"
        ),
        by=by,
    )


def test_admission_makes_the_rating_blue_when_the_register_says_so(coordinator_client, person, coordinator):
    admitted_on = today() - datetime.timedelta(days=10)

    response = coordinator_client.post(admit_url(person), admission_form(admitted_on))

    assert response.status_code == 302
    admission = Admission.objects.get(person=person)
    assert (admission.hospital, admission.admitted_on, admission.legal_status) == (
        "Priory Hospital Ticehurst",
        admitted_on,
        "section_2",
    )
    assert admission.out_of_area and not admission.secure_service
    assert admission.recorded_by == coordinator
    person.refresh_from_db()
    assert person.current_rating == "blue"
    assert person.next_review_due == today() + datetime.timedelta(days=person.register.review_days_blue)
    entry = RiskRating.objects.filter(person=person).latest("rated_at")
    assert (entry.rating, entry.reason, entry.admission) == ("blue", RiskRating.Reason.ADMISSION, admission)
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Admission recorded: the rating is now blue" in html
    assert "still in hospital" in html


def test_admission_leaves_the_rating_alone_when_the_register_does_not_use_blue(
    coordinator_client, person, register
):
    register.admission_sets_blue = False
    register.save()
    ratings_before = RiskRating.objects.filter(person=person).count()

    response = coordinator_client.post(admit_url(person), admission_form())

    assert response.status_code == 302
    assert Admission.objects.filter(person=person).count() == 1
    person.refresh_from_db()
    assert person.current_rating == "amber"
    assert RiskRating.objects.filter(person=person).count() == ratings_before
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Admission recorded" in html
    assert "the rating is now blue" not in html


def test_admission_is_audited(coordinator_client, person, coordinator):
    coordinator_client.post(admit_url(person), admission_form())

    admission = Admission.objects.get(person=person)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, record_id=str(admission.pk))
    assert (event.record_type, event.user_id, event.person_id) == ("admission", coordinator.pk, person.pk)


def test_second_admission_while_still_in_hospital_is_refused(coordinator_client, person, coordinator):
    admit(person, coordinator, today() - datetime.timedelta(days=20))
    before = stored(person)

    response = coordinator_client.post(admit_url(person), admission_form(hospital="St Ann's Hospital"))

    assert response.status_code == 200
    message = "This person is already in hospital: record their discharge before a new admission"
    assert ("", message) in error_summary(response)
    assert stored(person) == before


def test_admission_in_the_future_is_refused(coordinator_client, person):
    before = stored(person)

    response = coordinator_client.post(
        admit_url(person), admission_form(today() + datetime.timedelta(days=1))
    )

    assert field_error(response, "admitted_on") == "The admission date must not be in the future"
    assert ("#admitted_on-day", "The admission date must not be in the future") in error_summary(response)
    assert stored(person) == before


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"hospital": ""}, "hospital", "Enter the hospital"),
        ({"legal_status": ""}, "legal_status", "Choose the legal status"),
        (
            {"admitted_on[day]": "", "admitted_on[month]": "", "admitted_on[year]": ""},
            "admitted_on",
            "Enter the admission date",
        ),
        ({"admitted_on[day]": "30"}, "admitted_on", "The admission date must be a real date"),
        ({"hospital": "x" * 201}, "hospital", "Ensure this value has at most 200 characters (it has 201)."),
    ],
)
def test_admission_with_a_missing_or_wrong_answer_is_refused(
    coordinator_client, person, changes, field, message
):
    before = stored(person)
    data = admission_form(datetime.date(2026, 2, 1), **changes)

    response = coordinator_client.post(admit_url(person), data)

    assert response.status_code == 200
    assert field_error(response, field) == message
    assert message in [text for _, text in error_summary(response)]
    assert stored(person) == before


def test_discharge_records_the_new_rating(coordinator_client, person, coordinator):
    admission = admit(person, coordinator, today() - datetime.timedelta(days=30))
    due = today() + datetime.timedelta(days=7)

    response = coordinator_client.post(discharge_url(admission), discharge_form(rating="red"))

    assert response.status_code == 302
    admission.refresh_from_db()
    assert (admission.discharged_on, admission.discharged_to) == (today(), "Family home")
    person.refresh_from_db()
    assert (person.current_rating, person.next_review_due) == ("red", due)
    entry = RiskRating.objects.filter(person=person).latest("rated_at")
    assert (entry.rating, entry.reason, entry.admission) == ("red", RiskRating.Reason.DISCHARGE, admission)
    assert entry.rationale == "Home with an intensive support package for the first month"
    html = coordinator_client.get(detail_url(person)).content.decode()
    assert "Discharge and new rating recorded" in html
    assert "still in hospital" not in html


def test_discharge_page_proposes_today_and_a_red_review(coordinator_client, person, coordinator):
    admission = admit(person, coordinator, today() - datetime.timedelta(days=30))

    html = coordinator_client.get(discharge_url(admission)).content.decode()

    assert re.search(rf'id="discharged_on-day"[^>]*value="{today().day}"', html)
    red_review = today() + datetime.timedelta(days=person.register.review_days_red)
    assert re.search(rf'id="next_review_due-day"[^>]*value="{red_review.day}"', html)
    assert 'value="blue"' not in html


def test_discharge_before_the_admission_date_is_refused_naming_that_date(
    coordinator_client, person, coordinator
):
    admitted_on = today() - datetime.timedelta(days=30)
    admission = admit(person, coordinator, admitted_on)
    before = stored(person)

    response = coordinator_client.post(
        discharge_url(admission), discharge_form(admitted_on - datetime.timedelta(days=1))
    )

    message = f"The discharge date must be on or after the admission date ({format_date(admitted_on)})"
    assert response.status_code == 200
    assert field_error(response, "discharged_on") == message
    assert ("#discharged_on-day", message) in error_summary(response)
    assert stored(person) == before


def test_discharge_on_the_day_of_admission_is_accepted(coordinator_client, person, coordinator):
    admitted_on = today() - datetime.timedelta(days=2)
    admission = admit(person, coordinator, admitted_on)

    response = coordinator_client.post(discharge_url(admission), discharge_form(admitted_on))

    assert response.status_code == 302
    admission.refresh_from_db()
    assert admission.discharged_on == admitted_on


def test_discharge_in_the_future_is_refused(coordinator_client, person, coordinator):
    admission = admit(person, coordinator, today() - datetime.timedelta(days=2))
    before = stored(person)

    response = coordinator_client.post(
        discharge_url(admission), discharge_form(today() + datetime.timedelta(days=1))
    )

    assert field_error(response, "discharged_on") == "The discharge date must not be in the future"
    assert stored(person) == before


def test_discharge_without_a_new_rating_is_refused(coordinator_client, person, coordinator):
    admission = admit(person, coordinator, today() - datetime.timedelta(days=2))
    before = stored(person)
    data = discharge_form()
    del data["rating"]

    response = coordinator_client.post(discharge_url(admission), data)

    assert field_error(response, "rating") == "Choose a rating"
    assert stored(person) == before


def test_discharge_with_a_blue_rating_is_refused(coordinator_client, person, coordinator):
    admission = admit(person, coordinator, today() - datetime.timedelta(days=2))
    before = stored(person)

    response = coordinator_client.post(discharge_url(admission), discharge_form(rating="blue"))

    message = "Blue is for people in hospital: choose red, amber or green"
    assert field_error(response, "rating") == message
    assert ("#rating", message) in error_summary(response)
    assert stored(person) == before


def test_discharge_without_a_rationale_is_refused(coordinator_client, person, coordinator):
    admission = admit(person, coordinator, today() - datetime.timedelta(days=2))
    before = stored(person)

    response = coordinator_client.post(discharge_url(admission), discharge_form(rationale=""))

    assert field_error(response, "rationale") == "Enter why you chose this rating"
    assert stored(person) == before


def test_discharge_with_a_next_review_in_the_past_is_refused_and_the_admission_stays_open(
    coordinator_client, person, coordinator
):
    admission = admit(person, coordinator, today() - datetime.timedelta(days=30))
    before = stored(person)
    yesterday = today() - datetime.timedelta(days=1)

    response = coordinator_client.post(
        discharge_url(admission), discharge_form(**date_fields("next_review_due", yesterday))
    )

    assert field_error(response, "next_review_due") == "The next review must not be in the past"
    assert stored(person) == before
    admission.refresh_from_db()
    assert admission.discharged_on is None


def test_discharge_of_an_admission_already_discharged_is_refused(coordinator_client, person, coordinator):
    admission = admit(person, coordinator, today() - datetime.timedelta(days=30))
    coordinator_client.post(discharge_url(admission), discharge_form(today() - datetime.timedelta(days=3)))
    before = stored(person)

    response = coordinator_client.post(discharge_url(admission), discharge_form())

    assert response.status_code == 200
    assert ("", "This admission already has a discharge date") in error_summary(response)
    assert stored(person) == before


def test_a_new_admission_may_follow_a_discharge(coordinator_client, person, coordinator):
    admission = admit(person, coordinator, today() - datetime.timedelta(days=30))
    coordinator_client.post(discharge_url(admission), discharge_form(today() - datetime.timedelta(days=20)))

    response = coordinator_client.post(
        admit_url(person), admission_form(today() - datetime.timedelta(days=2))
    )

    assert response.status_code == 302
    assert Admission.objects.filter(person=person, discharged_on__isnull=True).count() == 1


def test_professional_may_not_record_admissions_or_discharges(client, register, person, coordinator):
    admission = admit(person, coordinator, today() - datetime.timedelta(days=3))
    client.force_login(member(register, Role.PROFESSIONAL))
    before = stored(person)

    assert client.post(admit_url(person), admission_form()).status_code == 403
    assert client.post(discharge_url(admission), discharge_form()).status_code == 403
    assert stored(person) == before


def test_discharge_of_an_admission_that_is_not_this_persons_is_not_found(
    coordinator_client, register, person, coordinator
):
    someone_else = make_person(register=register, by=coordinator)
    admission = admit(someone_else, coordinator, today() - datetime.timedelta(days=3))
    wrong = reverse("people:record_discharge", kwargs={"person_id": person.pk, "admission_id": admission.pk})

    assert coordinator_client.post(wrong, discharge_form()).status_code == 404
    admission.refresh_from_db()
    assert admission.discharged_on is None
