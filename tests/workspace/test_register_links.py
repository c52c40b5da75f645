"""A link to a person's record works across the registers the user belongs to: it switches the register
they work in and says so; a register they do not belong to stays a 404."""

import pytest
from django.urls import reverse

from dsr.access import SESSION_KEY
from dsr.audit.models import AuditEvent
from dsr.registers.models import Role
from tests.factories import MembershipFactory, make_person, member


@pytest.fixture
def elsewhere(other_register, db):
    """Someone on the other register."""
    other_coordinator = member(other_register, Role.COORDINATOR)
    return make_person(register=other_register, by=other_coordinator, given_name="Morgan", family_name="Lee")


def join(user, register, role):
    MembershipFactory(user=user, register=register, role=role)


@pytest.fixture(autouse=True)
def working_in_the_first_register(client, register):
    """Whoever signs in works in `register` (its name sorts after the other's, which would come first)."""
    session = client.session
    session[SESSION_KEY] = register.pk
    session.save()


def test_opening_someone_in_another_of_your_registers_switches_to_it_and_says_so(
    coordinator_client, coordinator, register, other_register, elsewhere
):
    join(coordinator, other_register, Role.PROFESSIONAL)
    url = reverse("people:detail", kwargs={"person_id": elsewhere.pk})

    response = coordinator_client.get(url, follow=True)

    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    assert "You are now working in the Barking and Dagenham register" in html
    assert "Morgan Lee" in html
    assert coordinator_client.session[SESSION_KEY] == other_register.pk
    read = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, person_id=elsewhere.pk)
    assert read.user_id == coordinator.pk
    assert read.register_id == other_register.pk


def test_a_page_under_the_record_switches_too(coordinator_client, coordinator, other_register, elsewhere):
    join(coordinator, other_register, Role.COORDINATOR)
    url = reverse("people:change_details", kwargs={"person_id": elsewhere.pk})
    response = coordinator_client.get(url, follow=True)
    assert response.status_code == 200
    assert "You are now working in the Barking and Dagenham register" in response.content.decode()


def test_a_form_sent_to_someone_in_another_register_is_not_saved_but_opens_there(
    coordinator_client, coordinator, other_register, elsewhere
):
    join(coordinator, other_register, Role.COORDINATOR)
    url = reverse("people:log_contact", kwargs={"person_id": elsewhere.pk})
    response = coordinator_client.post(url, {"kind": "phone", "summary": "Called mum"})
    assert response.status_code == 302 and response["Location"] == url
    assert not elsewhere.contacts.exists()


def test_someone_in_a_register_you_do_not_belong_to_is_still_not_found(coordinator_client, elsewhere):
    response = coordinator_client.get(reverse("people:detail", kwargs={"person_id": elsewhere.pk}))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, person_id=elsewhere.pk).exists()


def test_a_role_that_may_not_open_the_record_there_is_not_switched(
    coordinator_client, coordinator, other_register, elsewhere
):
    """A referrer in the other register opens no records there."""
    join(coordinator, other_register, Role.REFERRER)
    response = coordinator_client.get(reverse("people:detail", kwargs={"person_id": elsewhere.pk}))
    assert response.status_code == 404
    assert coordinator_client.session[SESSION_KEY] != other_register.pk


def test_a_keyworker_switches_only_for_someone_allocated_to_them(client, register, other_register, elsewhere):
    keyworker = member(register, Role.KEYWORKER)
    join(keyworker, other_register, Role.KEYWORKER)
    client.force_login(keyworker)
    response = client.get(reverse("people:detail", kwargs={"person_id": elsewhere.pk}))
    assert response.status_code == 404
