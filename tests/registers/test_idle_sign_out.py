"""Signing out a user who has done nothing for SESSION_IDLE_MINUTES, and the sign-in page saying why."""

import datetime
import json
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from dsr.audit.models import AuditEvent
from dsr.people.models import Circumstances
from tests.factories import make_person
from tests.meetings.conftest import new_meeting
from tests.pages import detail_url
from tests.second_factor import authenticator_app

SIGN_IN = reverse("login")
STATUS = reverse("session_status")
KEEP_ALIVE = reverse("session_keep_alive")
REASON = "You were signed out because you had not done anything for {} minutes."


def signed_out_for_idleness(next_page: str | None = None) -> str:
    """The sign-in page's address when the user was signed out for doing nothing."""
    query = {"signed_out": "idle"} | ({"next": next_page} if next_page else {})
    return f"{SIGN_IN}?{urlencode(query)}"


def signed_in(client) -> bool:
    """A request now is from a signed-in user (an anonymous one is sent to sign in, with no reason)."""
    response = client.get(reverse("people:list"))
    if response.status_code == 200:
        return True
    assert response["Location"] == f"{SIGN_IN}?next=/people/"
    return False


@pytest.fixture
def clock():
    """Time stands still until a test moves it on."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in_client(client, coordinator, clock):
    """Priya, the coordinator, signed in as the clock starts."""
    client.force_login(coordinator)
    return client


def test_after_thirty_minutes_without_activity_the_next_page_asks_them_to_sign_in_and_says_why(
    signed_in_client, person, clock
):
    clock.shift(datetime.timedelta(minutes=30))

    response = signed_in_client.get(detail_url(person))

    assert response.status_code == 302
    assert response["Location"] == signed_out_for_idleness(detail_url(person))
    page = signed_in_client.get(response["Location"])
    html = unescape(page.content.decode())
    assert "You were signed out" in html
    assert REASON.format(30) in html
    assert "Anything you had not saved has not been kept." in html
    assert not signed_in(signed_in_client)


def test_a_page_opened_at_twenty_minutes_keeps_them_signed_in_at_forty(signed_in_client, person, clock):
    clock.shift(datetime.timedelta(minutes=20))
    assert signed_in_client.get(detail_url(person)).status_code == 200

    clock.shift(datetime.timedelta(minutes=20))

    assert signed_in_client.get(detail_url(person)).status_code == 200


def test_asking_how_long_is_left_tells_the_seconds_and_does_not_count_as_activity(signed_in_client, clock):
    clock.shift(datetime.timedelta(minutes=20))

    assert signed_in_client.get(STATUS).json() == {"secondsLeft": 10 * 60}

    clock.shift(datetime.timedelta(minutes=9, seconds=59))
    assert signed_in_client.get(STATUS).json() == {"secondsLeft": 1}
    clock.shift(datetime.timedelta(seconds=1))
    response = signed_in_client.get(STATUS)
    assert response.status_code == 302
    assert response["Location"].startswith(signed_out_for_idleness())
    assert not signed_in(signed_in_client)


def test_choosing_to_stay_signed_in_counts_as_activity(signed_in_client, clock):
    clock.shift(datetime.timedelta(minutes=28))

    assert signed_in_client.post(KEEP_ALIVE).json() == {"secondsLeft": 30 * 60}

    clock.shift(datetime.timedelta(minutes=12))
    assert signed_in_client.get(STATUS).json() == {"secondsLeft": 18 * 60}
    assert signed_in(signed_in_client)


def test_a_form_sent_after_the_idle_time_saves_nothing_and_asks_them_to_sign_in(
    signed_in_client, person, clock
):
    circumstances_before = list(Circumstances.objects.filter(person=person).values())
    audit_before = AuditEvent.objects.count()
    clock.shift(datetime.timedelta(minutes=31))

    response = signed_in_client.post(
        reverse("people:change_circumstances", kwargs={"person_id": person.pk}),
        {
            "key_safety_information": "Do not approach from behind.",
            "why_enhanced_support": "School placement at risk",
            "health": "",
            "education": "",
            "social": "",
        },
        follow=True,
    )

    assert response.redirect_chain == [(signed_out_for_idleness(), 302)]
    assert REASON.format(30) in unescape(response.content.decode())
    assert list(Circumstances.objects.filter(person=person).values()) == circumstances_before
    assert AuditEvent.objects.count() == audit_before
    assert not signed_in(signed_in_client)


def test_filtering_the_register_list_with_htmx_after_the_idle_time_sends_the_whole_page_to_sign_in(
    signed_in_client, person, clock
):
    clock.shift(datetime.timedelta(minutes=30))

    response = signed_in_client.get(
        reverse("people:list"),
        {"rating": "red"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/people/?sort=name"},
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == signed_out_for_idleness("/people/?sort=name")
    assert not signed_in(signed_in_client)


def test_meeting_notes_saved_as_typed_after_the_idle_time_are_not_kept_and_lead_back_to_the_meeting(
    client, register, coordinator, clock
):
    make_person(register=register, by=coordinator, rating="red")
    meeting = new_meeting(coordinator, register)
    item = meeting.items.first()
    item_page = f"http://testserver{reverse('meetings:item', args=[meeting.pk, item.pk])}"
    client.force_login(coordinator)
    clock.shift(datetime.timedelta(minutes=30))

    response = client.post(
        reverse("meetings:autosave", args=[meeting.pk, item.pk]),
        {"notes-discussion": "Mum says school is", "notes-decisions": ""},
        headers={"HX-Request": "true", "HX-Current-URL": item_page},
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == signed_out_for_idleness(
        reverse("meetings:item", args=[meeting.pk, item.pk])
    )
    item.refresh_from_db()
    assert item.discussion == ""


def test_an_htmx_request_naming_another_site_as_its_page_is_not_sent_back_there(signed_in_client, clock):
    clock.shift(datetime.timedelta(minutes=30))

    response = signed_in_client.post(
        KEEP_ALIVE, headers={"HX-Request": "true", "HX-Current-URL": "https://example.com/people/"}
    )

    assert response["HX-Redirect"] == signed_out_for_idleness()


def test_signing_in_again_brings_them_back_to_the_page_they_were_on(signed_in_client, person, clock):
    clock.shift(datetime.timedelta(minutes=45))
    sign_in_page = signed_in_client.get(detail_url(person))["Location"]

    app = authenticator_app(person.ratings.first().rated_by)
    signed_in_client.post(
        sign_in_page, {"login": "coordinator", "password": "dsr-demo", "next": detail_url(person)}
    )
    response = signed_in_client.post(reverse("mfa_authenticate"), {"code": app.now()})

    assert response.status_code == 302
    assert response["Location"] == detail_url(person)
    assert signed_in_client.get(detail_url(person)).status_code == 200


def test_the_idle_time_comes_from_the_setting(signed_in_client, person, clock, settings):
    settings.SESSION_IDLE_MINUTES = 45
    clock.shift(datetime.timedelta(minutes=40))
    assert signed_in_client.get(detail_url(person)).status_code == 200

    clock.shift(datetime.timedelta(minutes=45))
    response = signed_in_client.get(detail_url(person), follow=True)

    assert response.redirect_chain == [(signed_out_for_idleness(detail_url(person)), 302)]
    assert REASON.format(45) in unescape(response.content.decode())


def test_the_sign_in_page_gives_no_reason_when_they_signed_in_for_the_first_time(client, db):
    html = unescape(client.get(SIGN_IN).content.decode())

    assert "Sign in to the Dynamic Support Register" in html
    assert "You were signed out" not in html


def test_pages_for_a_signed_in_user_carry_the_warning_and_what_its_script_needs(signed_in_client):
    html = signed_in_client.get(reverse("people:list")).content.decode()

    assert '<dialog class="dsr-timeout" id="session-timeout"' in html
    assert "Stay signed in" in html
    settings = json.loads(unescape(re.search(r'data-settings="([^"]*)"', html).group(1)))
    assert settings == {
        "secondsLeft": 30 * 60,
        "warnSeconds": 120,
        "statusUrl": STATUS,
        "keepAliveUrl": KEEP_ALIVE,
        "signInUrl": signed_out_for_idleness(),
    }


@pytest.mark.parametrize("url", [SIGN_IN, reverse("refer:start")])
def test_pages_for_someone_not_signed_in_have_no_warning(client, db, url):
    html = client.get(url).content.decode()

    assert "session-timeout" not in html
