"""Every kind of record about a person is registered once (dsr.audit.records), so the subject access
pack, erasure and the audit trail's redaction cover it without anyone remembering to add it."""

from django.apps import apps
from django.db import models

from dsr.audit import records
from dsr.people.models import Person

# Models that refer to people but are not records about them, with the reason.
NOT_PERSON_RECORDS = {
    # The audit trail keeps plain ids, not links; erasure redacts its events (dsr.governance.erasure).
    "governance.auditevent",
}


def _ours() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model.__module__.startswith("dsr.")]


def _points_at(model: type[models.Model], targets: set[type[models.Model]]) -> bool:
    return any(
        field.is_relation and field.many_to_one | field.one_to_one and field.related_model in targets
        for field in model._meta.get_fields()
        if field.concrete
    )


def test_every_model_that_hangs_off_a_person_is_registered():
    registered = {kind.model for kind in records.kinds()}
    missing = [
        model._meta.label_lower
        for model in _ours()
        if _points_at(model, registered | {Person})
        and model not in registered
        and model._meta.label_lower not in NOT_PERSON_RECORDS
    ]
    assert not missing, (
        f"{missing} hold data about a person but are not registered with dsr.audit.records.register(): "
        "subject access packs and erasure would miss them"
    )


def test_the_persons_own_details_come_first_and_each_kind_reaches_the_person():
    kinds = records.kinds()
    assert kinds[0].model is Person
    for kind in kinds[1:]:
        # The path from the record to its person must resolve to Person.
        for path in (kind.person_path, *kind.also_via):
            model = kind.model
            for step in path.split("__"):
                model = model._meta.get_field(step).related_model
            assert model is Person, (kind.key, path)
