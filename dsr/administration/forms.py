"""Forms for the pages about who may do what. Rules live in services; forms parse and give clear messages."""

import datetime

from django import forms

from dsr.dates import today
from dsr.design_system import DateField

DEFAULT_DAYS = 30


class PeriodForm(forms.Form):
    since = DateField(label="From", required=False, subject="The date to show changes from")
    until = DateField(label="To", required=False, subject="The date to show changes to")

    @classmethod
    def from_query(cls, query) -> "PeriodForm":
        """The form as the query string fills it; showing the last 30 days when it names no dates."""
        chosen = any(key.startswith(("since", "until")) for key in query)
        until = today()
        initial = {"since": until - datetime.timedelta(days=DEFAULT_DAYS), "until": until}
        return cls(query if chosen else None, initial=initial)

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The dates chosen, or the last 30 days (up to today) for what was left out or was not a date."""
        data = self.cleaned_data if self.is_valid() else {}
        until = data.get("until") or today()
        since = data.get("since") or until - datetime.timedelta(days=DEFAULT_DAYS)
        return since, until

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The date to show changes to must be the same as or after the date from")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you approve this access?",
        choices=[("approve", "Yes, approve it"), ("decline", "No, decline it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve this access"},
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person who asked and the IG audit trail see this. Do not name anyone on the register.",
    )
