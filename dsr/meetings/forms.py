"""Forms for meetings: creating one, arranging its agenda and attendance, and what the meeting records about
each item. Several sit on the running page at once, so each has its own prefix."""

from django import forms

from dsr.dates import today
from dsr.design_system import DateField
from dsr.meetings.models import Meeting
from dsr.registers.models import Register


class MeetingDetailsForm(forms.Form):
    """When and where a meeting is, and who chairs it (changeable until it has finished). The meeting is run
    from its start time, so the time is needed."""

    held_on = DateField(label="Date of the meeting", subject="The date of the meeting")
    starts_at = forms.TimeField(
        label="Start time",
        help_text="For example, 10:00 or 14:30. The meeting can be run from this time.",
        error_messages={
            "required": "Enter the start time of the meeting, like 14:30",
            "invalid": "Enter the start time as hours and minutes, like 14:30",
        },
    )
    location = forms.CharField(
        label="Where, or how to join (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Where, or how to join, must be 200 characters or fewer"},
    )
    chair = forms.CharField(
        label="Chair (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "The chair's name must be 200 characters or fewer"},
    )


class MeetingForm(MeetingDetailsForm):
    """A new meeting: which register (asked only of someone who runs the meetings of more than one), its
    kind, and its details."""

    register = forms.ModelChoiceField(
        label="Register",
        queryset=Register.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the register the meeting is for",
            "invalid_choice": "Choose a register whose meetings you run",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of meeting",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of meeting",
            "invalid_choice": "Choose the kind of meeting",
        },
    )
    field_order = ["register", "kind", "held_on", "starts_at", "location", "chair"]

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on is not None and held_on < today():
            raise forms.ValidationError("The date of the meeting must be today or in the future")
        return held_on

    def __init__(self, *args, registers: list[Register], **kwargs):
        super().__init__(*args, **kwargs)
        if len(registers) > 1:
            self.fields["register"].queryset = Register.objects.filter(pk__in=[r.pk for r in registers])
        else:
            del self.fields["register"]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why the meeting is cancelled",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, created by mistake, or moved to another day",
        error_messages={
            "required": "Enter why the meeting is cancelled",
            "max_length": "Why the meeting is cancelled must be 1000 characters or fewer",
        },
    )


class FindToAddForm(forms.Form):
    """A search for someone to add to the agenda: a register offers thousands of people, too many to list."""

    find = forms.CharField(
        label="Name or NHS number",
        max_length=100,
        required=False,
        help_text="People on the register who are not on the agenda already",
        error_messages={"max_length": "Name or NHS number must be 100 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)

    def searched(self) -> str:
        """What was typed to look for, or "" when nothing (or nothing usable) was."""
        return self.cleaned_data["find"] if self.is_bound and self.is_valid() else ""


class AddItemForm(forms.Form):
    """The person to add, chosen among those the search found. Any active person of the register who is not
    on the agenda is accepted (`people`); the choices shown are the ones found (`found`)."""

    person = forms.ModelChoiceField(
        label="Person to add",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the person to add",
            "invalid_choice": "Choose a person on this list",
        },
    )

    def __init__(self, *args, people, found, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        field = self.fields["person"]
        field.queryset = people
        field.choices = [(p.pk, f"{p.full_name} ({p.date_of_birth:%-d %b %Y})") for p in found]


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
