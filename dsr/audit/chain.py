"""The audit trail's hash chain, keyed with AUDIT_KEY: tampering with the table behind the app's back shows.

Page views write audit events without touching any shared row, so they never wait on each other. Each
event is signed with the audit key as it is written. After a request commits, its events are sealed into
the chain in a short separate transaction: under a lock on the chain head, each signed event gets the next
position and hash = HMAC-SHA256(key, previous hash + the event's contents). The chain's order is the order
of sealing, so an event that committed late is sealed later, never skipped.

The key is not in the database, so someone who can only write to the database can neither forge an event
that sealing accepts nor recompute the hashes after editing one. Checkpoints of the chain head, kept
outside the database (dsr.audit.checkpoints), show a trail cut short or wiped along with its head.
See docs/adr/0004-audit-hash-chain.md and docs/adr/0009-audit-key-and-checkpoints.md.
"""

import functools
import hmac
import json
import logging

from django.conf import settings
from django.db import connection, transaction

from dsr.audit.models import AuditChainHead, AuditEvent
from dsr.audit.redaction import canonical

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
# Enough for a request's events in one go, an agenda built from the largest register included; a backlog
# (events left waiting while sealing was failing, say) goes in batches of this many.
BATCH = 20_000


class ChainHeadMissing(Exception):
    """The chain head row is gone while sealed events remain: sealing stops rather than start a new chain."""


def key(purpose: str) -> bytes:
    """A key of its own for each use of AUDIT_KEY, so a value made for one use is no good for another."""
    return hmac.digest(settings.AUDIT_KEY.encode(), purpose.encode(), "sha256")


# What an event's signature and its hash in the chain cover: sealing reads only these (its changed values
# are covered through their digest).
SIGNED_FIELDS = [
    "at",
    "user_id",
    "username",
    "register_id",
    "person_id",
    "action",
    "record_type",
    "record_id",
    "changes_digest",
    "source",
    "ip_address",
    "path",
    "signature",
]


def _contents(event: AuditEvent) -> dict:
    return {
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


def signature(event: AuditEvent) -> str:
    """The event's signature, made as it is written: the changed values' digest is random (salted), so
    no two genuine events share one."""
    return _mac("audit event", canonical(_contents(event)).encode())


def event_hash(previous: str, event: AuditEvent, position: int) -> str:
    """The hash that chains this event to the one before it."""
    contents = {**_contents(event), "position": position, "id": event.pk}
    return _mac("audit chain", (previous + canonical(contents)).encode())


def _mac(purpose: str, message: bytes) -> str:
    mac = _keyed(settings.AUDIT_KEY, purpose).copy()
    mac.update(message)
    return mac.hexdigest()


@functools.lru_cache(maxsize=8)
def _keyed(audit_key: str, purpose: str) -> hmac.HMAC:
    """HMAC-SHA256 with the key for this purpose, ready to copy: an agenda of thousands of items signs and
    seals thousands of events, and setting up the key each time took as long as the rest."""
    return hmac.new(hmac.digest(audit_key.encode(), purpose.encode(), "sha256"), digestmod="sha256")


def head() -> tuple[int, str]:
    """The last sealed event's position and hash, as the head row records them."""
    row = AuditChainHead.objects.filter(pk=1).first()
    return (row.position, row.hash) if row is not None else (0, GENESIS)


def seal_events() -> int:
    """Seal every waiting audit event the application signed into the chain; returns how many were sealed.

    An event that is not signed with the audit key, or that copies the signature of another, was put
    into the table behind the application's back: it is left out of the chain, and `verify_audit`
    reports it. A request's events are sealed together, in the same few queries however many it wrote
    (an agenda of thousands of items writes thousands); only a backlog larger than BATCH takes more."""
    sealed, after = 0, 0
    while True:
        with transaction.atomic():
            chain_head = _locked_head()
            pending = list(
                AuditEvent.objects.filter(chain_position__isnull=True, pk__gt=after)
                .order_by("pk")
                .values_list("pk", *SIGNED_FIELDS, named=True)[:BATCH]
            )
            if not pending:
                return sealed
            after = pending[-1].pk
            places = []
            for event in _genuine(pending):
                chain_head.position += 1
                chain_head.hash = event_hash(chain_head.hash, event, chain_head.position)
                places.append((event.pk, chain_head.position, chain_head.hash))
            if places:
                _record_places(places)
                chain_head.save()
            sealed += len(places)
        if len(pending) < BATCH:
            # That was all that had committed. An event committing now is sealed by its own request, which
            # waits for this one's lock: no need to look again.
            return sealed


def _record_places(places: list[tuple[int, int, str]]) -> None:
    """Write each sealed event's position and hash (id, position, hash), in one statement joining the
    table to the values, passed as one JSON parameter however many there are: bulk_update's CASE over
    thousands of ids takes seconds to build and to run, and a parameter for each value would outgrow
    SQLite's limit. (UPDATE … FROM: PostgreSQL, and SQLite from 3.33.)"""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    if connection.vendor == "postgresql":
        sealed = "jsonb_to_recordset(%s::jsonb) AS sealed(id bigint, position bigint, hash text)"
    else:
        sealed = (
            "(SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.position') AS position, "
            "json_extract(value, '$.hash') AS hash FROM json_each(%s)) AS sealed"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            # The only names in the statement are the model's table and columns; the values are a parameter.
            f"UPDATE {table} SET chain_position = sealed.position, hash = sealed.hash "  # noqa: S608
            f"FROM {sealed} WHERE {table}.id = sealed.id",
            [json.dumps([{"id": pk, "position": position, "hash": hash} for pk, position, hash in places])],
        )


def _locked_head() -> AuditChainHead:
    chain_head, created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    if created and AuditEvent.objects.filter(chain_position__isnull=False).exists():
        raise ChainHeadMissing(
            "The audit chain's head is missing while sealed events remain: it was deleted behind the "
            "application's back. Nothing more is sealed until it is investigated (manage.py verify_audit)."
        )
    return chain_head


def _genuine(pending: list) -> list:
    """The events the application wrote, each once: signed with the audit key, and with a signature no
    sealed event has (found in one query, joining the waiting events' signatures to the sealed ones)."""
    signed = [event for event in pending if hmac.compare_digest(event.signature, signature(event))]
    waiting = AuditEvent.objects.filter(
        chain_position__isnull=True, pk__gte=pending[0].pk, pk__lte=pending[-1].pk
    ).values("signature")
    taken = set(
        AuditEvent.objects.filter(signature__in=waiting, chain_position__isnull=False).values_list(
            "signature", flat=True
        )
    )
    genuine = []
    for event in signed:
        if event.signature not in taken:
            taken.add(event.signature)
            genuine.append(event)
    if len(genuine) < len(pending):
        logger.warning(
            "%s audit events were not sealed: not signed with the audit key, or copies of another event",
            len(pending) - len(genuine),
        )
    return genuine


def seal_after_commit() -> None:
    """Seal this transaction's events once it commits (at once outside a transaction)."""
    connection = transaction.get_connection()
    here = set(connection.savepoint_ids)
    if any(callback is seal_events and sids == here for sids, callback, _ in connection.run_on_commit):
        return  # already due at this level of the transaction
    # Robust: if sealing fails (the head is busy, say), the page that committed still succeeds
    # and the next seal picks these events up.
    transaction.on_commit(seal_events, robust=True)
