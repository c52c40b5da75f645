"""An installation whose audit trail was sealed before the audit key (plain SHA-256) is re-sealed with the
key by migration governance.0005, which checks the trail as it is first and refuses one that does not
verify."""

import hashlib
import hmac
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dsr.audit.chain import seal_events
from dsr.audit.models import REMOVED, AuditEvent
from dsr.audit.verification import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("governance", "0004_audit_changes_digest")]


def migrate(targets):
    """Migrate the test database; the models as they were at the targets."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def migrate_to_the_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def write_the_old_way(apps, changes: dict, *, previous: str | None, action: str = "view"):
    """An event as the release before the key wrote it and, unless `previous` is None, sealed it."""
    Event = apps.get_model("governance", "AuditEvent")
    salt = "ab" * 16
    event = Event.objects.create(
        username="coordinator",
        action=action,
        record_type="person",
        changes=changes,
        salt=salt,
        changes_digest=hmac.new(salt.encode(), canonical(changes).encode(), hashlib.sha256).hexdigest(),
        source="web",
        path="/people/",
    )
    if previous is None:
        return event
    position = Event.objects.filter(chain_position__isnull=False).count() + 1
    contents = {
        "position": position,
        "id": event.pk,
        "at": event.at.isoformat(),
        "user_id": None,
        "username": event.username,
        "register_id": None,
        "person_id": None,
        "action": event.action,
        "record_type": event.record_type,
        "record_id": "",
        "changes_digest": event.changes_digest,
        "source": event.source,
        "ip_address": None,
        "path": event.path,
    }
    event.chain_position = position
    event.hash = hashlib.sha256((previous + canonical(contents)).encode()).hexdigest()
    event.save()
    apps.get_model("governance", "AuditChainHead").objects.update_or_create(
        pk=1, defaults={"position": position, "hash": event.hash}
    )
    return event


def old_trail(apps):
    """Three sealed events, the second emptied by an erasure the third records, and one waiting."""
    first = write_the_old_way(apps, {"given_name": [None, "Jamie"]}, previous="0" * 64)
    emptied = write_the_old_way(apps, {"filters": {"q": "Rivers"}, "shown": ["a"]}, previous=first.hash)
    emptied.changes, emptied.salt, emptied.redacted = {"redacted": "Personal data removed"}, "", True
    emptied.save()
    tombstone = write_the_old_way(
        apps, {"rule": "Erased", "redacted_events": [emptied.pk]}, previous=emptied.hash, action="erase"
    )
    write_the_old_way(apps, {"page": 2}, previous=None)
    return first, emptied, tombstone


def test_a_trail_sealed_before_the_audit_key_is_sealed_with_it_and_still_verifies():
    first, emptied, tombstone = old_trail(migrate(BEFORE))

    migrate_to_the_latest()

    verdict = verify_chain()
    assert verdict.intact, verdict.problems
    assert verdict.checked == 3
    assert seal_events() == 1  # the event that was waiting, signed by the migration
    assert verify_chain().intact
    emptied = AuditEvent.objects.get(pk=emptied.pk)
    assert emptied.changes == REMOVED
    assert AuditEvent.objects.get(pk=first.pk).changes == {"given_name": [None, "Jamie"]}


def test_a_trail_that_does_not_verify_is_not_sealed_with_the_key():
    apps = migrate(BEFORE)
    first, _, _ = old_trail(apps)
    apps.get_model("governance", "AuditEvent").objects.filter(pk=first.pk).update(username="someone-else")

    try:
        with pytest.raises(RuntimeError, match="Audit event 1 was changed after it was sealed"):
            migrate_to_the_latest()
    finally:
        apps.get_model("governance", "AuditEvent").objects.all().delete()
        migrate_to_the_latest()
