"""The coordinator's triage: the queue, the referral page, each step, and the decision."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dsr.audit.models import AuditEvent
from dsr.dates import format_date
from dsr.notifications.models import Notification
from dsr.people.models import Person
from dsr.referrals import services
from dsr.referrals.models import Referral
from dsr.registers.models import Role
from tests.factories import make_person, member, valid_nhs_number
from tests.pages import error_summary
from tests.referrals.data import make_referral, professional_values


@pytest.fixture
def referral(register):
    return make_referral(register)


def detail(referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def test_the_queue_shows_each_open_referral_with_its_age_and_when_a_consultation_is_due(
    coordinator_client, register
):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=9)):
        old = make_referral(register, given_name="Olly")
    new = make_referral(register, given_name="Nia")
    page = coordinator_client.get(reverse("referrals:queue")).content.decode()
    assert page.index(old.reference) < page.index(new.reference)  # oldest first
    due = format_date(timezone.localdate() - datetime.timedelta(days=2))
    assert f"9 days ago; consultation due by {due} (within 7 days)" in page
    assert page.count("Consultation overdue") == 1


def test_an_offered_consultation_is_no_longer_overdue(coordinator_client, register, coordinator):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=9)):
        old = make_referral(register)
    services.offer_consultation(referral=old, by=coordinator)
    page = coordinator_client.get(reverse("referrals:queue")).content.decode()
    assert "Consultation overdue" not in page


def test_the_queue_runs_the_same_number_of_queries_however_many_referrals(
    coordinator_client, register, coordinator, django_assert_num_queries
):
    make_referral(register)
    coordinator_client.get(reverse("referrals:queue"))
    with django_assert_num_queries(8) as few:
        coordinator_client.get(reverse("referrals:queue"))
    for n in range(6):
        make_referral(register, given_name=f"Child{n}", nhs_number=valid_nhs_number())
    make_person(register=register, by=coordinator, given_name="Child1", family_name="Morgan")
    with django_assert_num_queries(len(few.captured_queries)):
        coordinator_client.get(reverse("referrals:queue"))


def test_the_queue_and_the_referral_page_are_audited(coordinator_client, referral):
    coordinator_client.get(reverse("referrals:queue"))
    listed = AuditEvent.objects.get(action=AuditEvent.Action.LIST, record_type="referral_queue")
    assert listed.changes["shown"] == [str(referral.pk)]
    coordinator_client.get(detail(referral))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, record_type="referral", record_id=str(referral.pk)
    ).exists()


def test_the_referral_page_shows_eligibility_reasons_and_history(coordinator_client, referral):
    page = coordinator_client.get(detail(referral)).content.decode()
    assert "Diagnosed with autism" in page
    assert "is eligible" in page
    assert "Sent by the public referral form" in page


def test_a_referral_for_someone_too_old_is_flagged_but_can_still_be_looked_at(coordinator_client, register):
    referral = make_referral(register, date_of_birth=datetime.date(1990, 1, 1), consent_given_by="person")
    page = coordinator_client.get(detail(referral)).content.decode()
    assert "may not be eligible" in page
    assert "Too old" in page


def test_a_person_already_on_the_register_is_flagged_as_a_possible_duplicate(
    coordinator_client, register, coordinator
):
    number = valid_nhs_number()
    known = make_person(
        register=register, by=coordinator, given_name="Alex", family_name="Morgan", nhs_number=number
    )
    by_number = make_referral(register, given_name="Al", nhs_number=number)
    by_name = make_referral(
        register, given_name=" alex ", family_name="MORGAN", date_of_birth=known.date_of_birth
    )
    queue = coordinator_client.get(reverse("referrals:queue")).content.decode()
    assert queue.count("Already known to the register") == 2
    for referral in (by_number, by_name):
        page = coordinator_client.get(detail(referral)).content.decode()
        assert "This may be someone already known" in page
        assert known.full_name in page


def test_two_open_referrals_for_the_same_person_flag_each_other(coordinator_client, register):
    first = make_referral(register)
    second = make_referral(register)
    page = coordinator_client.get(detail(second)).content.decode()
    assert first.reference in page
    assert (
        coordinator_client.get(reverse("referrals:queue")).content.decode().count("Another open referral")
        == 2
    )


def test_a_different_date_of_birth_is_not_a_duplicate(coordinator_client, register, coordinator):
    make_person(register=register, by=coordinator, given_name="Alex", family_name="Morgan")
    referral = make_referral(register, date_of_birth=datetime.date(2015, 1, 2))
    assert "No person on the register" in coordinator_client.get(detail(referral)).content.decode()


def test_a_referral_moves_through_triage_and_every_step_is_recorded(
    coordinator_client, referral, coordinator
):
    coordinator_client.post(
        reverse("referrals:offer_consultation", args=[referral.pk]), {"note": "Phoned mum"}
    )
    coordinator_client.post(reverse("referrals:await_meeting", args=[referral.pk]), {"summary": ""})
    response = coordinator_client.post(
        reverse("referrals:decide", args=[referral.pk]),
        {
            "decision": "declined",
            "reason": "Needs are met by school",
            "other_support": "Family support service",
        },
    )
    assert response["Location"] == detail(referral)
    coordinator_client.post(reverse("referrals:close", args=[referral.pk]), {"note": ""})
    referral.refresh_from_db()
    assert referral.state == Referral.State.CLOSED
    assert referral.decision == Referral.Decision.DECLINED
    assert referral.other_support == "Family support service"
    steps = list(referral.events.values_list("from_state", "to_state", "by"))
    assert steps == [
        ("", "received", None),
        ("received", "consultation_offered", coordinator.pk),
        ("consultation_offered", "awaiting_meeting", coordinator.pk),
        ("awaiting_meeting", "decided", coordinator.pk),
        ("decided", "closed", coordinator.pk),
    ]
    changes = AuditEvent.objects.filter(record_type="referral", action=AuditEvent.Action.CHANGE).order_by(
        "at", "pk"
    )
    assert [e.changes["state"][1] for e in changes if "state" in e.changes] == [
        "consultation_offered",
        "awaiting_meeting",
        "decided",
        "closed",
    ]
    page = coordinator_client.get(detail(referral)).content.decode()
    assert "Phoned mum" in page
    assert "Declined: Needs are met by school" in page


def test_a_decision_needs_a_reason_and_a_decline_the_other_support_suggested(coordinator_client, referral):
    response = coordinator_client.post(
        reverse("referrals:decide", args=[referral.pk]),
        {"decision": "declined", "reason": "", "other_support": ""},
    )
    assert error_summary(response) == [("#id_reason", "Enter the reason for the decision")]
    response = coordinator_client.post(
        reverse("referrals:decide", args=[referral.pk]),
        {"decision": "declined", "reason": "Not eligible", "other_support": " "},
    )
    assert error_summary(response) == [
        ("#id_other_support", "Enter what other support you suggested, or say why there is none")
    ]
    referral.refresh_from_db()
    assert referral.state == Referral.State.RECEIVED


def test_a_step_out_of_order_is_refused(coordinator_client, referral, coordinator):
    services.await_meeting(referral=referral, by=coordinator)
    response = coordinator_client.post(
        reverse("referrals:offer_consultation", args=[referral.pk]), {"note": ""}
    )
    assert error_summary(response) == [
        ("", "This referral is awaiting meeting: it cannot be moved to consultation offered")
    ]
    services.decide_referral(
        referral=referral, decision="declined", reason="No", other_support="GP", by=coordinator
    )
    response = coordinator_client.post(
        reverse("referrals:decide", args=[referral.pk]),
        {"decision": "declined", "reason": "Again", "other_support": "x"},
    )
    assert error_summary(response) == [("", "This referral is decided: it has been decided")]


def test_closing_without_a_decision_needs_a_reason(coordinator_client, referral):
    response = coordinator_client.post(reverse("referrals:close", args=[referral.pk]), {"note": ""})
    assert error_summary(response) == [("#id_note", "Enter why the referral is closed without a decision")]
    coordinator_client.post(reverse("referrals:close", args=[referral.pk]), {"note": "Family withdrew it"})
    referral.refresh_from_db()
    assert referral.state == Referral.State.CLOSED


def test_more_information_then_a_later_decision(coordinator_client, referral, coordinator):
    services.decide_referral(
        referral=referral, decision="more_information", reason="Need the diagnosis letter", by=coordinator
    )
    page = coordinator_client.get(detail(referral)).content.decode()
    assert "Accept onto the register" in page
    services.decide_referral(
        referral=referral,
        decision="declined",
        reason="Letter shows no diagnosis",
        other_support="GP",
        by=coordinator,
    )
    assert referral.decision == Referral.Decision.DECLINED


def test_every_decision_tells_the_family_and_the_referrer(register, coordinator):
    referral = services.submit_referral(register=register, answers=professional_values())
    assert Notification.objects.filter(template="referral_received").count() == 2
    services.decide_referral(
        referral=referral,
        decision="declined",
        reason="Not eligible",
        other_support="Local autism charity",
        by=coordinator,
    )
    decisions = Notification.objects.filter(template="referral_decision")
    assert sorted(decisions.values_list("to_email", flat=True)) == [
        "dana.okafor@example.org",
        "sam.morgan@example.com",
    ]
    assert all("Local autism charity" in n.body for n in decisions)
    referral.refresh_from_db()
    assert referral.family_told_at and referral.referrer_told_at


def test_no_email_means_no_message_and_the_page_says_so(coordinator_client, register, coordinator):
    referral = make_referral(register, contact_email="")
    assert Notification.objects.count() == 0
    services.decide_referral(
        referral=referral, decision="declined", reason="No", other_support="GP", by=coordinator
    )
    assert Notification.objects.count() == 0
    assert "No email address given" in coordinator_client.get(detail(referral)).content.decode()


# Who may triage.


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.KEYWORKER, Role.REFERRER, Role.IG, Role.ANALYST])
def test_only_coordinators_triage(client, register, referral, role):
    client.force_login(member(register, role))
    assert client.get(reverse("referrals:queue")).status_code == 403
    assert client.get(detail(referral)).status_code == 403


def test_a_referral_to_another_register_does_not_exist_for_a_coordinator(coordinator_client, other_register):
    elsewhere = make_referral(other_register)
    assert coordinator_client.get(detail(elsewhere)).status_code == 404
    for name in ("offer_consultation", "await_meeting", "decide", "accept", "close"):
        assert (
            coordinator_client.post(reverse(f"referrals:{name}", args=[elsewhere.pk]), {}).status_code == 404
        )
    assert elsewhere.reference not in coordinator_client.get(reverse("referrals:queue")).content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.state == Referral.State.RECEIVED


def test_an_unknown_referral_id_is_not_found(coordinator_client):
    assert coordinator_client.get("/referrals/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert Person.objects.count() == 0


def test_the_consultation_summary_is_kept_and_a_copy_goes_to_the_referrer(
    coordinator_client, register, coordinator
):
    referral = services.submit_referral(register=register, answers=professional_values())
    services.offer_consultation(referral=referral, by=coordinator)

    coordinator_client.post(
        reverse("referrals:await_meeting", args=[referral.pk]),
        {"summary": "Met Sam and Dana. Agreed to bring Alex to Thursday's meeting."},
    )

    referral.refresh_from_db()
    assert referral.state == Referral.State.AWAITING_MEETING
    assert referral.consultation_summary == "Met Sam and Dana. Agreed to bring Alex to Thursday's meeting."
    page = coordinator_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Met Sam and Dana. Agreed to bring Alex to Thursday" in page
    copy = Notification.objects.get(template="consultation_summary")
    assert copy.to_email == "dana.okafor@example.org"
    assert "Agreed to bring Alex to Thursday's meeting." in copy.body
