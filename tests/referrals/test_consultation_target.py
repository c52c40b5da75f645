"""When a referral's consultation is due, in the register's calendar or working days, and when it is overdue,
as the triage queue, the referral page and the referrer's confirmation say it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from dsr.referrals import services
from dsr.referrals.targets import consultation_due_on, target_in_words
from dsr.registers.models import Role
from tests.factories import RegisterFactory, member
from tests.referrals.data import form_data, make_referral, send
from tests.rights.populated import text_of

D = datetime.date


def at(day: datetime.date) -> datetime.datetime:
    """10 in the morning, GMT."""
    return datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("received_on", "days", "working_days", "due_on"),
    [
        # Friday 18 December 2026, 5 working days: 21, 22, 23 and 24 December, then Christmas Day (Friday),
        # the weekend and Monday 28 December (the substitute for Boxing Day, a Saturday) are not counted.
        (D(2026, 12, 18), 5, True, D(2026, 12, 29)),
        # The same 5 as calendar days: Wednesday 23 December, bank holidays or not.
        (D(2026, 12, 18), 5, False, D(2026, 12, 23)),
        # Received on a Saturday: working days start on Monday; calendar days count the weekend.
        (D(2026, 12, 5), 5, True, D(2026, 12, 11)),
        (D(2026, 12, 5), 7, False, D(2026, 12, 12)),
        (D(2026, 12, 6), 1, True, D(2026, 12, 7)),  # a Sunday: due the next day, Monday
        # Easter 2027: Good Friday 26 March and Easter Monday 29 March are not working days.
        (D(2027, 3, 25), 1, True, D(2027, 3, 30)),
        (D(2027, 3, 25), 5, True, D(2027, 4, 5)),
        (D(2027, 3, 25), 5, False, D(2027, 3, 30)),
        # Calendar days across the end of a month or a year, in a leap year and not.
        (D(2027, 1, 28), 7, False, D(2027, 2, 4)),
        (D(2026, 2, 25), 7, False, D(2026, 3, 4)),
        (D(2028, 2, 25), 7, False, D(2028, 3, 3)),
        (D(2026, 12, 28), 7, False, D(2027, 1, 4)),
        (D(2026, 1, 30), 3, True, D(2026, 2, 4)),  # Friday to Wednesday, into February
    ],
)
def test_the_consultation_is_due_after_the_registers_days_counted_its_way(
    received_on, days, working_days, due_on
):
    assert consultation_due_on(received_on, days, working_days) == due_on


@pytest.mark.parametrize(
    ("days", "working_days", "words"),
    [(7, False, "7 days"), (1, False, "1 day"), (5, True, "5 working days"), (1, True, "1 working day")],
)
def test_the_target_is_said_in_words(days, working_days, words):
    assert target_in_words(days, working_days) == words


@pytest.fixture
def working_days_register(db):
    return RegisterFactory(
        short_name="Children", consultation_target_days=5, consultation_target_working_days=True
    )


def test_the_day_received_is_the_day_in_england(register):
    # 23:30 on 30 June in UTC is half past midnight on 1 July in British Summer Time.
    with time_machine.travel(datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC), tick=False):
        referral = make_referral(register)
    assert referral.received_on == D(2026, 7, 1)
    assert referral.consultation_due_on == D(2026, 7, 8)


def queue_and_page(client, referral, user) -> tuple[str, str]:
    """The queue and the referral page, signed in afresh on the day (the session would have timed out)."""
    client.force_login(user)
    queue = text_of(client.get(reverse("referrals:queue")).content.decode())
    page = text_of(client.get(reverse("referrals:detail", args=[referral.pk])).content.decode())
    return queue, page


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(D(2026, 12, 24), False), (D(2026, 12, 29), False), (D(2026, 12, 30), True)],
)
def test_a_coordinator_sees_the_due_date_in_working_days_and_overdue_only_after_it(
    client, working_days_register, today, overdue
):
    with time_machine.travel(at(D(2026, 12, 18)), tick=False):
        referral = make_referral(working_days_register)
    coordinator = member(working_days_register, Role.COORDINATOR)
    with time_machine.travel(at(today), tick=False):
        queue, page = queue_and_page(client, referral, coordinator)
    assert "18 December 2026" in queue
    assert "consultation due by 29 December 2026 (within 5 working days)" in queue
    assert "Consultation due by 29 December 2026 (within 5 working days)." in page
    assert ("Consultation overdue" in queue) == overdue
    assert ("Consultation overdue" in page) == overdue


def test_calendar_days_count_weekends_and_bank_holidays(client, register, coordinator):
    with time_machine.travel(at(D(2026, 12, 18)), tick=False):
        referral = make_referral(register)
    with time_machine.travel(at(D(2026, 12, 26)), tick=False):
        queue, page = queue_and_page(client, referral, coordinator)
    assert "8 days ago; consultation due by 25 December 2026 (within 7 days)" in queue
    assert "Consultation due by 25 December 2026 (within 7 days). Consultation overdue" in page


def test_an_offered_consultation_has_no_due_date_and_is_not_overdue(client, working_days_register):
    coordinator = member(working_days_register, Role.COORDINATOR)
    with time_machine.travel(at(D(2026, 12, 18)), tick=False):
        referral = make_referral(working_days_register)
    services.offer_consultation(referral=referral, by=coordinator)
    with time_machine.travel(at(D(2027, 1, 11)), tick=False):
        queue, page = queue_and_page(client, referral, coordinator)
    for text in (queue, page):
        assert "Consultation due" not in text and "consultation due" not in text
        assert "Consultation overdue" not in text


def test_the_referrer_is_told_the_day_a_consultation_is_due(client, working_days_register):
    with time_machine.travel(at(D(2027, 3, 25)), tick=False):
        data = form_data(working_days_register)
        send(client, data)
        confirmation = text_of(client.get(reverse("refer:sent")).content.decode())
    assert "aim to offer a conversation about it by 5 April 2027 (within 5 working days" in confirmation


QUERIES_ON_QUEUE = 8
QUERIES_ON_REFERRAL_PAGE = 10


@time_machine.travel(at(D(2028, 1, 10)), tick=False)
@pytest.mark.parametrize("working_days", [False, True])
def test_the_queue_and_the_referral_page_run_the_same_queries_however_the_target_is_counted(
    db, client, django_assert_num_queries, working_days
):
    register = RegisterFactory(consultation_target_days=5, consultation_target_working_days=working_days)
    client.force_login(member(register, Role.COORDINATOR))
    with time_machine.travel(at(D(2026, 12, 18)), tick=False):
        first = make_referral(register)
    client.get(reverse("referrals:queue"))
    with django_assert_num_queries(QUERIES_ON_QUEUE):
        client.get(reverse("referrals:queue"))
    with django_assert_num_queries(QUERIES_ON_REFERRAL_PAGE):
        client.get(reverse("referrals:detail", args=[first.pk]))
    # More referrals, received over Christmas, Easter and a new year, each with its own due date.
    for n, day in enumerate([D(2026, 12, 24), D(2027, 3, 25), D(2027, 3, 27), D(2027, 12, 31)]):
        with time_machine.travel(at(day), tick=False):
            make_referral(register, given_name=f"Child{n}")
    with django_assert_num_queries(QUERIES_ON_QUEUE):
        response = client.get(reverse("referrals:queue"))
    # In working days, the one received on 31 December 2027 is due today, 10 January 2028 (Monday 3 January is
    # the substitute for New Year's Day, a Saturday); in calendar days it was due on 5 January.
    assert text_of(response.content.decode()).count("Consultation overdue") == (4 if working_days else 5)
    with django_assert_num_queries(QUERIES_ON_REFERRAL_PAGE):
        client.get(reverse("referrals:detail", args=[first.pk]))
