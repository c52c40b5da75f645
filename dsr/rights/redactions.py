"""Withholding information about other people from a subject access pack.

The right of access does not oblige the register to disclose information that identifies someone else,
unless they agree or it is reasonable to disclose it without their agreement (UK GDPR Article 15(4); Data
Protection Act 2018, Schedule 2, paragraphs 16 and 17). Staff who cared for or worked with the person are not
withheld for that work; only their personal details are. The ICO's guidance ("Right of access: what should
we do if the request involves information about other individuals?") asks that the decision and its reason
be recorded.

Before the pack is sent, the IG officer reviews its values and marks those that identify someone else, each
with a reason. The marks (PackRedaction) are kept with the request as its redaction log, which is never sent,
and the pack shows "[redacted: third party]" in place of each marked value. Whole values only: a long text
that names someone is withheld whole. Marking, changing a reason and unmarking are audited.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from dsr import audit
from dsr.audit import records
from dsr.audit.models import AuditEvent
from dsr.rights import pack
from dsr.rights.models import PackRedaction, SubjectAccessRequest

NOT_IN_THE_PACK = (
    "Something you marked is no longer in the pack, so nothing was saved. Look at the values again and mark "
    "those to withhold"
)
CLOSED = "This request is closed: what is withheld from its pack can no longer be changed"


@dataclass(frozen=True)
class LogLine:
    """One value withheld: which, as the pack shows it ("" once it is no longer in the pack), and the mark."""

    mark: PackRedaction
    what: str  # "Name (Care team 2 of 3)"
    value: str


@dataclass(frozen=True)
class Review:
    """A pack's values as the IG officer reviews them, and the marks on them so far."""

    sections: list[tuple[str, list[pack.PackValue]]]  # (heading, values), for kinds with any values
    marks: dict[str, PackRedaction]  # value key -> mark, all the request's marks

    @property
    def values(self) -> list[pack.PackValue]:
        return [value for _, values in self.sections for value in values]

    @property
    def by_key(self) -> dict[str, pack.PackValue]:
        return {value.key: value for value in self.values}

    @property
    def log(self) -> list[LogLine]:
        """The redaction log: each mark with the value it withholds, in the order they were made."""
        values = self.by_key
        return [
            LogLine(mark=mark, what=values[key].described, value=values[key].value)
            if key in values
            else LogLine(mark=mark, what=_no_longer_held(mark), value="")
            for key, mark in self.marks.items()
        ]


def review_of(request: SubjectAccessRequest) -> Review:
    """The values the request's pack would show, by section, with the request's marks: one query per kind
    of record, and one for the marks."""
    found = [(section.kind.heading, section.values) for section in pack.sections(request.person)]
    marks = {mark.value_key: mark for mark in request.redactions.select_related("marked_by")}
    return Review(sections=[(heading, values) for heading, values in found if values], marks=marks)


def withheld(request: SubjectAccessRequest) -> set[str]:
    """The values marked to withhold from the request's pack (value keys)."""
    return {mark.value_key for mark in request.redactions.all()}


@transaction.atomic
def mark_values(*, request: SubjectAccessRequest, marks: dict[str, str], by) -> int:
    """Withhold the values marked (value key -> reason) from the request's pack, and send again those of its
    values no longer marked. All or nothing: a mark without a reason, or of a value not in the pack, changes
    nothing. Returns how many of the pack's values are withheld."""
    # One set of marks at a time for a request: two officers saving at once must not both add the same mark.
    locked = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_open:
        raise ValidationError(CLOSED)
    review = review_of(request)
    values = review.by_key
    if set(marks) - set(values):
        raise ValidationError(NOT_IN_THE_PACK)
    missing = {
        f"reason-{key}": f"Choose why {values[key].described} is withheld"
        for key, reason in marks.items()
        if reason not in PackRedaction.Reason.values
    }
    if missing:
        raise ValidationError(missing)

    for key, mark in review.marks.items():
        if key in values and key not in marks:
            audit.record_change(
                by=by, record=mark, action=AuditEvent.Action.DELETE, before=audit.snapshot(mark)
            )
            mark.delete()
    for key, reason in marks.items():
        existing = review.marks.get(key)
        if existing is None:
            kind_key, record_id, field_name = _parts(key)
            mark = PackRedaction.objects.create(
                request=request,
                record_kind=kind_key,
                record_id=record_id,
                field_name=field_name,
                reason=reason,
                marked_by=by,
            )
            audit.record_change(by=by, record=mark, action=AuditEvent.Action.CREATE)
        elif existing.reason != reason:
            audit.save_changes(by=by, record=existing, values={"reason": reason})
    return len(marks)


def _parts(key: str) -> tuple[str, str, str]:
    """A value key's kind of record ("people.involvement"), record id and field name."""
    app_label, model_name, record_id, field_name = key.split(".", 3)
    return f"{app_label}.{model_name}", record_id, field_name


def _no_longer_held(mark: PackRedaction) -> str:
    """Which value a mark withheld, once its record or value is gone from the pack."""
    kind = next((kind for kind in records.kinds() if kind.key == mark.record_kind), None)
    if kind is None or mark.field_name not in kind.fields:
        return "A value no longer in the pack"
    return f"{records.label(kind.model, mark.field_name)} ({kind.heading}, no longer in the pack)"
