"""An audit event's changed values, sealed so that erasure can remove one person's part and keep the rest.

Each value in an event's `changes` (a field's old or new value, a search typed into a filter, one id
among the people a list showed) gets a random salt of its own. The chain covers one digest of them all,
built as a tree: a value's digest is HMAC-SHA256(its salt, the value); a dict's or a list's is SHA-256 of
its members' digests. Erasure replaces a part (one value, or a whole branch up to the whole event) with
REMOVED, drops its salts and keeps its digest, so the digest of the whole still verifies and any other
change does not. The salt goes with the value, so nobody can guess the value back from its digest.

A part is named by its place, as a JSON pointer (RFC 6901): "" is the whole event, "/filters/q" the
search typed, "/shown/3" the fourth person a list showed. See docs/adr/0005.
"""

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from typing import Any

from dsr.audit.models import REMOVED, AuditEvent


class Mismatch(Exception):
    """The stored values do not add up to a digest: a value lost its salt, or a removed part was
    filled in again."""


# One encoder for every value: json.dumps with these options would build a new one each time, and an
# agenda of thousands of items seals tens of thousands of values.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)
_quoted = json.encoder.encode_basestring_ascii  # how it writes a string


def canonical(value: Any) -> str:
    return _ENCODER.encode(value)


def seal(changes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str], str]:
    """The values as they will be stored (plain JSON), a new salt for each, and their digest: the digest
    `digest` gives for them, worked out as the salts are drawn, in one walk of the values (an agenda of
    thousands of items seals tens of thousands of values in one request)."""
    stored = _as_stored(changes)
    salts: dict[str, str] = {}
    sealed = _sealed(stored, "", salts, [])
    return stored, salts, sealed


def _sealed(value: Any, place: str, salts: dict[str, str], fresh: list[str]) -> str:
    """`digest(value, salts, {}, place)` for values as stored, drawing each value's salt into `salts`. New
    salts are read a few dozen at a time into `fresh`."""
    kind = type(value)
    if kind is dict and value:
        members = [[key, _sealed(member, _join(place, key), salts, fresh)] for key, member in value.items()]
        return _node("dict", sorted(members))
    if kind is list and value:
        return _node(
            "list", [_sealed(member, f"{place}/{i}", salts, fresh) for i, member in enumerate(value)]
        )
    if not fresh:
        block = secrets.token_hex(16 * 32)
        fresh.extend(block[start : start + 32] for start in range(0, len(block), 32))
    salt = salts[place] = fresh.pop()
    return hmac.digest(salt.encode(), _scalar(value).encode(), "sha256").hex()


def _as_stored(value: Any) -> Any:
    """The value as JSON gives it back (keys in order, tuples as lists, dates as text), without writing
    and reading JSON for values that already are plain: an agenda of thousands of items seals thousands of
    events at once."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict and all(type(key) is str for key in value):
        return {key: _as_stored(value[key]) for key in sorted(value)}
    if kind is list:
        return [_as_stored(member) for member in value]
    return json.loads(canonical(value))


def digest(changes: Any, salts: dict[str, str], redactions: dict[str, str], place: str = "") -> str:
    """The digest of the values at `place`, from their salts and the digests of the parts removed."""
    if place in redactions:
        if changes != REMOVED:
            raise Mismatch(place)
        return redactions[place]
    if isinstance(changes, dict) and changes:
        members = [
            [key, digest(value, salts, redactions, _join(place, key))] for key, value in changes.items()
        ]
        return _node("dict", sorted(members))
    if isinstance(changes, list) and changes:
        return _node(
            "list", [digest(value, salts, redactions, _join(place, i)) for i, value in enumerate(changes)]
        )
    salt = salts.get(place)
    if not salt:
        raise Mismatch(place)
    return hmac.digest(salt.encode(), _scalar(changes).encode(), "sha256").hex()


def _scalar(value: Any) -> str:
    """`canonical(value)`, sooner for the values most events hold."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    return _text(value)


def holds(event: AuditEvent) -> bool:
    """Whether the event's stored values, salts and removed parts add up to the digest the chain covers."""
    try:
        return hmac.compare_digest(digest(event.changes, event.salts, event.redactions), event.changes_digest)
    except Mismatch:
        return False


def values(changes: Any, place: str = "") -> Iterator[tuple[str, Any]]:
    """Every value, with its place: the leaves of the JSON (an empty dict or list counts as one)."""
    if isinstance(changes, dict) and changes:
        for key, value in changes.items():
            yield from values(value, _join(place, key))
    elif isinstance(changes, list) and changes:
        for i, value in enumerate(changes):
            yield from values(value, _join(place, i))
    else:
        yield place, changes


def keys(place: str) -> list[str]:
    """The keys (and list positions) leading to a place."""
    return [key.replace("~1", "/").replace("~0", "~") for key in place.split("/")[1:]]


def place(keys: list[str]) -> str:
    """The place the keys (and list positions) lead to."""
    found = ""
    for key in keys:
        found = _join(found, key)
    return found


def remove(event: AuditEvent, places: list[str]) -> dict[str, Any]:
    """The event's changes, salts and redactions once the parts at `places` are removed."""
    changes, salts, redactions = event.changes, dict(event.salts), dict(event.redactions)
    for place in sorted(set(places), key=len):
        if any(place == done or place.startswith(done + "/") for done in redactions):
            continue  # already removed, with a branch around it
        try:
            removed = digest(_at(changes, place), salts, redactions, place)
        except Mismatch:
            removed = ""  # the values were changed behind the app's back: verify_audit reports it
        changes = _replace(changes, keys(place), REMOVED)
        salts = {key: salt for key, salt in salts.items() if not _within(key, place)}
        redactions = {key: value for key, value in redactions.items() if not _within(key, place)}
        redactions[place] = removed
    return {"changes": changes, "salts": salts, "redactions": redactions}


def redact(parts: dict[int, list[str]]) -> None:
    """Remove these parts of these events' values (event id -> places), keeping their digests."""
    for event in AuditEvent.objects.filter(pk__in=parts).order_by("pk"):
        AuditEvent.objects.filter(pk=event.pk).redact(**remove(event, parts[event.pk]))


def _join(place: str, key: str | int) -> str:
    return f"{place}/{str(key).replace('~', '~0').replace('/', '~1')}"


def _within(key: str, place: str) -> bool:
    return key == place or key.startswith(place + "/")


def _node(kind: str, members: list) -> str:
    # canonical([kind, members]) written out, as members are digests (a dict's with their keys).
    if kind == "dict":
        text = ",".join([f"[{_text(key)},{_text(value)}]" for key, value in members])
    else:
        text = ",".join([_text(value) for value in members])
    return hashlib.sha256(f'["{kind}",[{text}]]'.encode()).hexdigest()


def _text(value: Any) -> str:
    return _quoted(value) if type(value) is str else canonical(value)


def _at(changes: Any, place: str) -> Any:
    for key in keys(place):
        changes = changes[int(key)] if isinstance(changes, list) else changes[key]
    return changes


def _replace(changes: Any, path: list[str], value: Any) -> Any:
    if not path:
        return value
    key, rest = path[0], path[1:]
    if isinstance(changes, list):
        i = int(key)
        return [*changes[:i], _replace(changes[i], rest, value), *changes[i + 1 :]]
    return {**changes, key: _replace(changes[key], rest, value)}
