"""Forms for meetings: creating one, arranging its agenda and attendance, and what the meeting records about
each item. Several sit on the running page at once, so each has its own prefix."""

from django import forms

from dsr.design_system import DateField
from dsr.meetings.models import Meeting


class MeetingDetailsForm(forms.Form):
    """When and where a meeting is, and who chairs it (changeable until it has finished)."""

    held_on = DateField(label="Date of the meeting", subject="The date of the meeting")
    starts_at = forms.TimeField(
        label="Start time (optional)",
        required=False,
        help_text="For example, 10:00 or 14:30",
        error_messages={"invalid": "Enter the start time as hours and minutes, like 14:30"},
    )
    location = forms.CharField(label="Where, or how to join (optional)", max_length=200, required=False)
    chair = forms.CharField(label="Chair (optional)", max_length=200, required=False)


class MeetingForm(MeetingDetailsForm):
    kind = forms.ChoiceField(
        label="Kind of meeting",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of meeting"},
    )
    field_order = ["kind", "held_on", "starts_at", "location", "chair"]


class AddItemForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Person to add",
        queryset=None,
        empty_label="Choose a person",
        error_messages={
            "required": "Choose the person to add",
            "invalid_choice": "Choose a person on this list",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.full_name} ({p.date_of_birth:%-d %b %Y})"


class GuestForm(forms.Form):
    name = forms.CharField(label="Name (optional)", max_length=200, required=False)
    organisation = forms.CharField(label="Role or organisation (optional)", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="guest", **kwargs)


class NotesForm(forms.Form):
    discussion = forms.CharField(
        label="Discussion",
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A summary of what was said",
    )
    decisions = forms.CharField(
        label="Decisions",
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ratings, actions, reviews and escalations below are recorded on their own",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="notes", **kwargs)


class ArrangeReviewForm(forms.Form):
    review_on = DateField(label="Date of the C(E)TR", subject="The date of the C(E)TR")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="review", **kwargs)


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label="Why the oversight panel needs to see them",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the oversight panel needs to see them"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="escalate", **kwargs)


class CloseEscalationForm(forms.Form):
    outcome = forms.CharField(
        label="What the panel decided",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the panel decided"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="close", **kwargs)
