"""Someone who can write to the database, but has not got the audit key, rewrites the audit trail with SQL
as an attacker would; `verify_audit` reports each rewrite."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from dsr import audit
from dsr.audit.chain import GENESIS, ChainHeadMissing, seal_events
from dsr.audit.models import AuditEvent
from dsr.audit.redaction import canonical
from dsr.audit.verification import verify_chain

COLUMNS = [
    "at",
    "user_id",
    "username",
    "register_id",
    "person_id",
    "action",
    "record_type",
    "record_id",
    "changes",
    "salts",
    "redactions",
    "changes_digest",
    "redacted",
    "source",
    "ip_address",
    "path",
    "signature",
]


def sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def verify_audit(*args: str) -> str:
    """Run `verify_audit`; what it printed, or what it reported if it failed."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as failure:
        return f"FAILED: {failure}\n{err.getvalue()}"
    return out.getvalue()


def sealed() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(chain_position__isnull=False).order_by("chain_position"))


def hash_without_the_key(previous: str, event: AuditEvent) -> str:
    """What an attacker can compute: the chain's hash with plain SHA-256, as it was before the key."""
    contents = {
        "at": event.at.isoformat(),
        "user_id": event.user_id,
        "username": event.username,
        "register_id": event.register_id,
        "person_id": str(event.person_id) if event.person_id else None,
        "action": event.action,
        "record_type": event.record_type,
        "record_id": event.record_id,
        "changes_digest": event.changes_digest,
        "source": event.source,
        "ip_address": event.ip_address,
        "path": event.path,
        "position": event.chain_position,
        "id": event.pk,
    }
    return hashlib.sha256((previous + canonical(contents)).encode()).hexdigest()


def set_head(position: int, hash: str) -> None:
    sql("UPDATE governance_auditchainhead SET position = %s, hash = %s WHERE id = 1", [position, hash])


def copy_event(event: AuditEvent, *, username: str | None = None) -> int:
    """Insert a copy of an event, unsealed, with SQL; its id."""
    chosen = ["%s" if column == "username" and username is not None else column for column in COLUMNS]
    params = [username] if username is not None else []
    sql(
        f"INSERT INTO governance_auditevent ({', '.join(COLUMNS)}, chain_position, hash) "  # noqa: S608
        f"SELECT {', '.join(chosen)}, NULL, '' FROM governance_auditevent WHERE id = %s",
        [*params, event.pk],
    )
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]


@pytest.fixture
def trail(person, coordinator):
    """A sealed trail that `verify_audit` found intact, leaving a checkpoint of it outside the database."""
    for _ in range(5):
        audit.record_read(by=coordinator, record=person, what="person_record")
    assert "The audit trail is intact" in verify_audit()
    return sealed()


def test_truncating_the_trail_and_rewinding_its_head_to_match_is_reported(trail):
    keep = trail[2]
    sql("DELETE FROM governance_auditevent WHERE chain_position > %s", [keep.chain_position])
    set_head(keep.chain_position, keep.hash)
    assert verify_chain().intact  # the chain alone cannot tell

    report = verify_audit()

    assert report.startswith("FAILED")
    assert (
        f"The chain now ends at event {keep.chain_position}, but it reached event {trail[-1].chain_position} "
        "at the checkpoint of" in report
    )
    assert "events at its end were deleted, or the trail wiped, along with its head" in report


def test_wiping_the_trail_and_resetting_its_head_is_reported(trail):
    sql("DELETE FROM governance_auditevent")
    set_head(0, GENESIS)

    report = verify_audit()

    assert report.startswith("FAILED")
    assert f"The chain now ends at event 0, but it reached event {trail[-1].chain_position}" in report
    assert "or the trail wiped, along with its head" in report


def test_an_event_inserted_unsealed_is_never_sealed_and_is_reported(trail, coordinator):
    forged = copy_event(trail[-1], username="someone-else")

    report = verify_audit()

    assert report.startswith("FAILED")
    assert f"Event id {forged} was put into the table behind the application's back" in report
    assert AuditEvent.objects.get(pk=forged).chain_position is None


def test_a_copy_of_a_genuine_event_inserted_unsealed_is_never_sealed_and_is_reported(trail):
    copy = copy_event(trail[1])

    report = verify_audit()

    assert report.startswith("FAILED")
    assert f"Event id {copy} is a copy of event id {trail[1].pk}" in report
    assert AuditEvent.objects.get(pk=copy).chain_position is None


def test_an_event_inserted_sealed_with_a_hash_made_without_the_key_is_reported(trail):
    last = trail[-1]
    forged = copy_event(last, username="someone-else")
    position = last.chain_position + 1
    sql("UPDATE governance_auditevent SET chain_position = %s WHERE id = %s", [position, forged])
    plausible = hash_without_the_key(last.hash, AuditEvent.objects.get(pk=forged))
    sql("UPDATE governance_auditevent SET hash = %s WHERE id = %s", [plausible, forged])
    set_head(position, plausible)

    report = verify_audit()

    assert report.startswith("FAILED")
    assert (
        f"Event {position} (id {forged}) was changed after it was sealed, or put into the chain behind the "
        "application's back" in report
    )


def test_an_edit_with_every_later_hash_recomputed_without_the_key_is_reported(trail):
    victim = trail[1]
    sql("UPDATE governance_auditevent SET username = %s WHERE id = %s", ["someone-else", victim.pk])
    previous = trail[0].hash
    for event in sealed()[1:]:
        previous = hash_without_the_key(previous, event)
        sql("UPDATE governance_auditevent SET hash = %s WHERE id = %s", [previous, event.pk])
    set_head(trail[-1].chain_position, previous)

    report = verify_audit()

    assert report.startswith("FAILED")
    assert (
        f"Events {victim.chain_position} to {trail[-1].chain_position} (ids {victim.pk} to {trail[-1].pk}) "
        "were changed after they were sealed" in report
    )
    assert "hashes made without the audit key" in report


def test_deleting_the_latest_events_and_the_head_together_is_reported(trail, person, coordinator):
    keep = trail[2]
    sql("DELETE FROM governance_auditevent WHERE chain_position > %s", [keep.chain_position])
    sql("DELETE FROM governance_auditchainhead")

    report = verify_audit()

    assert report.startswith("FAILED")
    assert "The chain's head is missing: it was deleted behind the application's back" in report
    assert "events at its end were deleted" in report
    # Sealing does not start a new chain over the old one.
    audit.record_read(by=coordinator, record=person)
    with pytest.raises(ChainHeadMissing):
        seal_events()


def test_an_edited_checkpoint_file_is_reported(trail, audit_checkpoint_dir):
    (checkpoint_file,) = audit_checkpoint_dir.glob("*.json")
    checkpoint = json.loads(checkpoint_file.read_text())
    checkpoint_file.write_text(json.dumps({**checkpoint, "position": checkpoint["position"] - 2}))

    report = verify_audit()

    assert report.startswith("FAILED")
    assert f"The checkpoint in {checkpoint_file.name} has a bad signature: it was edited" in report


def test_the_since_checkpoint_check_reads_only_the_events_sealed_since_the_last_good_checkpoint(
    trail, person, coordinator
):
    for _ in range(3):
        audit.record_read(by=coordinator, record=person)

    report = verify_audit("--since-checkpoint")

    assert "Checked the events sealed since the checkpoint of" in report
    assert f"(event {trail[-1].chain_position})." in report
    assert "The audit trail is intact: 3 events checked." in report
    # The next daily check starts from the checkpoint this one wrote.
    assert "The audit trail is intact: 0 events checked." in verify_audit("--since-checkpoint")
    assert f"intact: {trail[-1].chain_position + 3} events checked." in verify_audit()


def test_the_since_checkpoint_check_catches_an_edit_after_the_checkpoint(trail, person, coordinator):
    for _ in range(3):
        audit.record_read(by=coordinator, record=person)
    seal_events()
    victim = sealed()[-2]
    sql("UPDATE governance_auditevent SET username = %s WHERE id = %s", ["someone-else", victim.pk])

    report = verify_audit("--since-checkpoint")

    assert report.startswith("FAILED")
    assert f"Event {victim.chain_position} (id {victim.pk}) was changed after it was sealed" in report


def test_the_since_checkpoint_check_of_a_rewound_trail_starts_from_an_earlier_checkpoint(
    trail, person, coordinator
):
    """The latest checkpoint no longer matches, so the check starts from an earlier one, or the start."""
    for _ in range(3):
        audit.record_read(by=coordinator, record=person)
    verify_audit()
    keep = trail[-1]
    sql("DELETE FROM governance_auditevent WHERE chain_position > %s", [keep.chain_position])
    set_head(keep.chain_position, keep.hash)

    report = verify_audit("--since-checkpoint")

    assert report.startswith("FAILED")
    assert "events at its end were deleted" in report
