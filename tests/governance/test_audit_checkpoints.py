"""Signed checkpoints of the audit chain's head are written outside the database: hourly by the worker and
at every `verify_audit`, to a directory or to standard output for a log service."""

import datetime
import io
import json

import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from dsr import audit
from dsr.audit import checkpoints
from dsr.audit.chain import head, seal_events
from dsr.audit.models import AuditEvent
from dsr.operations.worker import watch

NOW = datetime.datetime(2026, 12, 5, 9, 0, tzinfo=datetime.UTC)


def written(directory) -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))]


def test_the_worker_writes_a_checkpoint_of_the_chain_head_once_an_hour(
    person, coordinator, audit_checkpoint_dir
):
    seal_events()
    with time_machine.travel(NOW, tick=False):
        watch(worker_id="worker-1", started_at=timezone.now())
        watch(worker_id="worker-1", started_at=timezone.now())
    (first,) = written(audit_checkpoint_dir)
    assert (first["position"], first["hash"]) == head()
    assert first["verified"] is False

    audit.record_read(by=coordinator, record=person)
    seal_events()
    with time_machine.travel(NOW + datetime.timedelta(minutes=59), tick=False):
        watch(worker_id="worker-1", started_at=timezone.now())
    assert len(written(audit_checkpoint_dir)) == 1
    with time_machine.travel(NOW + datetime.timedelta(minutes=61), tick=False):
        watch(worker_id="worker-1", started_at=timezone.now())
    assert [checkpoint["position"] for checkpoint in written(audit_checkpoint_dir)] == [
        first["position"],
        first["position"] + 1,
    ]


def test_verify_audit_writes_a_checkpoint_of_the_trail_it_found_intact(person, audit_checkpoint_dir):
    call_command("verify_audit", stdout=io.StringIO())

    (checkpoint,) = written(audit_checkpoint_dir)
    assert checkpoint["verified"] is True
    assert (checkpoint["position"], checkpoint["hash"]) == head()
    assert set(checkpoint) == {"position", "hash", "at", "verified", "signature"}


def test_checkpoints_sent_to_a_log_service_are_json_lines_that_verify_audit_can_read_back(
    settings, person, coordinator, capsys, tmp_path
):
    """With AUDIT_CHECKPOINTS=stdout the checkpoints go out with the logs; to compare with them, the lines
    the log service kept are given back to `verify_audit --checkpoints`."""
    settings.AUDIT_CHECKPOINTS = "stdout"
    for _ in range(3):
        audit.record_read(by=coordinator, record=person)
    call_command("verify_audit")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    (line,) = [line for line in lines if "audit_checkpoint" in line]
    assert line["logger"] == "dsr.audit.checkpoints"
    assert line["audit_checkpoint"]["position"] == head()[0]
    exported = tmp_path / "log-service-export.jsonl"
    exported.write_text(
        '{"level": "INFO", "logger": "dsr.requests", "message": "request"}\nnot json\n'
        + json.dumps(line)
        + "\n"
    )

    assert "The audit trail is intact" in call_command_output("--checkpoints", str(exported))

    position = head()[0]
    keep = AuditEvent.objects.get(chain_position=position - 2)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM governance_auditevent WHERE chain_position > %s", [keep.chain_position])
        cursor.execute(
            "UPDATE governance_auditchainhead SET position = %s, hash = %s", [keep.chain_position, keep.hash]
        )
    report = call_command_output("--checkpoints", str(exported))
    assert f"but it reached event {position} at the checkpoint of" in report


def call_command_output(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError:
        return err.getvalue()
    return out.getvalue()


def test_a_checkpoint_of_another_key_is_not_believed(settings, person, audit_checkpoint_dir):
    call_command("verify_audit", stdout=io.StringIO())
    settings.AUDIT_KEY = "another-key-" + "x" * 40

    reading = checkpoints.read()

    assert reading.checkpoints == []
    assert reading.problems == [
        f"The checkpoint in {next(audit_checkpoint_dir.glob('*.json')).name} has a bad signature: it was "
        "edited, or not written with this AUDIT_KEY"
    ]
