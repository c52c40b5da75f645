"""Check the audit trail: recompute its keyed hash chain and compare it with the checkpoints kept outside
the database, reporting every place it does not hold.

The full check walks the whole chain. From the last good checkpoint (one `verify_audit` wrote after
finding the trail intact, whose event still has the hash it recorded) it walks only the events sealed
since, so the daily check stays fast however long the trail grows. See docs/adr/0009.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from dsr.audit import chain, redaction
from dsr.audit.checkpoints import Checkpoint
from dsr.audit.models import AuditChainHead, AuditEvent


@dataclass
class Verdict:
    checked: int
    problems: list[str]
    # Where the check ended: the last event it checked, and its hash.
    position: int = 0
    hash: str = chain.GENESIS
    since: Checkpoint | None = None

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass
class _Walk:
    """What the walk along the chain has seen so far."""

    position: int
    hash: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    changed: list[AuditEvent] = field(default_factory=list)  # a run of consecutive changed events
    redacted: dict[int, tuple[int, list[str]]] = field(default_factory=dict)  # id -> position, places
    erased_events: set[int] = field(default_factory=set)
    erased_parts: dict[int, set[str]] = field(default_factory=dict)


def verify_chain(*, checkpoints: Sequence[Checkpoint] = (), since_checkpoint: bool = False) -> Verdict:
    """Recompute the chain and compare it with the checkpoints; from the last good checkpoint only, if
    asked and there is one.

    An event's values are checked against the digest the chain covers; a value removed by erasure must be
    named by that erasure's tombstone event (docs/adr/0005)."""
    head = AuditChainHead.objects.filter(pk=1).first()
    start = last_good(checkpoints) if since_checkpoint else None
    walk = _Walk(position=start.position if start else 0, hash=start.hash if start else chain.GENESIS)
    pinned: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        if checkpoint.position > walk.position:
            pinned.setdefault(checkpoint.position, []).append(checkpoint)

    events = AuditEvent.objects.filter(chain_position__gt=walk.position).order_by("chain_position")
    if head is not None:
        # Only what was sealed when the check began: sealing goes on while it runs.
        events = events.filter(chain_position__lte=head.position)
    for event in events.iterator(chunk_size=2000):
        _check(event, walk, pinned.pop(event.chain_position, []))
    _report_changed(walk)
    _report_redactions(walk)
    _report_end(walk, head, pinned, recorded=max((c.position for c in checkpoints), default=0))
    walk.problems.extend(_unsealed_problems())
    return Verdict(
        checked=walk.checked, problems=walk.problems, position=walk.position, hash=walk.hash, since=start
    )


def last_good(checkpoints: Sequence[Checkpoint]) -> Checkpoint | None:
    """The latest checkpoint `verify_audit` wrote after finding the trail intact, whose event still has
    the hash it recorded."""
    for checkpoint in sorted(checkpoints, key=lambda c: (c.position, c.at), reverse=True):
        if not checkpoint.verified:
            continue
        if checkpoint.position == 0:
            return checkpoint
        stored = AuditEvent.objects.filter(chain_position=checkpoint.position).values_list("hash", flat=True)
        if list(stored) == [checkpoint.hash]:
            return checkpoint
    return None


def _check(event: AuditEvent, walk: _Walk, checkpoints: list[Checkpoint]) -> None:
    position = event.chain_position
    if position != walk.position + 1:
        _report_changed(walk)
        walk.problems.append(
            f"Events {walk.position + 1} to {position - 1} of the chain are missing (deleted)"
        )
    intact = chain.event_hash(walk.hash, event, position) == event.hash and redaction.holds(event)
    if intact:
        _report_changed(walk)
        if event.redactions:
            walk.redacted[event.pk] = (position, list(event.redactions))
        if event.action == AuditEvent.Action.ERASE and isinstance(event.changes, dict):
            walk.erased_events.update(event.changes.get("redacted_events", []))
            for event_id, places in event.changes.get("redacted_parts", {}).items():
                walk.erased_parts.setdefault(int(event_id), set()).update(places)
    else:
        walk.changed.append(event)
    for checkpoint in checkpoints:
        if checkpoint.hash != event.hash:
            walk.problems.append(
                f"Event {position} (id {event.pk}) is not the one {checkpoint} recorded: "
                "the trail was rewritten"
            )
    walk.position, walk.hash, walk.checked = position, event.hash, walk.checked + 1


def _report_changed(walk: _Walk) -> None:
    """One line for a run of changed events: after an edit whose later hashes were recomputed without the
    key, every later event fails."""
    if len(walk.changed) == 1:
        event = walk.changed[0]
        walk.problems.append(
            f"Event {event.chain_position} (id {event.pk}) was changed after it was sealed, or put into the "
            "chain behind the application's back"
        )
    elif walk.changed:
        first, last = walk.changed[0], walk.changed[-1]
        walk.problems.append(
            f"Events {first.chain_position} to {last.chain_position} (ids {first.pk} to {last.pk}) were "
            "changed after they were sealed, or put into the chain behind the application's back, their "
            "hashes made without the audit key"
        )
    walk.changed = []


def _report_redactions(walk: _Walk) -> None:
    for event_id, (position, places) in sorted(walk.redacted.items(), key=lambda item: item[1][0]):
        accounted = event_id in walk.erased_events or set(places) <= walk.erased_parts.get(event_id, set())
        if not accounted:
            walk.problems.append(
                f"Event {position} (id {event_id}) had values removed, but no erasure accounts for it"
            )


def _report_end(walk: _Walk, head, pinned: dict[int, list[Checkpoint]], *, recorded: int) -> None:
    """Compare where the chain ends with its head row and with the checkpoints beyond the last event."""
    if head is None:
        if walk.position or recorded:
            walk.problems.append(
                "The chain's head is missing: it was deleted behind the application's back, and no event is "
                "sealed until it is put back"
            )
    elif head.position != walk.position or head.hash != walk.hash:
        walk.problems.append(
            f"The chain ends at event {walk.position} but was sealed up to {head.position}: "
            "events at the end were deleted"
        )
    beyond = AuditEvent.objects.filter(
        chain_position__gt=Subquery(AuditChainHead.objects.filter(pk=1).values("position")[:1])
    )
    if head is not None and beyond.exists():
        walk.problems.append(
            f"Events after the chain's head (event {head.position}) are in the table: the head was rewound"
        )
    missing = [
        (position, checkpoints) for position, checkpoints in pinned.items() if position <= walk.position
    ]
    for position, checkpoints in sorted(missing, key=lambda item: item[0]):
        walk.problems.append(f"Event {position}, which {checkpoints[-1]} recorded, is missing (deleted)")
    ahead = [checkpoints[-1] for position, checkpoints in pinned.items() if position > walk.position]
    if ahead:
        latest = max(ahead, key=lambda c: c.position)
        walk.problems.append(
            f"The chain now ends at event {walk.position}, but it reached event {latest.position} at "
            f"{latest}: events at its end were deleted, or the trail wiped, along with its head"
        )


def _unsealed_problems() -> list[str]:
    """Events waiting to be sealed that the application did not write: sealing leaves them out."""
    problems = []
    sealed_copy = AuditEvent.objects.filter(signature=OuterRef("signature"), chain_position__isnull=False)
    waiting = AuditEvent.objects.filter(chain_position__isnull=True).annotate(
        copy_of=Subquery(sealed_copy.values("pk")[:1])
    )
    for event in waiting.order_by("pk").iterator(chunk_size=2000):
        if event.signature != chain.signature(event):
            problems.append(
                f"Event id {event.pk} was put into the table behind the application's back (it is not signed "
                "with the audit key); it was not sealed"
            )
        elif event.copy_of is not None:
            problems.append(
                f"Event id {event.pk} is a copy of event id {event.copy_of}, put into the table behind the "
                "application's back; it was not sealed"
            )
    return problems
