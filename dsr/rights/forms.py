"""Forms for information rights requests. Rules live in services; forms parse and give clear messages."""

from django import forms

from dsr.design_system import DateField
from dsr.rights.models import (
    Authority,
    ClockStart,
    Competence,
    ExtensionGround,
    PackRedaction,
    RectificationRequest,
    Relationship,
    SubjectAccessRequest,
)
from dsr.rights.redactions import NOT_IN_THE_PACK
from dsr.rights.services import Requester


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="NHS number or name",
        max_length=100,
        required=False,
        help_text="For example, 943 476 5919 or Jamie Rivers",
    )


class AccessMonthForm(forms.Form):
    month = forms.ChoiceField(label="Month", required=False)

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [
            ("", "Any time"),
            *((m.strftime("%Y-%m"), m.strftime("%B %Y")) for m in months),
        ]


class RequesterFields(forms.Form):
    """Who is asking, and what allows them to (dsr.rights.requesters.who_may_ask decides)."""

    requester_name = forms.CharField(
        label="Name of the person asking",
        max_length=200,
        error_messages={"required": "Enter the name of the person asking"},
    )
    requester_relationship = forms.ChoiceField(
        label="Who is asking",
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        help_text="A child under 16 may ask for themselves only when judged competent to understand their "
        "rights; otherwise a parent or guardian asks for them",
        error_messages={"required": "Choose who is asking"},
    )
    received_on = DateField(label="Date the request was received", subject="The date received")
    competence = forms.ChoiceField(
        label="Were they judged competent to understand their rights?",
        choices=Competence.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Gillick competence: whether they understand what asking means and what the record "
        "may tell them. Needed for a child aged 12 to 15; for a younger child, only if someone judged them "
        "competent",
    )
    competence_judged_by = forms.CharField(
        label="Who judged, and their role",
        max_length=200,
        required=False,
        help_text="For example, Dr Sam Okafor, consultant psychiatrist",
    )
    competence_reason = forms.CharField(
        label="Why they were judged so",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    authority = forms.ChoiceField(
        label="What allows them to ask",
        choices=Authority.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Not needed when a parent or guardian asks for a child who is not competent",
    )
    authority_detail = forms.CharField(
        label="What you saw",
        max_length=500,
        required=False,
        help_text="For example, a consent letter signed and dated 3 March 2026, or the lasting power of "
        "attorney's Office of the Public Guardian reference",
    )

    sections = (
        ("", "", ("requester_name", "requester_relationship", "received_on")),
        (
            "If the person was under 16 when the request was received",
            "Whoever is asking, record whether the child was judged competent, by whom and why.",
            ("competence", "competence_judged_by", "competence_reason"),
        ),
        (
            "If someone is asking for another person",
            "Someone asking for an adult (16 or over), or for a competent child, needs their consent or "
            "legal authority to act for them.",
            ("authority", "authority_detail"),
        ),
    )

    def requester(self) -> Requester:
        """Who is asking, as the rights services take it."""
        data = self.cleaned_data
        return Requester(
            requester_name=data["requester_name"],
            requester_relationship=data["requester_relationship"],
            received_on=data["received_on"],
            competence=data["competence"],
            competence_judged_by=data["competence_judged_by"],
            competence_reason=data["competence_reason"],
            authority=data["authority"],
            authority_detail=data["authority_detail"],
        )


class SubjectAccessForm(RequesterFields):
    identity_checked = forms.BooleanField(label="The requester's identity has been checked", required=False)
    identity_check = forms.CharField(
        label="How their identity was checked",
        max_length=500,
        required=False,
        help_text="Needed if you ticked the box above. For example, passport seen in person, or known to "
        "the care team",
    )
    notes = forms.CharField(label="Notes (optional)", max_length=4000, required=False, widget=forms.Textarea)

    sections = (
        *RequesterFields.sections,
        (
            "Identity",
            "If you still need to check who they are, record it later: the one-month clock then starts "
            "from the day their identity was confirmed.",
            ("identity_checked", "identity_check"),
        ),
        ("", "", ("notes",)),
    )


class StartClockForm(forms.Form):
    clock_start = forms.ChoiceField(
        label="What happened",
        choices=[
            (ClockStart.IDENTITY, ClockStart.IDENTITY.label),
            (ClockStart.CLARIFIED, ClockStart.CLARIFIED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether their identity was confirmed or they clarified their request"
        },
    )
    clock_started_on = DateField(
        label="Date you received what you needed",
        subject="The date",
        help_text="The one-month clock starts again from this day. For example, 15 3 2026",
    )
    clock_start_detail = forms.CharField(
        label="What was checked or asked",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, passport seen at the office, or asked which years of records they want",
        error_messages={"required": "Enter what was checked or asked"},
    )


class ExtendDeadlineForm(forms.Form):
    extended_by_months = forms.TypedChoiceField(
        label="How much longer",
        choices=[("1", "1 more month"), ("2", "2 more months")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose an extension of 1 or 2 months",
            "invalid_choice": "Choose an extension of 1 or 2 months",
        },
    )
    extension_ground = forms.ChoiceField(
        label="Why more time is needed",
        choices=ExtensionGround.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the request is complex or one of a number of requests"},
    )
    extension_reason = forms.CharField(
        label="Explain why",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is what you told the requester",
        error_messages={"required": "Enter why more time is needed"},
    )
    extension_told_on = DateField(
        label="Date the requester was told",
        subject="The date the requester was told",
        help_text="It must be within the first month. For example, 15 3 2026",
    )


class CloseSubjectAccessForm(forms.Form):
    status = forms.ChoiceField(
        label="Outcome",
        choices=[
            (SubjectAccessRequest.Status.COMPLETED, "Completed: the pack was sent"),
            (SubjectAccessRequest.Status.REFUSED, "Refused"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the request was completed or refused"},
    )
    sent_on = DateField(
        label="Date the requester was sent the pack or told",
        subject="The date the requester was told",
    )
    refusal_ground = forms.ChoiceField(
        label="Ground for refusing (if refused)",
        choices=SubjectAccessRequest.RefusalGround.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Tell the requester why, and that they may complain to the Information Commissioner's "
        "Office or go to court",
    )
    refusal_reason = forms.CharField(
        label="Why the request was refused (if refused)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RectificationForm(RequesterFields):
    what_is_wrong = forms.CharField(
        label="What the requester says is wrong",
        max_length=4000,
        widget=forms.Textarea,
        help_text="In their words: which part of the record, and what they say it should say",
        error_messages={"required": "Enter what the requester says is wrong"},
    )

    sections = (*RequesterFields.sections, ("", "", ("what_is_wrong",)))


class DecideRectificationForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            (RectificationRequest.Outcome.CORRECTED, "Corrected"),
            (RectificationRequest.Outcome.REFUSED, "Refused"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the record was corrected or the request refused"},
    )
    change_made = forms.CharField(
        label="What was corrected (if corrected)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The correction itself is made on the person's record by their coordinator",
    )
    refusal_ground = forms.ChoiceField(
        label="Ground for refusing (if refused)",
        choices=RectificationRequest.RefusalGround.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    refusal_reason = forms.CharField(
        label="Why the request was refused (if refused)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    told_on = DateField(label="Date the requester was told", subject="The date the requester was told")


class PackReviewForm(forms.Form):
    """The pack's values to withhold and why: a box to tick (`withhold`, the value's key) and a reason for
    each value. Unticked values are sent. The rules (a reason for each, only values in the pack) are in
    dsr.rights.redactions."""

    withhold = forms.MultipleChoiceField(
        label="Values to withhold",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_IN_THE_PACK},
    )

    def __init__(self, *args, values, marks, **kwargs):
        """`values`: the pack's values (dsr.rights.pack.PackValue); `marks`: value key -> PackRedaction."""
        initial = {"withhold": list(marks), **{f"reason-{key}": mark.reason for key, mark in marks.items()}}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["withhold"].choices = [(value.key, value.label) for value in values]
        for value in values:
            self.fields[f"reason-{value.key}"] = forms.ChoiceField(
                label=f"Why {value.described} is withheld",
                required=False,
                choices=[("", "Choose a reason"), *PackRedaction.Reason.choices],
            )

    def marks(self) -> dict[str, str]:
        """Value key -> reason, for each value ticked."""
        return {key: self.cleaned_data.get(f"reason-{key}", "") for key in self.cleaned_data["withhold"]}
