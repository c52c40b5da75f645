"""Forms for reviews and their recommendations. Rules live in services and policy; forms parse."""

from django import forms

from dsr.dates import format_date, today
from dsr.design_system import DateField
from dsr.people.models import Person
from dsr.reviews import policy
from dsr.reviews.models import Review


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of review",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of review"},
    )
    setting = forms.ChoiceField(
        label="Setting",
        choices=Review.Setting.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the setting"},
    )
    admission = forms.ModelChoiceField(
        label="Admission (for a post-admission or inpatient review)",
        required=False,
        queryset=None,
        empty_label="Not about an admission",
    )
    review_on = DateField(label="Date of the review", subject="The date of the review")
    status = forms.ChoiceField(
        label="Has it taken place?",
        choices=Review.Status.choices,
        widget=forms.RadioSelect,
        initial=Review.Status.PLANNED,
    )
    invitations_sent_on = DateField(
        label="Invitations sent (optional)",
        required=False,
        subject="The date invitations were sent",
        help_text="At least 2 weeks before the review",
    )
    papers_shared_on = DateField(
        label="Papers shared (optional)",
        required=False,
        subject="The date papers were shared",
        help_text="At least 24 hours before the review. Without consent the panel reads no shared papers",
    )
    consent = forms.ChoiceField(
        label="Consent to the review",
        choices=Review.Consent.choices,
        widget=forms.RadioSelect,
        initial=Review.Consent.NOT_YET,
        help_text="Separate from consent to be on the register",
    )
    consent_decided_by = forms.CharField(
        label="Who consented or made the best-interests decision (optional)", max_length=200, required=False
    )
    chair = forms.CharField(label="Chair (optional)", max_length=200, required=False)
    clinical_expert = forms.CharField(label="Clinical expert (optional)", max_length=200, required=False)
    expert_by_experience = forms.CharField(
        label="Expert by experience (optional)", max_length=200, required=False
    )
    attendees = forms.CharField(
        label="Other attendees (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    person_attended = forms.BooleanField(label="The person took part", required=False)
    family_attended = forms.BooleanField(label="Their family or carers took part", required=False)
    admission_recommended = forms.BooleanField(
        label="Admission to hospital has been recommended (a LAEP)", required=False
    )
    psychiatrist = forms.CharField(label="Psychiatrist (LAEP only)", max_length=200, required=False)
    psychiatrist_decision = forms.CharField(
        label="The psychiatrist's decision (LAEP only)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In a LAEP the psychiatrist's decision on admission is final",
    )
    outcome = forms.CharField(
        label="Outcome (optional)", max_length=8000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        born = person.date_of_birth
        on = today()
        kinds = [(k.value, k.label) for k in Review.Kind]
        if not policy.is_child_on(born, on):
            kinds = [(value, label) for value, label in kinds if value != policy.LAEP]
            self.fields["kind"].error_messages["invalid_choice"] = (
                f"{person.given_name} is 18 or over: a LAEP is only for under-18s, choose a CTR"
            )
            for name in ("admission_recommended", "psychiatrist", "psychiatrist_decision"):
                del self.fields[name]
        self.fields["kind"].choices = kinds
        self.fields["kind"].initial = policy.review_type(date_of_birth=born, review_on=on)
        birthday = policy.adult_from(born)
        if birthday > on:
            self.fields["kind"].help_text = (
                f"{person.given_name} is {person.age}: a CETR for a review before their 18th birthday on "
                f"{format_date(birthday)}, a CTR from that day. A LAEP is for a child in crisis whose "
                "admission has been recommended."
            )
        else:
            self.fields["kind"].help_text = f"{person.given_name} is {person.age}: a CTR (18 and over)."
        self.fields["admission"].queryset = person.admissions.all()
        self.fields["admission"].label_from_instance = lambda a: (
            f"{a.hospital}, admitted {format_date(a.admitted_on)}"
        )
