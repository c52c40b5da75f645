"""Forms for actions: who does what by when, and their progress."""

from django import forms

from dsr.actions.models import Action
from dsr.design_system import DateField
from dsr.registers.members import display_name, members_of
from dsr.registers.models import Organisation, Register
from dsr.registers.policy import roles_that_may

# Who may own an action: those who work with the register's people and so see it in "My actions".


class FollowUpFields(forms.Form):
    """Who is responsible, for which organisation, and by when."""

    owner_name = forms.CharField(
        label="Responsible person",
        max_length=200,
        error_messages={"required": "Enter the name of the person responsible"},
    )
    owner = forms.ModelChoiceField(
        label="Their account on the register (optional)",
        required=False,
        queryset=None,
        empty_label="No account",
        help_text="The action then appears in their list of actions",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation (optional)",
        required=False,
        queryset=Organisation.objects.all(),
        empty_label="Not listed",
    )
    due_on = DateField(label="Due date", subject="The due date")

    def __init__(self, *args, register: Register, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of([register], roles=roles_that_may("own_action"))
        self.fields["owner"].label_from_instance = display_name


class ActionForm(FollowUpFields):
    description = forms.CharField(
        label="What is to be done",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what is to be done"},
    )
    field_order = ["description", "owner_name", "owner", "organisation", "due_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)


class RecommendationForm(FollowUpFields):
    text = forms.CharField(
        label="Recommendation",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the recommendation"},
        help_text="It is followed up as an action until it is done",
    )
    field_order = ["text", "owner_name", "owner", "organisation", "due_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)


class UpdateActionForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status"},
    )
    note = forms.CharField(
        label="Note",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done, or why it is no longer needed (a note is needed then)",
    )
    due_on = DateField(
        label="New due date (optional, open actions only)", required=False, subject="The new due date"
    )
