"""Forms for a person's record. Rules live in services; forms parse and give clear messages.

Longer than 400 lines because it holds one form for each part of a person's record, matching the pages in
dsr.workspace.people_views; each turns what was entered into the value its service takes (dsr.people.values).
"""

from django import forms
from django.contrib.auth import get_user_model

from dsr.design_system import DateField
from dsr.people import nhs_number
from dsr.people.models import Admission, Consent, ContactLog, Diagnosis, Person, Rating
from dsr.people.values import (
    AdmissionDetails,
    CareTeamMember,
    CircumstancesUpdate,
    ConsentGiven,
    DiagnosisDetails,
    LoggedContact,
    PersonDetails,
)
from dsr.ratings.models import RiskFactor
from dsr.registers.models import Organisation, Register

RATING_CHOICES = [(r.value, r.label) for r in Rating]
RATING_HINT = {
    "red": "High risk of admission straight away",
    "amber": "At risk of admission without the right care and treatment soon",
    "green": "Risks and needs managed well at home",
    "blue": "Already in hospital",
}


def risk_factor_field(register: Register | None) -> forms.ModelMultipleChoiceField:
    queryset = RiskFactor.objects.filter(register__isnull=True)
    if register is not None:
        queryset = RiskFactor.objects.filter(register__isnull=True) | RiskFactor.objects.filter(
            register=register
        )
    return forms.ModelMultipleChoiceField(
        label="Risk factors considered",
        queryset=queryset.order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the risk factors you considered"},
        help_text="Select all that apply",
    )


class RatingFieldsMixin(forms.Form):
    rating = forms.ChoiceField(
        label="Rating",
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating"},
    )
    rationale = forms.CharField(
        label="Why this rating",
        widget=forms.Textarea,
        max_length=4000,
        help_text="Say what has changed and what the rating means for the person's support",
        error_messages={"required": "Enter why you chose this rating"},
    )

    def add_rating_fields(self, register: Register | None) -> None:
        self.fields["risk_factors"] = risk_factor_field(register)


class PersonDetailsForm(forms.Form):
    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter their first name"}
    )
    family_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter their last name"}
    )
    preferred_name = forms.CharField(label="Preferred name (optional)", max_length=100, required=False)
    date_of_birth = DateField(label="Date of birth", subject="Date of birth")
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=12,
        required=False,
        help_text="10 digits, for example 943 476 5919. Leave blank if not known",
    )
    sex = forms.ChoiceField(
        label="Sex", choices=Person.Sex.choices, widget=forms.RadioSelect, initial=Person.Sex.NOT_KNOWN
    )
    gender_identity = forms.CharField(label="Gender identity (optional)", max_length=100, required=False)
    ethnicity = forms.CharField(label="Ethnicity (optional)", max_length=100, required=False)
    address = forms.CharField(
        label="Address (optional)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)
    local_authority = forms.CharField(label="Local authority (optional)", max_length=100, required=False)
    gp_practice = forms.CharField(label="GP practice (optional)", max_length=200, required=False)
    accommodation = forms.ChoiceField(
        label="Accommodation (optional)",
        required=False,
        choices=[("", "Not recorded"), *Person.Accommodation.choices],
    )
    communication_needs = forms.CharField(
        label="Communication needs (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )

    def clean_nhs_number(self) -> str:
        return nhs_number.normalise(self.cleaned_data["nhs_number"])

    def clean_postcode(self) -> str:
        return self.cleaned_data["postcode"].strip().upper()

    def details(self) -> PersonDetails:
        """The person's details as the people services take them."""
        data = self.cleaned_data
        return PersonDetails(
            given_name=data["given_name"],
            family_name=data["family_name"],
            preferred_name=data["preferred_name"],
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"],
            sex=data["sex"],
            gender_identity=data["gender_identity"],
            ethnicity=data["ethnicity"],
            address=data["address"],
            postcode=data["postcode"],
            local_authority=data["local_authority"],
            gp_practice=data["gp_practice"],
            accommodation=data["accommodation"],
            communication_needs=data["communication_needs"],
        )


class AddPersonForm(PersonDetailsForm, RatingFieldsMixin):
    joined_reason = forms.CharField(
        label="Why they are joining the register",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this person is joining the register"},
    )

    def __init__(self, *args, register: Register | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_rating_fields(register)
        # Who the person is first, then why they join, then their initial rating.
        self.order_fields(
            [*PersonDetailsForm.base_fields, "joined_reason", "rating", "rationale", "risk_factors"]
        )


class ChangeRatingForm(RatingFieldsMixin):
    next_review_due = DateField(
        label="Next review due",
        subject="The next review date",
    )

    def __init__(self, *args, register: Register | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_rating_fields(register)


class CircumstancesForm(forms.Form):
    key_safety_information = forms.CharField(
        label="Key safety information",
        required=False,
        max_length=4000,
        widget=forms.Textarea,
        help_text="What everyone involved must know to keep this person safe",
    )
    why_enhanced_support = forms.CharField(
        label="Why enhanced support may be needed",
        required=False,
        max_length=4000,
        widget=forms.Textarea,
    )
    health = forms.CharField(label="Health", required=False, max_length=4000, widget=forms.Textarea)
    education = forms.CharField(label="Education", required=False, max_length=4000, widget=forms.Textarea)
    social = forms.CharField(
        label="Social circumstances", required=False, max_length=4000, widget=forms.Textarea
    )

    def circumstances(self) -> CircumstancesUpdate:
        data = self.cleaned_data
        return CircumstancesUpdate(
            key_safety_information=data["key_safety_information"],
            why_enhanced_support=data["why_enhanced_support"],
            health=data["health"],
            education=data["education"],
            social=data["social"],
        )


class DiagnosisForm(forms.Form):
    condition = forms.ChoiceField(
        label="Condition",
        choices=Diagnosis.Condition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the condition"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Diagnosis.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is confirmed"},
    )
    diagnosed_on = DateField(
        label="Date of diagnosis (optional)", required=False, subject="Date of diagnosis"
    )
    waiting_since = DateField(
        label="On the waiting list since (if awaiting assessment)",
        required=False,
        subject="Waiting list date",
    )
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=2000, widget=forms.Textarea)

    def diagnosis(self) -> DiagnosisDetails:
        data = self.cleaned_data
        return DiagnosisDetails(
            condition=data["condition"],
            status=data["status"],
            diagnosed_on=data["diagnosed_on"],
            waiting_since=data["waiting_since"],
            notes=data["notes"],
        )


class InvolvementForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter their name"})
    role = forms.CharField(
        label="Role",
        max_length=200,
        help_text="For example, social worker or SENCO",
        error_messages={"required": "Enter their role"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation (optional)",
        required=False,
        queryset=Organisation.objects.all(),
        empty_label="Not listed",
    )
    contact = forms.CharField(label="Phone or email (optional)", max_length=200, required=False)
    user = forms.ModelChoiceField(
        label="Their account on the register (optional)",
        required=False,
        queryset=None,
        empty_label="No account",
        help_text="A keyworker with an account sees this person's record",
    )
    responsibilities = forms.MultipleChoiceField(
        label="Responsibilities (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("is_keyworker", "Keyworker"),
            ("is_care_coordinator", "Care coordinator"),
            ("is_lead_professional", "Lead professional"),
        ],
    )
    started_on = DateField(label="Involved since", subject="The start date")

    def __init__(self, *args, register: Register, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__register=register)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username

    def member(self) -> CareTeamMember:
        """The new member of the care team; the responsibilities ticked become what they are."""
        data = self.cleaned_data
        responsibilities = set(data["responsibilities"])
        return CareTeamMember(
            name=data["name"],
            role=data["role"],
            organisation=data["organisation"],
            contact=data["contact"],
            user=data["user"],
            is_keyworker="is_keyworker" in responsibilities,
            is_care_coordinator="is_care_coordinator" in responsibilities,
            is_lead_professional="is_lead_professional" in responsibilities,
            started_on=data["started_on"],
        )


class EndInvolvementForm(forms.Form):
    ended_on = DateField(label="Date their involvement ended", subject="The end date")
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=500)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label="Consent to",
        choices=Consent.Purpose.choices,
        widget=forms.RadioSelect,
        initial=Consent.Purpose.REGISTER,
    )
    given_by = forms.ChoiceField(
        label="Who gave consent",
        choices=Consent.GivenBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who gave consent"},
    )
    given_by_name = forms.CharField(
        label="Their name",
        max_length=200,
        help_text="For a best-interests decision, the person who made it and their role",
        error_messages={"required": "Enter the name of the person who gave consent or decided"},
    )
    given_on = DateField(label="Date given", subject="The date consent was given")
    method = forms.ChoiceField(
        label="How it was recorded",
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how consent was recorded"},
    )

    def consent(self) -> ConsentGiven:
        data = self.cleaned_data
        return ConsentGiven(
            purpose=data["purpose"],
            given_by=data["given_by"],
            given_by_name=data["given_by_name"],
            given_on=data["given_on"],
            method=data["method"],
        )


class WithdrawConsentForm(forms.Form):
    withdrawn_on = DateField(label="Date consent was withdrawn", subject="The date consent was withdrawn")


class AdmissionForm(forms.Form):
    hospital = forms.CharField(
        label="Hospital", max_length=200, error_messages={"required": "Enter the hospital"}
    )
    admitted_on = DateField(label="Date admitted", subject="The admission date")
    legal_status = forms.ChoiceField(
        label="Legal status",
        choices=Admission.LegalStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the legal status"},
    )
    placement = forms.MultipleChoiceField(
        label="Placement (optional)",
        help_text=(
            "Out of area: commissioner oversight visits become due. "
            "Secure service: inpatient C(E)TRs for adults are yearly."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("out_of_area", "Out of area"), ("secure_service", "Secure service")],
    )

    def admission(self) -> AdmissionDetails:
        """The admission; the placement boxes ticked become whether it is out of area or secure."""
        data = self.cleaned_data
        placement = set(data["placement"])
        return AdmissionDetails(
            hospital=data["hospital"],
            admitted_on=data["admitted_on"],
            legal_status=data["legal_status"],
            out_of_area="out_of_area" in placement,
            secure_service="secure_service" in placement,
        )


class DischargeForm(RatingFieldsMixin):
    discharged_on = DateField(label="Date discharged", subject="The discharge date")
    discharged_to = forms.CharField(
        label="Discharged to (optional)",
        required=False,
        max_length=200,
        help_text="For example, family home or supported living",
    )
    next_review_due = DateField(label="Next review due", subject="The next review date")

    field_order = ["discharged_on", "discharged_to", "rating", "rationale", "risk_factors", "next_review_due"]

    def __init__(self, *args, register: Register | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [c for c in RATING_CHOICES if c[0] != "blue"]
        self.fields["rating"].label = "New rating after discharge"
        self.fields["rating"].error_messages["invalid_choice"] = (
            "Blue is for people in hospital: choose red, amber or green"
        )
        self.add_rating_fields(register)
        self.order_fields(self.field_order)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of contact",
        choices=ContactLog.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of contact"},
    )
    occurred_on = DateField(label="Date", subject="The date of the contact")
    summary = forms.CharField(
        label="Summary",
        max_length=4000,
        widget=forms.Textarea,
        error_messages={"required": "Enter a summary of the contact"},
    )

    def contact(self) -> LoggedContact:
        data = self.cleaned_data
        return LoggedContact(kind=data["kind"], occurred_on=data["occurred_on"], summary=data["summary"])


class LeaveRegisterForm(forms.Form):
    left_on = DateField(label="Date they left the register", subject="The date they left")
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this person is leaving the register"},
    )
