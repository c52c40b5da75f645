"""The audit trail's hash chain: tampering with the table behind the app's back shows.

Page views write audit events without touching any shared row, so they never wait on each
other. After a request commits, its events are sealed into the chain in a short separate
transaction: under a lock on the chain head, each unsealed event gets the next position and
hash = SHA-256(previous hash + the event's contents). The chain's order is the order of
sealing, so an event that committed late is sealed later, never skipped.
See docs/adr/0004-audit-hash-chain.md.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.db import transaction

from dsr.governance.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
BATCH = 500


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def changes_digest(salt: str, changes: dict) -> str:
    """A salted digest of an event's changed values: the chain covers this, not the values, so the
    values can be erased. The random salt (erased with them) stops anyone guessing them back."""
    return hmac.new(salt.encode(), canonical(changes).encode(), hashlib.sha256).hexdigest()


def event_hash(previous: str, event: AuditEvent, position: int) -> str:
    """The hash that chains this event to the one before it."""
    contents = {
        "position": position,
        "id": event.pk,
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
    }
    return hashlib.sha256((previous + canonical(contents)).encode()).hexdigest()


def seal_events() -> int:
    """Seal every unsealed audit event into the chain; returns how many were sealed."""
    sealed = 0
    while True:
        with transaction.atomic():
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
            pending = list(AuditEvent.objects.filter(chain_position__isnull=True).order_by("id")[:BATCH])
            if not pending:
                return sealed
            for event in pending:
                head.position += 1
                event.chain_position = head.position
                event.hash = head.hash = event_hash(head.hash, event, head.position)
            AuditEvent.objects.bulk_update(pending, ["chain_position", "hash"])
            head.save()
            sealed += len(pending)


def seal_after_commit() -> None:
    """Seal this transaction's events once it commits (at once outside a transaction)."""
    connection = transaction.get_connection()
    here = set(connection.savepoint_ids)
    if any(callback is seal_events and sids == here for sids, callback, _ in connection.run_on_commit):
        return  # already due at this level of the transaction
    # Robust: if sealing fails (the head is busy, say), the page that committed still succeeds
    # and the next seal picks these events up.
    transaction.on_commit(seal_events, robust=True)


@dataclass
class Verdict:
    checked: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain() -> Verdict:
    """Recompute the chain from the start and report every place it does not hold.

    An event's changed values are checked against the digest the chain covers; an event whose values
    were removed by erasure must be named by that erasure's tombstone event (docs/adr/0005)."""
    problems: list[str] = []
    previous, expected_position, checked = GENESIS, 1, 0
    redacted: dict[int, int] = {}  # event id -> chain position
    erased_by_tombstones: set[int] = set()
    events = AuditEvent.objects.filter(chain_position__isnull=False).order_by("chain_position")
    for event in events.iterator(chunk_size=2000):
        if event.chain_position != expected_position:
            problems.append(
                f"Events {expected_position} to {event.chain_position - 1} of the chain are missing (deleted)"
            )
        changed = event_hash(previous, event, event.chain_position) != event.hash
        if event.redacted:
            redacted[event.pk] = event.chain_position
        elif changes_digest(event.salt, event.changes) != event.changes_digest:
            changed = True
        if changed:
            problems.append(f"Event {event.chain_position} (id {event.pk}) was changed after it was sealed")
        elif event.action == AuditEvent.Action.ERASE:
            erased_by_tombstones.update(event.changes.get("redacted_events", []))
        previous, expected_position, checked = event.hash, event.chain_position + 1, checked + 1
    for event_id, position in sorted(redacted.items(), key=lambda item: item[1]):
        if event_id not in erased_by_tombstones:
            problems.append(
                f"Event {position} (id {event_id}) had its values removed, but no erasure accounts for it"
            )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.position != expected_position - 1 or head.hash != previous):
        problems.append(
            f"The chain ends at event {expected_position - 1} but was sealed up to {head.position}: "
            "events at the end were deleted"
        )
    return Verdict(checked=checked, problems=problems)
