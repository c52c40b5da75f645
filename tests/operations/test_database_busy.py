"""A request the database gives up on (another request holds what it needs for too long) ends with the
"try again; nothing was saved" page, and nothing was saved."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.people import services
from dsr.people.models import Circumstances
from dsr.people.values import CircumstancesUpdate
from tests.people.test_contacts_and_circumstances import circumstances_form


class HeldElsewhere(Exception):
    """Ends the other request's transaction without saving."""


def hold_circumstances(person, locked: threading.Event, release: threading.Event) -> None:
    """Another request, in another connection, changing the same record and taking its time."""
    try:
        with transaction.atomic():
            Circumstances.objects.filter(person=person).update(health="Being changed elsewhere")
            locked.set()
            release.wait(timeout=30)
            raise HeldElsewhere
    except HeldElsewhere:
        pass
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_a_change_that_waits_too_long_for_a_lock_says_try_again_and_saves_nothing(coordinator, person):
    services.update_circumstances(
        person=person,
        circumstances=CircumstancesUpdate(**circumstances_form(health="As it was")),
        by=coordinator,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the setting DATABASE_LOCK_TIMEOUT_MS, shortened
            cursor.execute("SET lock_timeout = '300ms'")
    changes_before = AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).count()
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    locked, release = threading.Event(), threading.Event()
    other = threading.Thread(target=hold_circumstances, args=(person, locked, release))
    other.start()
    try:
        assert locked.wait(timeout=10)
        url = reverse("people:change_circumstances", kwargs={"person_id": person.pk})
        response = client.post(url, circumstances_form(health="Changed here"))
    finally:
        release.set()
        other.join()

    assert response.status_code == 503
    page = response.content.decode()
    assert "Sorry, the service is busy" in page
    assert "Nothing you entered has been saved" in page
    assert response["Retry-After"] == "30"
    assert Circumstances.objects.get(person=person).health == "As it was"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).count() == changes_before
