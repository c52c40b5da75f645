"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint records where the chain ended (the last sealed event's position and hash) and when, signed
with the audit key. The worker writes one at least hourly and `verify_audit` one each time it runs (marked
`verified` when it found the trail intact up to there). They go to a file each under
AUDIT_CHECKPOINT_DIR, or, with AUDIT_CHECKPOINTS=stdout, to standard output as a JSON line for a log
service. Either way they must land where a database administrator cannot write. Comparing the chain with
them shows a trail cut short, wiped or rewound along with its head, which the chain alone cannot show.
See docs/adr/0009-audit-key-and-checkpoints.md.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import secrets
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from dsr.audit import chain
from dsr.audit.redaction import canonical

EVERY = datetime.timedelta(hours=1)
# When this process last wrote a checkpoint to standard output: written there, it cannot be read back.
_written_to_stdout_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Checkpoint:
    position: int
    hash: str
    at: datetime.datetime
    verified: bool

    def body(self) -> dict:
        return {
            "position": self.position,
            "hash": self.hash,
            "at": self.at.isoformat(),
            "verified": self.verified,
        }

    def signed(self) -> dict:
        return {**self.body(), "signature": _signature(self.body())}

    def __str__(self) -> str:
        return f"the checkpoint of {self.at:%-d %B %Y %H:%M:%S} UTC"


@dataclass
class Reading:
    """The checkpoints read, with a note of each one that could not be trusted."""

    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    source: str = ""


def _signature(body: dict) -> str:
    return hmac.new(chain.key("audit checkpoint"), canonical(body).encode(), hashlib.sha256).hexdigest()


def write(*, position: int, hash: str, verified: bool) -> Checkpoint:
    """Write a checkpoint of the chain ending at `position` with `hash`."""
    global _written_to_stdout_at
    checkpoint = Checkpoint(position=position, hash=hash, at=timezone.now(), verified=verified)
    if settings.AUDIT_CHECKPOINTS == "stdout":
        line = {
            "time": checkpoint.at.isoformat(),
            "level": "INFO",
            "logger": __name__,
            "message": "Audit checkpoint",
            "audit_checkpoint": checkpoint.signed(),
        }
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()
        _written_to_stdout_at = checkpoint.at
        return checkpoint
    directory = Path(settings.AUDIT_CHECKPOINT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    # The time first, so the names sort in the order written; a random tail, so workers never collide.
    name = f"{checkpoint.at:%Y%m%dT%H%M%S%fZ}-{position}-{secrets.token_hex(3)}.json"
    with tempfile.NamedTemporaryFile("w", dir=directory, suffix=".tmp", delete=False) as file:
        file.write(json.dumps(checkpoint.signed()) + "\n")
    os.chmod(file.name, 0o644)  # nothing secret in it, and `verify_audit` may run as another account
    os.replace(file.name, directory / name)
    return checkpoint


def write_head(*, verified: bool = False) -> Checkpoint:
    """Write a checkpoint of the chain head as the database has it now."""
    position, hash = chain.head()
    return write(position=position, hash=hash, verified=verified)


def write_if_due() -> Checkpoint | None:
    """The worker's hourly checkpoint: written when the latest is an hour old (or there is none). Several
    workers may each write one close together, which does no harm."""
    latest = _written_to_stdout_at if settings.AUDIT_CHECKPOINTS == "stdout" else _latest_in_directory()
    if latest is not None and timezone.now() - latest < EVERY:
        return None
    return write_head()


def _latest_in_directory() -> datetime.datetime | None:
    directory = Path(settings.AUDIT_CHECKPOINT_DIR)
    names = sorted(directory.glob("*.json")) if directory.is_dir() else []
    if not names:
        return None
    reading = Reading()
    _read_lines(names[-1], reading, strict=True)
    return reading.checkpoints[-1].at if reading.checkpoints else None


def read(source: Path | None = None) -> Reading:
    """Every checkpoint in the checkpoint directory, or in `source`: a directory of checkpoint files, or a
    file of JSON lines (such as checkpoints exported from a log service, among other log lines)."""
    path = Path(source) if source is not None else Path(settings.AUDIT_CHECKPOINT_DIR)
    reading = Reading(source=str(path))
    if path.is_dir():
        for name in sorted(path.glob("*.json")):
            _read_lines(name, reading, strict=True)
    elif path.is_file():
        _read_lines(path, reading, strict=False)
    elif source is not None:
        reading.problems.append(f"There are no checkpoints at {path}")
    return reading


def _read_lines(path: Path, reading: Reading, *, strict: bool) -> None:
    """Read the checkpoints in a file. In a checkpoint file (`strict`) every line must be one; in a log
    file, lines that are not checkpoints are passed over."""
    for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
        where = f"{path.name}" if strict else f"{path.name}, line {number}"
        try:
            found = json.loads(line) if line.strip() else None
        except json.JSONDecodeError:
            found = None
        if isinstance(found, dict) and isinstance(found.get("audit_checkpoint"), dict):
            found = found["audit_checkpoint"]
        if not (isinstance(found, dict) and "signature" in found):
            if strict and line.strip():
                reading.problems.append(f"The checkpoint file {where} cannot be read: it was edited")
            continue
        checkpoint = _checkpoint(found)
        if checkpoint is None:
            reading.problems.append(
                f"The checkpoint in {where} has a bad signature: it was edited, or not written with this "
                "AUDIT_KEY"
            )
        else:
            reading.checkpoints.append(checkpoint)


def _checkpoint(found: dict) -> Checkpoint | None:
    """The checkpoint, if it is well formed and its signature is good."""
    body = {name: found.get(name) for name in ("position", "hash", "at", "verified")}
    if not hmac.compare_digest(str(found.get("signature")), _signature(body)):
        return None
    try:
        return Checkpoint(
            position=int(body["position"]),
            hash=str(body["hash"]),
            at=datetime.datetime.fromisoformat(str(body["at"])),
            verified=bool(body["verified"]),
        )
    except (TypeError, ValueError):
        return None
