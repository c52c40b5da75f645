"""A referrer opens each referral they made: where it has got to, the decision and why, and whom to contact;
never what the team noted while triaging it, and never anyone else's referral."""

import pytest
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.referrals import services
from dsr.registers.models import Role
from tests.factories import member
from tests.referrals.data import professional_values


@pytest.fixture
def referrer(register):
    return member(register, Role.REFERRER, first_name="Dana", last_name="Okafor")


def made_by(user, register, **overrides):
    return services.submit_referral(register=register, answers=professional_values(**overrides), by=user)


def test_a_referrer_opens_a_referral_from_their_list(client, register, referrer):
    referral = made_by(referrer, register)
    client.force_login(referrer)
    listing = client.get(reverse("referrals:mine")).content.decode()
    url = reverse("referrals:my_referral", args=[referral.pk])
    assert f'href="{url}"' in listing

    page = client.get(url).content.decode()
    assert "Alex Morgan" in page and referral.reference in page
    assert "Received" in page
    assert "aim to offer a conversation about it by" in page


def test_it_shows_the_decision_and_reason_but_nothing_the_team_noted(client, register, referrer, coordinator):
    register.team_phone = "01622 000 001"
    register.save()
    referral = made_by(referrer, register)
    services.offer_consultation(referral=referral, note="Mum sounded very low on the phone", by=coordinator)
    services.await_meeting(referral=referral, summary="Discussed the school placement", by=coordinator)
    services.decide_referral(
        referral=referral,
        decision="declined",
        reason="Needs are met by school",
        other_support="Family support service",
        by=coordinator,
    )
    client.force_login(referrer)
    page = client.get(reverse("referrals:my_referral", args=[referral.pk])).content.decode()
    assert "Declined" in page and "Needs are met by school" in page and "Family support service" in page
    assert "Mum sounded very low" not in page
    assert "Discussed the school placement" not in page
    assert coordinator.username not in page
    assert 'href="tel:01622000001"' in page


def test_the_read_is_audited(client, register, referrer):
    referral = made_by(referrer, register)
    client.force_login(referrer)
    client.get(reverse("referrals:my_referral", args=[referral.pk]))
    assert AuditEvent.objects.filter(
        user_id=referrer.pk, action=AuditEvent.Action.VIEW, record_id=str(referral.pk)
    ).exists()


def test_someone_elses_referral_is_not_found(client, register, other_register, referrer, coordinator):
    someone_elses = made_by(coordinator, register)
    another_referrer = member(register, Role.REFERRER)
    theirs = made_by(another_referrer, register)
    # A referral they made to a register they are no longer a member of.
    elsewhere = made_by(referrer, other_register)
    client.force_login(referrer)
    for referral in (someone_elses, theirs, elsewhere):
        assert client.get(reverse("referrals:my_referral", args=[referral.pk])).status_code == 404
    assert not AuditEvent.objects.filter(user_id=referrer.pk, action=AuditEvent.Action.VIEW).exists()


def test_a_page_runs_a_fixed_number_of_queries(client, register, referrer, django_assert_max_num_queries):
    referral = made_by(referrer, register)
    client.force_login(referrer)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("referrals:my_referral", args=[referral.pk])).status_code == 200
