"""Two coordinators deciding the same referral at the same moment: the first decides it, the second is told
who did what, and nothing is done twice."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from dsr.notifications.models import Notification
from dsr.people.models import Person
from dsr.referrals import services
from dsr.referrals.models import Referral, ReferralEvent
from dsr.registers.models import Role
from tests.factories import member, national_risk_factors
from tests.pages import audit_changes, error_summary
from tests.referrals.data import professional_values
from tests.referrals.test_accept import accept_url, acceptance
from tests.submissions.test_forms_sent_twice import sent_until_answered

AT_10_42 = datetime.datetime(2026, 3, 2, 10, 42, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def other_coordinator(register):
    return member(register, Role.COORDINATOR, username="tom", first_name="Tom", last_name="Baker")


@pytest.fixture
def clock(time_machine):
    """A Monday morning, from before the referral arrives."""
    time_machine.move_to(AT_10_42)


@pytest.fixture
def referral(clock, register) -> Referral:
    """A social worker's referral of Alex Morgan: the family and the social worker are told each decision."""
    return services.submit_referral(register=register, answers=professional_values())


def stored(referral) -> dict:
    """What a decision makes, to show that a refused one made nothing."""
    return {
        "people": Person.objects.count(),
        "steps": ReferralEvent.objects.filter(referral=referral).count(),
        "messages": Notification.objects.filter(referral=referral).count(),
        "audit changes": audit_changes(),
    }


def accept(referral, by) -> None:
    services.accept_referral(
        referral=referral,
        reason="Meets the criteria",
        rating="amber",
        rationale="Placement at risk",
        factors=national_risk_factors()[:1],
        by=by,
    )


def decline(referral, by) -> None:
    services.decide_referral(
        referral=referral, decision="declined", reason="Needs met by school", other_support="GP", by=by
    )


def close(referral, by) -> None:
    services.close_referral(referral=referral, note="The family withdrew it", by=by)


ACCEPTED = "Priya Shah accepted this referral at 10:42: Alex Morgan is on the register"
DECLINED = "Priya Shah declined this referral at 10:42"
CLOSED = "Priya Shah closed this referral at 10:42"
# What Tom sends on each step's page.
TOMS_FORM = {
    "accept": acceptance,
    "decide": lambda: {"decision": "declined", "reason": "Not eligible", "other_support": "GP"},
    "offer_consultation": lambda: {"note": "Phoned mum"},
    "close": lambda: {"note": "Withdrawn"},
}


@pytest.mark.parametrize(
    ("what_priya_did", "step", "message"),
    [
        (accept, "accept", ACCEPTED),
        (accept, "decide", ACCEPTED),
        (decline, "accept", DECLINED),
        (close, "offer_consultation", CLOSED),
        (close, "close", CLOSED),
    ],
)
def test_a_step_on_a_referral_another_coordinator_has_just_decided_changes_nothing_and_says_who(
    client, referral, coordinator, other_coordinator, what_priya_did, step, message
):
    """Tom opens the form; Priya decides the referral before he sends it."""
    client.force_login(other_coordinator)
    url = reverse(f"referrals:{step}", args=[referral.pk])
    assert client.get(url).status_code == 200
    what_priya_did(Referral.objects.get(pk=referral.pk), coordinator)
    before = stored(referral)

    response = client.post(url, TOMS_FORM[step]())

    assert response.status_code == 200
    assert error_summary(response) == [("", message)]
    assert stored(referral) == before


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_accepting_at_the_same_moment_make_one_person_and_one_set_of_messages(
    referral, coordinator, other_coordinator
):
    browsers = {}
    for user in (coordinator, other_coordinator):
        browsers[user.username] = Client()
        browsers[user.username].force_login(user)
    form = acceptance(risk_factors=[str(factor.pk) for factor in national_risk_factors()[:2]])
    together = threading.Barrier(len(browsers))
    answers, errors = {}, []

    def send(username: str) -> None:
        try:
            together.wait(timeout=10)
            answers[username] = sent_until_answered(browsers[username], accept_url(referral), form)
        except BaseException as error:  # noqa: BLE001 (reported to the main thread)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(username,)) for username in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    referral.refresh_from_db()
    person = Person.objects.get()
    assert referral.person == person
    assert ReferralEvent.objects.filter(referral=referral, to_state=Referral.State.DECIDED).count() == 1
    told = Notification.objects.filter(referral=referral, template="referral_decision")
    assert sorted(told.values_list("to_email", flat=True)) == [
        "dana.okafor@example.org",
        "sam.morgan@example.com",
    ]

    first = referral.decided_by
    second = other_coordinator if first == coordinator else coordinator
    assert answers[first.username]["Location"] == reverse("people:detail", args=[person.pk])
    at = f"{referral.decided_at.astimezone(ZoneInfo('Europe/London')):%H:%M}"
    told_second = f"{first.get_full_name()} accepted this referral at {at}: Alex Morgan is on the register"
    assert error_summary(answers[second.username]) == [("", told_second)]
