"""The audit trail is append-only and shows tampering behind the app's back."""

import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, connections, transaction

from dsr import audit
from dsr.audit.chain import seal_events
from dsr.audit.models import AppendOnly, AuditChainHead, AuditEvent
from dsr.audit.verification import verify_chain


def write_views(person, by, n: int) -> None:
    for _ in range(n):
        audit.record_read(by=by, record=person, what="person_record")


def test_a_change_through_a_page_is_sealed_into_the_chain_after_it_commits(
    coordinator_client, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.get(f"/people/{person.pk}/")
    assert not AuditEvent.objects.filter(chain_position__isnull=True).exists()
    assert verify_chain().intact


def test_verify_audit_reports_an_intact_trail(person, coordinator, capsys):
    write_views(person, coordinator, 3)
    call_command("verify_audit")
    assert "The audit trail is intact" in capsys.readouterr().out


def test_editing_an_event_behind_the_apps_back_is_detected(person, coordinator):
    write_views(person, coordinator, 3)
    seal_events()
    victim = AuditEvent.objects.order_by("chain_position")[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_auditevent SET username = %s WHERE id = %s", ["someone-else", victim.pk]
        )
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit")
    assert any("changed after it was sealed" in p for p in verify_chain().problems)


def test_deleting_an_event_behind_the_apps_back_is_detected(person, coordinator):
    write_views(person, coordinator, 3)
    seal_events()
    victim = AuditEvent.objects.order_by("chain_position")[1]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM governance_auditevent WHERE id = %s", [victim.pk])
    assert any("missing" in p for p in verify_chain().problems)


def test_deleting_the_latest_events_is_detected(person, coordinator):
    write_views(person, coordinator, 3)
    seal_events()
    last = AuditEvent.objects.order_by("-chain_position").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM governance_auditevent WHERE id = %s", [last.pk])
    assert not verify_chain().intact


@pytest.mark.parametrize("address", ["192.0.2.1", "2001:DB8:0:0::1", "::ffff:192.0.2.1"])
def test_an_event_is_signed_as_the_database_gives_it_back_so_it_is_sealed(person, coordinator, address):
    with audit.audit_source(audit.RequestContext(source=AuditEvent.Source.WEB, ip_address=address, path="/")):
        event = audit.record_read(by=coordinator, record=person)
    seal_events()
    assert AuditEvent.objects.get(pk=event.pk).chain_position is not None
    assert verify_chain().intact


def test_an_event_still_waiting_to_be_sealed_is_not_tampering(person, coordinator):
    seal_events()
    audit.record_read(by=coordinator, record=person)
    verdict = verify_chain()
    assert verdict.intact, verdict.problems


def test_the_app_cannot_edit_or_delete_an_audit_event(person, coordinator):
    event = audit.record_read(by=coordinator, record=person)
    event.username = "someone-else"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.update(username="x")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(register, coordinator, person):
    """Many requests writing and sealing at once leave one unbroken chain with every event in it."""
    writers, per_writer = 6, 10
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(per_writer):
                for attempt in range(50):
                    try:
                        with transaction.atomic():
                            audit.record_read(by=coordinator, record=person)
                        break
                    except OperationalError:  # SQLite allows one writer at a time
                        time.sleep(0.01 * (attempt + 1))
            for attempt in range(50):
                try:
                    seal_events()
                    break
                except OperationalError:
                    time.sleep(0.01 * (attempt + 1))
        except BaseException as error:  # noqa: BLE001 (reported to the main thread)
            errors.append(error)
        finally:
            connections.close_all()

    existing = AuditEvent.objects.count()
    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    seal_events()
    verdict = verify_chain()
    assert verdict.intact, verdict.problems
    assert verdict.checked == existing + writers * per_writer
    assert AuditChainHead.objects.get().position == verdict.checked
