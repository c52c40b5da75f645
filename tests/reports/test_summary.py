import datetime

from django.urls import reverse

from dsr.registers.models import Role
from tests.factories import make_person, member

SUMMARY = reverse("reports:summary")


def test_analyst_sees_counts_by_rating_and_never_a_name(client, register, coordinator):
    for n in range(6):
        make_person(
            register=register, by=coordinator, given_name=f"Hidden{n}", family_name="Person", rating="red"
        )
    make_person(register=register, by=coordinator, given_name="Lone", family_name="Green", rating="green")
    analyst = member(register, Role.ANALYST)
    client.force_login(analyst)
    html = client.get(SUMMARY).content.decode()
    assert 'Rated red</th><td class="nhsuk-table__cell--numeric">6' in html
    assert 'Rated green</th><td class="nhsuk-table__cell--numeric">fewer than 5' in html
    assert "Hidden" not in html and "Lone" not in html
    assert "/people/" not in html


def test_analyst_cannot_open_the_register_list(client, register):
    client.force_login(member(register, Role.ANALYST))
    assert client.get(reverse("people:list")).status_code == 403


def test_figures_leave_out_people_who_have_left(client, register, coordinator):
    from dsr.people import services

    people = [make_person(register=register, by=coordinator, rating="amber") for _ in range(6)]
    services.remove_from_register(
        person=people[0], left_on=datetime.date.today(), reason="Moved away", by=coordinator
    )
    client.force_login(coordinator)
    html = client.get(SUMMARY).content.decode()
    assert 'Rated amber</th><td class="nhsuk-table__cell--numeric">5' in html
