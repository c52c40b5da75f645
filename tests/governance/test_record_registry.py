"""Every kind of record about a person is registered once (dsr.audit.records), so the subject access
pack, erasure and the audit trail's redaction cover it without anyone remembering to add it."""

import datetime

from django.apps import apps
from django.db import models

from dsr.audit import records
from dsr.meetings.models import AgendaItem, Meeting
from dsr.people.models import Person
from tests.factories import make_person
from tests.referrals.data import make_referral

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


def test_a_persons_meeting_items_include_those_about_their_referral(register, coordinator):
    person = make_person(register=register, by=coordinator)
    someone_else = make_person(register=register, by=coordinator)
    referral = make_referral(register)
    referral.person = person
    referral.save(update_fields=["person"])

    def item(held_on: datetime.date, **about) -> AgendaItem:
        meeting = Meeting.objects.create(
            register=register, kind="register", held_on=held_on, created_by=coordinator
        )
        return AgendaItem.objects.create(meeting=meeting, position=1, category="red", **about)

    before_they_joined = item(datetime.date(2026, 1, 10), referral=referral)
    as_themselves = item(datetime.date(2026, 2, 10), person=person)
    item(datetime.date(2026, 3, 10), person=someone_else)
    kind = records.kind_for(AgendaItem)
    assert list(kind.records_of(person)) == [before_they_joined, as_themselves]
