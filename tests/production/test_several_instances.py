"""Several instances behind a load balancer, one PostgreSQL database: whichever instance a request
reaches, it sees the same sessions, records and limits, and the background work happens once."""

import datetime
import re
import secrets
import time
from urllib.parse import urlsplit

import pytest

from tests.pages import date_fields
from tests.production.deployment import Visitor
from tests.referrals.data import form_data


def wait_for(condition, *, seconds: float = 30, what: str = "the condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"Gave up waiting for {what}")


@pytest.fixture
def two_instances(processes):
    return processes.start_web(workers=2), processes.start_web(workers=2)


def test_a_session_started_on_one_instance_works_on_the_other(processes, two_instances):
    first, second = two_instances
    coordinator = Visitor(first.url)
    coordinator.sign_in("coordinator", processes)

    page = coordinator.at(second.url).get("/people/", allow_redirects=False)
    assert page.status_code == 200
    assert "Sign out" in page.text


def test_a_rating_saved_through_one_instance_is_seen_through_the_other(processes, two_instances):
    first, second = two_instances
    person_id = processes.one(
        "SELECT id FROM people_person WHERE status = 'active' ORDER BY family_name, given_name LIMIT 1"
    )
    factors = [row[0] for row in processes.query("SELECT id FROM ratings_riskfactor ORDER BY id LIMIT 2")]
    coordinator = Visitor(first.url)
    coordinator.sign_in("coordinator", processes)
    saved = coordinator.submit(
        f"/people/{person_id}/rating/",
        {
            "rating": "red",
            "rationale": "Seen through the first instance: police called twice",
            "risk_factors": factors,
            **date_fields("next_review_due", datetime.date.today() + datetime.timedelta(days=7)),
        },
    )
    assert saved.status_code == 200 and "Rating saved" in saved.text, saved.text[:3000]

    page = coordinator.at(second.url).get(f"/people/{person_id}/")
    assert "Seen through the first instance: police called twice" in page.text


def send_referral(base_url: str, register_id: int, client_address: str) -> str | None:
    """A family sends a referral through the public form, from an address of its own: the reference
    number the confirmation page gives, or None if the referral was refused as one too many."""
    family = Visitor(base_url, forwarded_for=client_address)
    # Each page of the form in turn, with the one-time token the pages were rendered with.
    answers = {**form_data(submission_token=None), "register": str(register_id)}
    path = "/refer/form/"
    for _ in range(12):
        answered = family.submit(path, answers)
        if answered.url.endswith("/refer/check/"):
            break
        assert urlsplit(answered.url).path != path, answered.text[:3000]  # a page with something wrong
        path = urlsplit(answered.url).path
    assert answered.url.endswith("/refer/check/"), answered.text[:3000]
    sent = family.submit("/refer/check/", {})
    if sent.status_code == 429:
        return None
    assert sent.url.endswith("/refer/sent/"), sent.text[:3000]
    return re.search(r'<strong id="reference">([^<]+)</strong>', sent.text).group(1)


def receipt_of(deployment, reference: str) -> str:
    """The id of the receipt queued for the family who sent this referral (the message's reference)."""
    return str(
        deployment.one(
            "SELECT n.id FROM notifications_notification n JOIN referrals_referral r ON n.referral_id = r.id "
            "WHERE r.reference = %s AND n.template = 'referral_received'",
            (reference,),
        )
    )


def unique_address() -> str:
    """An address no other test, or earlier run, has sent from: the cache outlives a run."""
    return f"2001:db8::{secrets.randbits(16):x}:{secrets.randbits(16):x}"


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_the_referral_limit_is_one_limit_across_workers_and_instances(processes, cache):
    settings = {"REFERRAL_SUBMISSIONS_PER_HOUR": 3}
    if cache == "redis":
        settings["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    instances = [processes.start_web(workers=2, **settings) for _ in range(2)]
    register_id = processes.one("SELECT id FROM registers_register ORDER BY id LIMIT 1")
    client_address = unique_address()

    answers = [send_referral(instances[n % 2].url, register_id, client_address) for n in range(5)]

    assert [answer is not None for answer in answers] == [True, True, True, False, False]


def test_each_message_is_sent_once_however_many_workers_run(processes, notify):
    web = processes.start_web(**notify.settings)
    for _ in range(3):
        processes.start_worker(**notify.settings)
    register_id = processes.one("SELECT id FROM registers_register ORDER BY id LIMIT 1")
    references = [
        receipt_of(processes, send_referral(web.url, register_id, unique_address())) for _ in range(4)
    ]

    wait_for(
        lambda: all(notify.sent_with_reference(reference) for reference in references),
        what="every receipt to be sent",
    )
    time.sleep(3)  # time enough for a second send, were there to be one

    assert sorted(len(notify.sent_with_reference(reference)) for reference in references) == [1, 1, 1, 1]


def test_the_nightly_retention_run_happens_once_however_many_workers_run(processes):
    task = "dsr.governance.tasks.apply_retention_daily"
    for _ in range(3):
        processes.start_worker()
    waiting = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path = %s AND status = %s"
    wait_for(lambda: processes.one(waiting, (task, "READY")) == 1, what="the nightly run to be queued")
    time.sleep(3)  # every worker has started and checked the schedule by now
    assert processes.one(waiting, (task, "READY")) == 1

    # Night falls: the queued run is due now.
    processes.query(
        "UPDATE django_tasks_database_dbtaskresult SET run_after = now() "
        "WHERE task_path = %s AND status = %s",
        (task, "READY"),
    )
    wait_for(lambda: processes.one(waiting, (task, "SUCCESSFUL")) >= 1, what="the nightly run")
    wait_for(lambda: processes.one(waiting, (task, "READY")) == 1, what="the next night's run to be queued")
    time.sleep(3)

    assert processes.one(waiting, (task, "SUCCESSFUL")) == 1
    assert processes.one(waiting, (task, "READY")) == 1
    assert processes.one("SELECT count(*) FROM operations_dailyrun WHERE job = 'retention'") == 1
