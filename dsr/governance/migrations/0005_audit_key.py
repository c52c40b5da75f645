# The audit trail keyed with AUDIT_KEY, and each changed value salted on its own (docs/adr/0009).

import hashlib
import hmac
import json
import secrets

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64
BATCH = 1000
REMOVED = "Removed when a record was erased"


def _canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _key(purpose):
    return hmac.new(settings.AUDIT_KEY.encode(), purpose.encode(), hashlib.sha256).digest()


def _contents(event):
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


def _old_hash(previous, event):
    contents = {**_contents(event), "position": event.chain_position, "id": event.pk}
    return hashlib.sha256((previous + _canonical(contents)).encode()).hexdigest()


def _old_digest_holds(event):
    expected = hmac.new(event.salt.encode(), _canonical(event.changes).encode(), hashlib.sha256).hexdigest()
    return expected == event.changes_digest


def _join(place, key):
    return f"{place}/{str(key).replace('~', '~0').replace('/', '~1')}"


def _leaves(value, place=""):
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            yield from _leaves(inner, _join(place, key))
    elif isinstance(value, list) and value:
        for i, inner in enumerate(value):
            yield from _leaves(inner, _join(place, i))
    else:
        yield place, value


def _node(kind, members):
    return hashlib.sha256(_canonical([kind, members]).encode()).hexdigest()


def _digest(value, salts, place=""):
    if isinstance(value, dict) and value:
        return _node("dict", sorted([key, _digest(inner, salts, _join(place, key))] for key, inner in value.items()))
    if isinstance(value, list) and value:
        return _node("list", [_digest(inner, salts, _join(place, i)) for i, inner in enumerate(value)])
    return hmac.new(salts[place].encode(), _canonical(value).encode(), hashlib.sha256).hexdigest()


def _new_form(event):
    """Each value salted on its own; an event erasure emptied keeps its digest as that of the whole."""
    if event.redacted:
        event.changes, event.salts, event.redactions = REMOVED, {}, {"": event.changes_digest}
    else:
        event.changes = json.loads(_canonical(event.changes))
        event.salts = {place: secrets.token_hex(16) for place, _ in _leaves(event.changes)}
        event.redactions = {}
        event.changes_digest = _digest(event.changes, event.salts)
    event.signature = hmac.new(
        _key("audit event"), _canonical(_contents(event)).encode(), hashlib.sha256
    ).hexdigest()


def _refuse(message):
    raise RuntimeError(
        f"{message}. The audit trail does not verify as it is, so it is not sealed with the audit key: "
        "investigate with the previous release's `manage.py verify_audit` before migrating."
    )


def _check_old_chain(AuditEvent, AuditChainHead):
    """The chain as the previous release sealed it: plain SHA-256, each event's values against its digest,
    each emptied event named by an erasure's tombstone."""
    previous, position, after = GENESIS, 0, 0
    redacted, erased = set(), set()
    while True:
        events = list(AuditEvent.objects.filter(chain_position__gt=after).order_by("chain_position")[:BATCH])
        if not events:
            break
        for event in events:
            if event.chain_position != position + 1:
                _refuse(f"Audit events {position + 1} to {event.chain_position - 1} are missing")
            if _old_hash(previous, event) != event.hash or not (event.redacted or _old_digest_holds(event)):
                _refuse(f"Audit event {event.chain_position} was changed after it was sealed")
            if event.redacted:
                redacted.add(event.pk)
            if event.action == "erase":
                erased.update(event.changes.get("redacted_events", []))
            previous, position = event.hash, event.chain_position
        after = events[-1].chain_position
    if redacted - erased:
        _refuse(f"Audit events (ids {sorted(redacted - erased)}) had their values removed with no erasure")
    head = AuditChainHead.objects.filter(pk=1).first()
    if position and (head is None or (head.position, head.hash) != (position, previous)):
        _refuse(f"The audit chain ends at event {position}, but its head says otherwise")


def seal_with_the_audit_key(apps, schema_editor):
    AuditEvent = apps.get_model("governance", "AuditEvent")
    AuditChainHead = apps.get_model("governance", "AuditChainHead")
    _check_old_chain(AuditEvent, AuditChainHead)
    fields = ["changes", "salts", "redactions", "changes_digest", "signature", "hash"]
    previous, after = GENESIS, 0
    while True:
        events = list(AuditEvent.objects.filter(chain_position__gt=after).order_by("chain_position")[:BATCH])
        if not events:
            break
        for event in events:
            _new_form(event)
            contents = {**_contents(event), "position": event.chain_position, "id": event.pk}
            event.hash = previous = hmac.new(
                _key("audit chain"), (previous + _canonical(contents)).encode(), hashlib.sha256
            ).hexdigest()
        AuditEvent.objects.bulk_update(events, fields)
        after = events[-1].chain_position
    AuditChainHead.objects.filter(pk=1).update(hash=previous)
    waiting = list(AuditEvent.objects.filter(chain_position__isnull=True))
    for event in waiting:
        _new_form(event)
    AuditEvent.objects.bulk_update(waiting, fields[:-1], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0004_audit_changes_digest'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='redactions',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='salts',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='signature',
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.RunPython(seal_with_the_audit_key, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='auditevent',
            name='salt',
        ),
    ]
