"""The benchmark's data set, built small: the shape `make bench` builds at national size, and a trail that
`verify_audit` finds intact, so the benchmark measures what the application itself would have made."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dsr.audit.verification import verify_chain
from dsr.bench import dataset, measure, report
from dsr.people.models import Person
from dsr.ratings.models import RiskRating


@pytest.fixture
def made(db):
    return dataset.build(200, log=lambda *args: None)


def test_the_data_set_has_its_registers_people_and_worst_case(made):
    sizes = dataset.register_sizes(200)
    assert sum(sizes) == 200 and sizes[0] == 20  # the largest holds a tenth of everyone
    assert Person.objects.count() == 200
    assert Person.objects.filter(register=made.largest.register).count() == 20
    assert RiskRating.objects.filter(person_id=made.worst_case).count() == dataset.WORST_CASE_RATINGS
    numbers = list(Person.objects.values_list("nhs_number", flat=True))
    assert len(set(numbers)) == 200 and all(n.startswith("999") and len(n) == 10 for n in numbers)


def test_its_audit_trail_is_sealed_and_verifies_with_the_checkpoint_of_last_night(made):
    verdict = verify_chain(checkpoints=[made.checkpoint], since_checkpoint=True)
    assert verdict.intact, verdict.problems
    assert verdict.since == made.checkpoint
    whole = verify_chain(checkpoints=[made.checkpoint])
    assert whole.intact and whole.checked == 200 * dataset.AUDIT_EVENTS_A_PERSON


def test_a_bench_account_signs_in_with_its_password_and_code_and_opens_its_pages(made):
    coordinator = User.objects.get(pk=made.largest.coordinators[0])
    client = measure.signed_in(coordinator.username)
    response = client.get(reverse("people:detail", kwargs={"person_id": made.worst_case}))
    assert response.status_code == 200
    assert "Show all" in response.content.decode()  # 500 rating entries: the latest are shown


def test_the_report_checks_the_targets_at_the_largest_size():
    def timing(operation, people, seconds, queries=22, sql=0.01):
        return measure.Timing(operation, people, [seconds] * 9, queries, [sql] * 9)

    timings = [
        timing("register list, page 1", 1_000, 0.050),
        timing("register list, page 1", 100_000, 0.090),
        timing("register list, a deep page", 100_000, 0.060),
        timing("name search", 100_000, 0.120, queries=23),
        timing("name search", 1_000, 0.050),
    ]
    found = {(t.operation, t.wanted): t.met for t in report.targets(timings)}
    assert found[("register list, page 1", "p95 under 100 ms")] is True
    assert found[("register list, page 1", "within 3× plain SQL")] is False
    assert found[("register list, page 1", "at 100,000 people no more than 1.5× its time at 1,000")] is False
    assert found[("register list, a deep page", "as fast as page 1 (within 1.25×)")] is True
    assert found[("name search", "p95 under 100 ms")] is False
    assert found[("name search", "the same number of queries at every size")] is False
    assert "| register list, page 1 | 100,000 | 90.0 ms |" in report.table(timings, "A run")


def test_a_page_is_counted_at_its_own_queries_not_the_session_write_a_minute_brings(made, time_machine):
    """Once a minute a request also notes the user's activity in their session: the table counts the page's
    own queries, so the count does not depend on how long the runs took."""
    time_machine.move_to(timezone.now(), tick=False)
    coordinator = User.objects.get(pk=made.largest.coordinators[0])
    client = measure.signed_in(coordinator.username)
    answered = []

    def list_page():
        answered.append(client.get(reverse("people:list")).status_code)

    def list_page_half_a_minute_later():
        time_machine.shift(30)
        list_page()

    _, quick_runs = measure._timed(list_page, 3)
    with CaptureQueriesContext(connection) as spanning_a_minute:
        _, slow_runs = measure._timed(list_page_half_a_minute_later, 3)
    assert set(answered) == {200}
    assert slow_runs == quick_runs
    assert len(spanning_a_minute) > 4 * quick_runs  # the session was written in one of them
