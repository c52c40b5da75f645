"""A red person without a C(E)TR shows it as overdue everywhere they appear."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.meetings.conftest import new_meeting
from tests.pages import allocate, detail_url

pytestmark = pytest.mark.django_db

OVERDUE = "Red: C(E)TR overdue by 12 days; keyworker allocated"


def test_a_red_person_without_a_cetr_is_overdue_on_every_page(client, register, coordinator):
    keyworker = member(register, Role.KEYWORKER, username="kw")
    red = make_person(
        register=register,
        by=coordinator,
        rating="red",
        given_name="Rhys",
        family_name="Adams",
        joined_at=timezone.now() - datetime.timedelta(days=40),
    )
    allocate(red, keyworker, coordinator, started_on=timezone.localdate() - datetime.timedelta(days=30))
    meeting = new_meeting(coordinator, register)
    item = meeting.items.get(person=red)
    client.force_login(coordinator)
    pages = {
        "register list": reverse("people:list"),
        "person page": detail_url(red),
        "agenda": reverse("meetings:agenda", args=[meeting.pk]),
        "running the meeting": reverse("meetings:item", args=[meeting.pk, item.pk]),
        "keyworker's caseload": reverse("caseload:keyworker", args=[keyworker.pk]),
    }
    for where, url in pages.items():
        assert OVERDUE in client.get(url).content.decode(), where
    client.force_login(keyworker)
    assert OVERDUE in client.get(reverse("caseload:mine")).content.decode(), "my caseload"
