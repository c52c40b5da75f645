"""Forms for making and triaging referrals. Rules live in services; forms parse and give clear messages."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dsr.dates import today
from dsr.design_system import DateField
from dsr.people.forms import RatingFieldsMixin
from dsr.people.models import Consent
from dsr.referrals import services
from dsr.referrals.models import Concern, DiagnosisAnswer, Referral, Route
from dsr.referrals.values import ReferralAnswers
from dsr.registers.models import Register

# Visually hidden on each page and labelled for screen readers: people leave it empty, form-filling bots
# do not.
HONEYPOT = "website"


def _diagnosis_errors(name: str) -> dict[str, str]:
    """Each diagnosis question's error names the question, so the error summary tells them apart."""
    message = services.DIAGNOSIS_QUESTIONS[name]
    return {"required": message, "invalid_choice": message}


class ReferralForm(forms.Form):
    """Every question of a referral: who is referring, the person, what is happening, and consent. Each page
    of the form (dsr.referrals.steps) asks some of them."""

    register = forms.ModelChoiceField(
        label="Which area's register is this referral for?",
        queryset=Register.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the area", "invalid_choice": "Choose the area"},
    )
    route = forms.ChoiceField(
        label="Who are you?",
        choices=Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who is making the referral"},
    )
    helper_relationship = forms.CharField(
        label="If you are helping them, who are you?",
        help_text="For example, their aunt, a friend or an advocate",
        max_length=200,
        required=False,
    )
    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter their first name"}
    )
    family_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter their last name"}
    )
    date_of_birth = DateField(
        label="Date of birth", subject="Date of birth", help_text="For example, 15 3 2010"
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        max_length=12,
        required=False,
        help_text="10 digits, for example 943 476 5919. Leave blank if you do not know it",
    )
    address = forms.CharField(
        label="Address (optional)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)
    contact_name = forms.CharField(
        label="Name of the person we should contact (optional)",
        max_length=200,
        required=False,
        help_text="The person themselves, or their parent or carer",
    )
    contact_email = forms.EmailField(
        label="Their email address (optional)",
        max_length=254,
        required=False,
        help_text="We will email to say we have the referral, and again when we have decided",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    contact_phone = forms.CharField(label="Their phone number (optional)", max_length=30, required=False)
    autism = forms.ChoiceField(
        label="Have they been diagnosed as autistic?",
        choices=DiagnosisAnswer.choices,
        widget=forms.RadioSelect,
        error_messages=_diagnosis_errors("autism"),
    )
    learning_disability = forms.ChoiceField(
        label="Have they been diagnosed with a learning disability?",
        choices=DiagnosisAnswer.choices,
        widget=forms.RadioSelect,
        error_messages=_diagnosis_errors("learning_disability"),
    )
    waiting_since = DateField(
        label="If they are on a waiting list, when did they join it? (optional)",
        required=False,
        subject="The waiting list date",
    )
    services_involved = forms.CharField(
        label="Which services are already involved? (optional)",
        help_text="For example, school, social care, CAMHS, learning disability team or GP",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    concerns = forms.MultipleChoiceField(
        label="What is worrying you?",
        help_text="Select all that apply",
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose from the concerns listed"},
    )
    concerns_detail = forms.CharField(
        label="Tell us what is happening (optional)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    referrer_name = forms.CharField(label="Your name", max_length=200, required=False)
    referrer_role = forms.CharField(
        label="Your role", help_text="For example, social worker or SENCO", max_length=200, required=False
    )
    referrer_organisation = forms.CharField(label="Your organisation", max_length=200, required=False)
    referrer_email = forms.EmailField(
        label="Your email address",
        max_length=254,
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    referrer_phone = forms.CharField(label="Your phone number (optional)", max_length=30, required=False)
    consent_given_by = forms.ChoiceField(
        label="Who agreed to this referral?",
        choices=Consent.GivenBy.choices,
        widget=forms.RadioSelect,
        help_text="At 16 or over, the person decides. Under 16, a parent or guardian can agree for them",
        error_messages={
            "required": "We can only take a referral with consent: say who gave it, or who made a "
            "best-interests decision"
        },
    )
    consent_given_by_name = forms.CharField(
        label="Name of the person who agreed, or who made the best-interests decision",
        max_length=200,
        error_messages={"required": "Enter the name of the person who agreed to the referral"},
    )
    consent_given_on = DateField(
        label="Date they agreed (optional)",
        required=False,
        subject="The date consent was given",
        help_text="Leave blank if it is today. For example, 15 3 2026",
    )
    consent_method = forms.ChoiceField(
        label="How was consent recorded?",
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_confirmed = forms.BooleanField(
        label="I confirm they agreed to this referral, as described above",
        error_messages={"required": "No consent, no referral: confirm that they agreed to this referral"},
    )

    def __init__(
        self,
        *args: Any,
        registers,
        professional: bool = False,
        fields: tuple[str, ...] | None = None,
        earlier: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """All the questions, or only `fields` (one page's), checked together with the `earlier` answers
        (cleaned, from the other pages)."""
        kwargs.setdefault("auto_id", "%s")  # ids match the design system's, so the error summary links work
        super().__init__(*args, **kwargs)
        self.professional = professional
        self.earlier = earlier or {}
        self.fields["register"].queryset = registers
        self.single_register = registers.count() == 1
        if self.single_register:
            # Nothing to choose: the one register, whatever is posted.
            self.fields["register"].initial = registers.first().pk
            self.fields["register"].disabled = True
        if professional:
            del self.fields["route"]
            del self.fields["helper_relationship"]
            for name in ("referrer_name", "referrer_role", "referrer_organisation"):
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = services.PROFESSIONAL_FIELDS[name]
            self.fields["consent_given_on"].required = True
            self.fields["consent_given_on"].label = "Date consent was given"
            self.fields["consent_given_on"].help_text = "For example, 15 3 2026"
            self.fields["consent_method"].required = True
            self.fields["consent_method"].error_messages["required"] = "Choose how consent was recorded"
            self.fields["consent_confirmed"].label = "I confirm that I obtained this consent"
        else:
            del self.fields["consent_method"]
        if fields is not None:
            for name in set(self.fields) - set(fields):
                del self.fields[name]

    def answers(self, data: dict[str, Any] | None = None) -> ReferralAnswers:
        """The answers as the referral service takes them: a professional's referral is theirs, the public
        form's consent was given electronically, consent with no date was given today, and only a
        professional says who they are."""
        data = self.cleaned_data if data is None else data
        professional = self.professional or data.get("route") == Route.PROFESSIONAL

        def referrer(name: str) -> str:
            return (data.get(name) or "") if professional else ""

        return ReferralAnswers(
            route=Route.PROFESSIONAL if self.professional else data.get("route") or "",
            helper_relationship="" if self.professional else data.get("helper_relationship") or "",
            given_name=data.get("given_name") or "",
            family_name=data.get("family_name") or "",
            date_of_birth=data.get("date_of_birth"),
            nhs_number=data.get("nhs_number") or "",
            address=data.get("address") or "",
            postcode=data.get("postcode") or "",
            contact_name=data.get("contact_name") or "",
            contact_email=data.get("contact_email") or "",
            contact_phone=data.get("contact_phone") or "",
            autism=data.get("autism") or "",
            learning_disability=data.get("learning_disability") or "",
            waiting_since=data.get("waiting_since"),
            services_involved=data.get("services_involved") or "",
            concerns=tuple(data.get("concerns") or ()),
            concerns_detail=data.get("concerns_detail") or "",
            referrer_name=referrer("referrer_name"),
            referrer_role=referrer("referrer_role"),
            referrer_organisation=referrer("referrer_organisation"),
            referrer_email=referrer("referrer_email"),
            referrer_phone=referrer("referrer_phone"),
            consent_given_by=data.get("consent_given_by") or "",
            consent_given_by_name=data.get("consent_given_by_name") or "",
            consent_given_on=data.get("consent_given_on") or today(),
            consent_method=(data.get("consent_method") or "")
            if self.professional
            else Consent.Method.ELECTRONIC,
        )

    def clean(self) -> dict[str, Any]:
        """The referral service's rules, checked in the same round as each answer's own: an answer that is
        itself wrong stands in as given, so a rule does not repeat its message."""
        cleaned = super().clean()
        wrong = {name: STAND_INS.get(name, "?") for name in self.errors if name in self.fields}
        combined = {**self.earlier, **wrong, **cleaned}
        try:
            services.validate_referral(register=combined.get("register"), answers=self.answers(combined))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
        return cleaned


# What stands in for an answer that is wrong while the rules about the others are checked.
STAND_INS: dict[str, Any] = {
    "register": None,
    "date_of_birth": None,
    "waiting_since": None,
    "consent_given_on": None,
    "concerns": (),
}


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConsultationSummaryForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the consultation (optional)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What was discussed and agreed. Whoever made the referral is sent a copy by email.",
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label="Note",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when closing without a decision, for example because the referral was withdrawn",
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (Referral.Decision.DECLINED.value, "Decline"),
            (Referral.Decision.MORE_INFORMATION.value, "More information needed"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    reason = forms.CharField(
        label="Reason for the decision",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The family and the referrer are told this",
        error_messages={"required": "Enter the reason for the decision"},
    )
    other_support = forms.CharField(
        label="Other support suggested (if declining)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AcceptForm(RatingFieldsMixin):
    reason = forms.CharField(
        label="Reason for accepting",
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The family and the referrer are told this",
        error_messages={"required": "Enter the reason for the decision"},
    )
    link_to = forms.ChoiceField(
        label="Is this someone already known to the register?",
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, register: Register, duplicates: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_rating_fields(register)
        self.fields["rating"].label = "Initial rating"
        if duplicates:
            self.fields["link_to"].choices = [
                ("", "No, add them as a new person"),
                *[
                    (
                        str(p.pk),
                        f"Yes, this is {p.full_name}, born {p.date_of_birth:%-d %B %Y} "
                        f"({p.get_status_display().lower()})",
                    )
                    for p in duplicates
                ],
            ]
            self.fields["link_to"].initial = ""
        else:
            del self.fields["link_to"]
        self.order_fields(["link_to", "reason", "rating", "rationale", "risk_factors"])


class PublishForm(forms.Form):
    """Put one of the coordinator's registers on the public referral form, or take it off."""

    register = forms.TypedChoiceField(coerce=int)
    published = forms.TypedChoiceField(
        choices=[("true", "On"), ("false", "Off")], coerce=lambda v: v == "true"
    )

    def __init__(self, *args: Any, registers: list[Register], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registers = {register.pk: register for register in registers}
        self.fields["register"].choices = [(pk, str(register)) for pk, register in self.registers.items()]

    def clean_register(self) -> Register:
        return self.registers[self.cleaned_data["register"]]
