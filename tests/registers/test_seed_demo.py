import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from dsr.dates import age_on, today
from dsr.meetings.models import Meeting
from dsr.people.models import Admission, Involvement, Person
from dsr.referrals.models import Referral
from dsr.registers.models import Membership, Register, Role
from dsr.registers.personas import DEMO_PASSWORD, PERSONAS
from dsr.rights.models import SubjectAccessRequest


def test_seed_demo_builds_two_registers_a_user_per_role_and_about_sixty_people(db, capsys):
    call_command("seed_demo")
    assert Register.objects.count() == 2
    assert Person.objects.count() == 61  # sixty, and the child whose referral was accepted
    for role in Role:
        assert Membership.objects.filter(user__username=role.value, role=role).exists(), role
    assert get_user_model().objects.get(username="coordinator").check_password(DEMO_PASSWORD)
    ratings = set(Person.objects.values_list("current_rating", flat=True))
    assert ratings == {"red", "amber", "green", "blue"}
    assert Admission.objects.exists()
    assert all(p.nhs_number.startswith("999") for p in Person.objects.all())
    out = capsys.readouterr().out
    for persona in PERSONAS:
        assert persona.username in out
    assert DEMO_PASSWORD in out


def test_seed_demo_if_empty_leaves_existing_data_alone(db):
    call_command("seed_demo")
    before = Person.objects.count()
    call_command("seed_demo", "--if-empty")
    assert Person.objects.count() == before


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo, built once for this module's tests and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db):
    return None


def test_the_demo_has_last_months_meeting_finished_with_its_decisions_recorded(demo):
    held = Meeting.objects.get(status=Meeting.Status.FINISHED)
    assert held.held_on < today()
    decided = held.items.filter(discussed=True).exclude(decisions="")
    assert decided.count() >= 3
    assert held.ratings.filter(rating="red").exists()  # the meeting raised a rating
    assert held.actions.exists()  # and agreed an action
    assert held.attendees.filter(present=True).exists()


def test_the_demo_has_next_weeks_meeting_with_its_agenda_and_the_referral_awaiting_it(demo):
    upcoming = Meeting.objects.get(held_on__gt=today())
    assert upcoming.held_on <= today() + datetime.timedelta(days=31)
    assert upcoming.status == Meeting.Status.PLANNED
    assert upcoming.items.filter(person__isnull=False).count() >= 5
    waiting = Referral.objects.get(state=Referral.State.AWAITING_MEETING)
    assert upcoming.items.filter(referral=waiting).exists()


def test_the_demo_has_referrals_in_every_state_and_with_every_decision(demo):
    assert set(Referral.objects.values_list("state", flat=True)) == set(Referral.State.values)
    decided = Referral.objects.filter(state=Referral.State.DECIDED)
    assert set(decided.values_list("decision", flat=True)) == set(Referral.Decision.values)
    withdrawn = Referral.objects.get(state=Referral.State.CLOSED)
    assert withdrawn.decision == ""  # closed before a decision: withdrawn
    accepted = decided.get(decision=Referral.Decision.ACCEPTED)
    assert Person.objects.filter(given_name=accepted.given_name, family_name=accepted.family_name).exists()


def test_the_demo_has_an_open_subject_access_request(demo):
    request = SubjectAccessRequest.objects.get()
    assert request.is_open
    assert request.due_on > today()


def test_the_demo_has_a_child_turning_18_within_six_months(demo):
    soon = today() + datetime.timedelta(days=183)
    children = Person.objects.filter(register__max_age__lt=18, status=Person.Status.ACTIVE)
    assert any(
        age_on(p.date_of_birth, today()) == 17 and age_on(p.date_of_birth, soon) >= 18 for p in children
    )


def test_the_demos_care_teams_fit_the_persons_age(demo):
    """A school's SENCO is in children's care teams, never in an adult's; every child has their school."""
    adults_with_school = Involvement.objects.filter(
        person__register__min_age__gte=18, organisation__kind="school"
    ) | Involvement.objects.filter(person__register__min_age__gte=18, role__icontains="SENCO")
    assert not adults_with_school.exists()
    children = Person.objects.filter(register__max_age__lt=18)
    for child in children:
        assert child.involvements.filter(role="SENCO").exists(), child.full_name
