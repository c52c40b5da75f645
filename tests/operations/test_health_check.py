"""The health check a load balancer polls: no sign-in, no person data, 503 when something is wrong."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from dsr.audit.models import AuditEvent
from dsr.operations import health
from dsr.operations.models import WorkerHeartbeat
from dsr.operations.worker import beat


@pytest.fixture(autouse=True)
def schema_checked_afresh(monkeypatch):
    """The check remembers, per process, that the schema was up to date: each test starts unsure."""
    monkeypatch.setattr(health, "_schema_up_to_date", False)


def test_all_is_well_when_the_database_answers_the_schema_is_current_and_a_worker_was_seen(db, client):
    beat(worker_id="worker-1", started_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "migrations": True,
        "worker": True,
    }
    assert "no-store" in response["Cache-Control"]


def test_without_a_worker_the_check_fails_and_says_how_to_start_one(db, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "ok": False,
        "detail": "No background worker has ever run: start manage.py db_worker",
    }


def test_a_worker_not_seen_for_four_heartbeats_has_gone(db, client, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 30
    beat(worker_id="worker-1", started_at=timezone.now())
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=119))
    assert client.get("/healthz").status_code == 200
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=125))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["detail"].startswith(
        "No background worker has been seen for 12"
    )


def test_a_migration_not_applied_fails_the_check(db, client):
    beat(worker_id="worker-1", started_at=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'operations' AND name = '0001_initial'")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "ok": False,
        "detail": "1 migrations are not applied: run manage.py migrate",
    }


def test_the_check_needs_no_sign_in_writes_no_audit_event_and_names_no_one(db, client, person):
    beat(worker_id="worker-1", started_at=timezone.now())
    before = AuditEvent.objects.count()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before
    assert person.family_name not in response.content.decode()
    assert "sessionid" not in response.cookies


def test_the_check_answers_over_plain_http_even_where_https_is_required(db, client, settings):
    """A load balancer probes each instance directly, often without TLS."""
    settings.SECURE_SSL_REDIRECT = True
    beat(worker_id="worker-1", started_at=timezone.now())
    assert client.get("/healthz").status_code == 200
    assert client.get("/sign-in/").status_code == 301
