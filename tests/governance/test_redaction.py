"""An event's changed values are sealed so that erasure can remove any part of them, and only that part,
while the digest the chain covers still holds; and which parts name a person."""

import pytest

from dsr.audit import redaction
from dsr.audit.models import REMOVED, AuditEvent
from dsr.governance.erasure import places_naming

ALEX, JAMIE = "6f2c1a56-1f7e-4f51-9c2e-0ed6a1b0c001", "0b9d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5"
SEARCH = {"filters": {"q": "Rivers", "rating": "red"}, "page": 1, "shown": [ALEX, JAMIE], "empty": {}}


def sealed(changes: dict) -> AuditEvent:
    stored, salts, digest = redaction.seal(changes)
    return AuditEvent(changes=stored, salts=salts, redactions={}, changes_digest=digest)


def removing(event: AuditEvent, places: list[str]) -> AuditEvent:
    for name, value in redaction.remove(event, places).items():
        setattr(event, name, value)
    return event


@pytest.mark.parametrize(
    ("removals", "left"),
    [
        (
            [["/filters/q", "/shown/0"]],
            {**SEARCH, "filters": {"q": REMOVED, "rating": "red"}, "shown": [REMOVED, JAMIE]},
        ),
        ([["/filters"]], {**SEARCH, "filters": REMOVED}),
        ([["/empty"]], {**SEARCH, "empty": REMOVED}),
        ([["/shown/0"], ["/shown/1"]], {**SEARCH, "shown": [REMOVED, REMOVED]}),
        ([["/shown/0"], ["/shown"]], {**SEARCH, "shown": REMOVED}),
        ([["/filters/q"], [""]], REMOVED),
    ],
)
def test_removing_parts_keeps_the_digest_the_chain_covers(removals, left):
    event = sealed(SEARCH)
    digest = event.changes_digest
    for places in removals:
        removing(event, places)
    assert event.changes == left
    assert redaction.holds(event)
    assert event.changes_digest == digest
    assert all(not key.startswith(tuple(event.redactions)) or key == "" for key in event.salts)


@pytest.mark.parametrize(
    "edit",
    [
        lambda changes: {**changes, "page": 2},
        lambda changes: {**changes, "shown": [REMOVED, ALEX]},
        lambda changes: {**changes, "filters": {"q": "Rivers", "rating": "red"}},
        lambda changes: {**changes, "filters": {"q": REMOVED, "rating": "red", "extra": "x"}},
        lambda changes: {key: value for key, value in changes.items() if key != "empty"},
        lambda changes: {**changes, "shown": [JAMIE, REMOVED]},
    ],
    ids=["value", "id swapped", "removed filled in", "value added", "value dropped", "reordered"],
)
def test_any_other_edit_does_not_hold(edit):
    event = removing(sealed(SEARCH), ["/filters/q", "/shown/0"])
    event.changes = edit(event.changes)
    assert not redaction.holds(event)


def test_the_digest_of_values_is_the_one_every_sealed_event_was_given():
    """The digest events have been sealed with, from known salts: what verify_audit recomputes for every
    event in the trail, so it must never change."""
    changes = {
        "reasons": [None, "Red: C(E)TR overdue by 9 days"],
        "position": [None, 12],
        "discussed": [None, False],
        "filters": {"q": "Zoë / ~Rivers", "rating": "red"},
        "page": 1,
        "shown": ["a", "b"],
        "empty": {},
        "none": [],
        "score": 2.5,
        "flag": True,
    }
    stored, salts, _ = redaction.seal(changes)
    known = {place: f"{n:032x}" for n, place in enumerate(sorted(salts))}

    assert stored == changes and list(stored) == sorted(changes)
    assert redaction.digest(stored, known, {}) == (
        "2eddeb40aeb2dbf14161d70d7c3afba2ffc2f19a4c65cb550aaded1e40253da7"
    )


def test_a_removed_value_cannot_be_guessed_back_from_what_is_kept():
    event = removing(sealed(SEARCH), ["/filters/q"])
    assert "/filters/q" not in event.salts
    assert "Rivers" not in repr((event.changes, event.salts, event.redactions))


IDENTIFIERS = ["rivers", "alex rivers", "9434765919", "943 476 5919"]


@pytest.mark.parametrize(
    ("changes", "places"),
    [
        (SEARCH, ["/filters/q", "/shown/0"]),
        ({"filters": {"q": "red"}, "shown": [JAMIE]}, []),
        ({"filters": {"given": "Alex", "family": "RIVERS"}}, ["/filters/family"]),
        ({"filters": {"a": "943", "b": "476 5919"}, "page": 1}, ["/filters/a", "/filters/b", "/page"]),
        ({"filters": {"Rivers": "on"}, "page": 1}, ["/filters"]),
        ({"meeting": "m-1", "people": [JAMIE, ALEX]}, ["/people/1"]),
        ({"filters": {"Rivers": "on", "rivers": "yes"}}, ["/filters"]),
        ({"filters": {"q": REMOVED}, "shown": [REMOVED, ALEX]}, ["/shown/1"]),
    ],
    ids=[
        "search",
        "other search",
        "family name",
        "number split",
        "name as a key",
        "export",
        "two keys",
        "again",
    ],
)
def test_what_names_a_person_in_a_list_or_export(changes, places):
    assert places_naming(changes, person_id=ALEX, identifiers=IDENTIFIERS) == places


def test_another_persons_id_never_names_someone_called_ed():
    changes = {"shown": ["ed5e5b2a-0000-4000-8000-000000000000"]}
    assert places_naming(changes, person_id=ALEX, identifiers=["ed"]) == []
