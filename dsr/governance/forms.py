"""Forms for documents and erasure. Rules live in services; forms parse and give clear messages."""

from django import forms

from dsr.design_system import DateField
from dsr.governance import documents, erasure
from dsr.governance.models import Document


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
