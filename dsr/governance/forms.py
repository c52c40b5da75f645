"""Forms for documents shared about a person. Rules live in services; forms parse and give clear messages."""

from django import forms

from dsr.governance import documents
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
