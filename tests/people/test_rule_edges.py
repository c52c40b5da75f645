import datetime

import pytest
from django.core.exceptions import ValidationError

from dsr.dates import today
from dsr.people import services
from dsr.people.models import Consent, Involvement
from dsr.people.values import CareTeamMember, ConsentGiven


def test_a_care_team_start_date_in_the_future_is_refused(person, coordinator):
    with pytest.raises(ValidationError, match="must not be in the future"):
        services.add_involvement(
            person=person,
            by=coordinator,
            member=CareTeamMember(
                name="Jo",
                role="SENCO",
                organisation=None,
                contact="",
                user=None,
                is_keyworker=False,
                is_care_coordinator=False,
                is_lead_professional=False,
                started_on=today() + datetime.timedelta(days=1),
            ),
        )
    assert not Involvement.objects.filter(person=person).exists()


def test_consent_dated_before_the_person_was_born_is_refused(person, coordinator):
    with pytest.raises(ValidationError, match="after the person was born"):
        services.record_consent(
            person=person,
            by=coordinator,
            consent=ConsentGiven(
                purpose="register",
                given_by="parent",
                given_by_name="Mum",
                given_on=person.date_of_birth - datetime.timedelta(days=1),
                method="written",
            ),
        )
    assert not Consent.objects.filter(person=person).exists()


def test_add_person_form_asks_who_they_are_before_their_rating(coordinator_client):
    from django.urls import reverse

    html = coordinator_client.get(reverse("people:add")).content.decode()
    assert html.index('name="given_name"') < html.index('name="joined_reason"') < html.index('name="rating"')


def test_rating_form_lists_the_review_date_each_rating_would_get(coordinator_client, person, register):
    import datetime

    from django.urls import reverse

    from dsr.dates import format_date

    html = coordinator_client.get(
        reverse("people:change_rating", kwargs={"person_id": person.pk})
    ).content.decode()
    for rating in ("red", "amber", "green", "blue"):
        due = today() + datetime.timedelta(days=register.review_days(rating))
        assert f"{rating} {format_date(due)}" in html
