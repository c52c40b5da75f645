"""Forms for reviews and their recommendations. Rules live in services and policy; forms parse."""

from django import forms
from django.core.exceptions import ValidationError

from dsr.dates import format_date
from dsr.design_system import DateField
from dsr.people.models import Person
from dsr.reviews import policy, services
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
        self.person = person
        # Every kind is offered whatever the person's age today: a LAEP held before their 18th birthday can be
        # recorded after it. Which kind fits is checked against the review's own date (dsr/reviews/policy.py),
        # and none is chosen in advance (GOV.UK Design System, radios: do not pre-select an option).
        self.fields["kind"].choices = Review.Kind.choices
        self.fields["kind"].help_text = policy.kind_hint(
            name=person.given_name, date_of_birth=person.date_of_birth
        )
        self.fields["admission"].queryset = person.admissions.all()
        self.fields["admission"].label_from_instance = lambda a: (
            f"{a.hospital}, admitted {format_date(a.admitted_on)}"
        )

    def clean(self):
        """The service's checks (the kind for the age on the review date among them), so every problem shows
        on the page together, with or without JavaScript."""
        cleaned = super().clean()
        if not self.errors:
            try:
                services.validate_review(person=self.person, details=self.details())
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def details(self) -> services.ReviewDetails:
        """The review as the reviews services take it."""
        data = self.cleaned_data
        return services.ReviewDetails(
            kind=data["kind"],
            setting=data["setting"],
            admission=data["admission"],
            review_on=data["review_on"],
            status=data["status"],
            chair=data["chair"],
            clinical_expert=data["clinical_expert"],
            expert_by_experience=data["expert_by_experience"],
            attendees=data["attendees"],
            person_attended=data["person_attended"],
            family_attended=data["family_attended"],
            consent=data["consent"],
            consent_decided_by=data["consent_decided_by"],
            invitations_sent_on=data["invitations_sent_on"],
            papers_shared_on=data["papers_shared_on"],
            admission_recommended=data["admission_recommended"],
            psychiatrist=data["psychiatrist"],
            psychiatrist_decision=data["psychiatrist_decision"],
            outcome=data["outcome"],
        )
