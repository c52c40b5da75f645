import pytest
from django.urls import reverse

from dsr.dates import today
from dsr.people import services
from dsr.ratings.models import RiskFactor, RiskRating


@pytest.mark.parametrize(
    "url_name",
    ["people:change_rating", "people:change_details", "people:log_contact", "people:record_admission"],
)
def test_the_record_of_someone_who_has_left_can_no_longer_be_changed(
    coordinator_client, person, coordinator, url_name
):
    services.remove_from_register(person=person, left_on=today(), reason="Moved away", by=coordinator)
    response = coordinator_client.get(reverse(url_name, kwargs={"person_id": person.pk}))
    assert response.status_code == 403
    assert "has left the register" in response.content.decode()


def test_a_rating_posted_for_someone_who_has_left_is_not_recorded(coordinator_client, person, coordinator):
    services.remove_from_register(person=person, left_on=today(), reason="Moved away", by=coordinator)
    before = RiskRating.objects.filter(person=person).count()
    response = coordinator_client.post(
        reverse("people:change_rating", kwargs={"person_id": person.pk}),
        {"rating": "red", "rationale": "Trying anyway", "risk_factors": [RiskFactor.objects.first().pk]},
    )
    assert response.status_code == 403
    assert RiskRating.objects.filter(person=person).count() == before


def test_the_record_of_someone_who_has_left_can_still_be_read(coordinator_client, person, coordinator):
    services.remove_from_register(person=person, left_on=today(), reason="Moved away", by=coordinator)
    response = coordinator_client.get(reverse("people:detail", kwargs={"person_id": person.pk}))
    assert response.status_code == 200
    assert "has left the register" in response.content.decode()
