"""Forms for information rights requests. Rules live in services; forms parse and give clear messages."""

from django import forms

from dsr.design_system import DateField
from dsr.rights.models import RectificationRequest, Relationship, SubjectAccessRequest


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
    requester_name = forms.CharField(
        label="Name of the person asking",
        max_length=200,
        error_messages={"required": "Enter the name of the person asking"},
    )
    requester_relationship = forms.ChoiceField(
        label="Who is asking",
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        help_text=(
            "For a child under 16, a parent or guardian, or someone with legal authority, asks for them"
        ),
        error_messages={"required": "Choose who is asking"},
    )
    received_on = DateField(label="Date the request was received", subject="The date received")


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
    refusal_reason = forms.CharField(
        label="Why the request was refused (if refused)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    told_on = DateField(label="Date the requester was told", subject="The date the requester was told")
