"""Forms for documents, erasure, legal holds and the days of unusual access shown. Rules live in services;
forms parse and give clear messages."""

import datetime

from django import forms

from dsr import documents
from dsr.dates import today
from dsr.design_system import DateField
from dsr.documents.models import Document
from dsr.governance import erasure


class UploadDocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of document is it?",
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of document it is"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Speech and language assessment, March 2026",
        error_messages={
            "required": "Enter a title for the document",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A PDF, Word document or image (PNG or JPEG), smaller than {documents.MAX_SIZE_TEXT}",
        widget=forms.FileInput(attrs={"accept": ".pdf,.doc,.docx,.png,.jpg,.jpeg"}),
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty",
            "invalid": "Select a file to upload",
            "missing": "Select a file to upload",
        },
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        documents.check(file)
        return file


class EraseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the record being erased?",
        choices=erasure.Reason.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the record is being erased"},
    )
    received_on = DateField(
        label="Date the request was received", subject="The date the request was received"
    )
    confirm = forms.BooleanField(
        label="I understand that everything held about this person will be erased and cannot be recovered",
        error_messages={"required": "Confirm that you understand the record cannot be recovered"},
    )


class LegalHoldForm(forms.Form):
    """A hold's reason, reference and review date; the service checks the date is not past."""

    reason = forms.CharField(
        label="Why is the record being held?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, a claim about their care, an inquest, or a police investigation",
        error_messages={
            "required": "Enter why the record is being held",
            "max_length": "Why the record is held must be 2000 characters or fewer",
        },
    )
    reference = forms.CharField(
        label="Reference",
        max_length=100,
        help_text="The claim, case or inquiry reference, or the solicitor's",
        error_messages={
            "required": "Enter the reference of the claim, inquiry or investigation",
            "max_length": "Reference must be 100 characters or fewer",
        },
    )
    review_on = DateField(
        label="Date to review the hold",
        subject="The date to review the hold",
        help_text=(
            "Today or later. The hold stays until it is lifted; on this date, check whether it is still "
            "needed. For example, 3 3 2027"
        ),
    )


class LiftLegalHoldForm(forms.Form):
    lift_reason = forms.CharField(
        label="Why is the hold being lifted?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the claim was settled and the solicitor no longer needs the record",
        error_messages={
            "required": "Enter why the hold is being lifted",
            "max_length": "Why the hold is being lifted must be 2000 characters or fewer",
        },
    )


class FindingsPeriodForm(forms.Form):
    """The days whose unusual access is shown: yesterday unless chosen, a month at most."""

    LONGEST = 31

    since = DateField(label="From", required=False, subject="The date to show unusual access from")
    until = DateField(label="To", required=False, subject="The date to show unusual access to")

    @classmethod
    def from_query(cls, query) -> "FindingsPeriodForm":
        """The form as the query string fills it; showing yesterday when it names no dates."""
        chosen = any(key.startswith(("since", "until")) for key in query)
        yesterday = today() - datetime.timedelta(days=1)
        return cls(query if chosen else None, initial={"since": yesterday, "until": yesterday})

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The days chosen; yesterday when they were left out or were not right."""
        yesterday = today() - datetime.timedelta(days=1)
        if not self.is_valid():
            return yesterday, yesterday
        until = self.cleaned_data.get("until") or self.cleaned_data.get("since") or yesterday
        return self.cleaned_data.get("since") or until, until

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error(
                "until", "The date to show unusual access to must be the same as or after the date from"
            )
        elif since and until and (until - since).days >= self.LONGEST:
            self.add_error("until", f"Choose a period of {self.LONGEST} days or fewer")
        return data
