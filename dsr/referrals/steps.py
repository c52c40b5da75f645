"""The referral form's pages: one topic each, in order, and which of them apply to this referrer.

The form (dsr.referrals.forms.ReferralForm) holds every question; each page asks a few of them. Which
pages apply depends on what was answered already: a register page only when there is more than one
register to choose from, "Who are you?" only on the public form, "About you" only for a professional.
The check-your-answers page lists the pages that apply, each answer with a link back to its page.
"""

from dataclasses import dataclass
from typing import Any

from django import forms

from dsr.dates import format_date
from dsr.referrals.models import DiagnosisAnswer, Route


@dataclass(frozen=True)
class Step:
    """One page of the referral form: its address (slug), its heading and the questions it asks."""

    slug: str
    title: str
    fields: tuple[str, ...]
    # The heading on the check-your-answers page.
    heading: str


STEPS: tuple[Step, ...] = (
    Step("area", "Which area's register is this referral for?", ("register",), "Where they live"),
    Step("you", "Who are you?", ("route", "helper_relationship"), "About you"),
    Step(
        "your-details",
        "Your details",
        ("referrer_name", "referrer_role", "referrer_organisation", "referrer_email", "referrer_phone"),
        "Your details",
    ),
    Step(
        "person",
        "About the person who needs support",
        ("given_name", "family_name", "date_of_birth", "nhs_number"),
        "The person who needs support",
    ),
    Step("address", "Their address", ("address", "postcode"), "Their address"),
    Step(
        "contact",
        "How to contact them or their family",
        ("contact_name", "contact_email", "contact_phone"),
        "How to contact them or their family",
    ),
    Step("diagnosis", "Their diagnosis", ("autism", "learning_disability", "waiting_since"), "Diagnosis"),
    Step("worries", "What is worrying you?", ("concerns",), "What is worrying you"),
    Step(
        "happening",
        "What is happening now",
        ("concerns_detail", "services_involved"),
        "What is happening now",
    ),
    Step(
        "consent",
        "Consent to the referral",
        (
            "consent_given_by",
            "consent_given_by_name",
            "consent_given_on",
            "consent_method",
            "consent_confirmed",
        ),
        "Consent",
    ),
)
BY_SLUG = {step.slug: step for step in STEPS}
# Answers that are confirmed rather than shown: sending the referral confirms them again.
NOT_SHOWN = {"consent_confirmed"}


def _value(form: forms.Form, name: str) -> Any:
    """The answer as cleaned if it is valid, otherwise as typed (for deciding which pages apply)."""
    if name in getattr(form, "cleaned_data", {}):
        return form.cleaned_data[name]
    return form[name].value() if name in form.fields else None


def is_professional(form: forms.Form) -> bool:
    return form.professional or _value(form, "route") == Route.PROFESSIONAL


def applies(step: Step, form: forms.Form) -> bool:
    """Whether this page is part of this referral: the form is bound to the answers so far."""
    if step.slug == "area":
        return not form.single_register
    if step.slug == "you":
        return "route" in form.fields
    if step.slug == "your-details":
        return is_professional(form)
    return True


def pages(form: forms.Form) -> list[Step]:
    return [step for step in STEPS if applies(step, form)]


def shown_fields(step: Step, form: forms.Form) -> list[str]:
    """The step's questions this form asks (a signed-in professional is not asked who they are; only they
    say how consent was recorded)."""
    return [name for name in step.fields if name in form.fields]


def _row_applies(name: str, form: forms.Form) -> bool:
    if name == "helper_relationship":
        return _value(form, "route") == Route.HELPER
    if name == "waiting_since":
        return DiagnosisAnswer.WAITING in (_value(form, "autism"), _value(form, "learning_disability"))
    return name not in NOT_SHOWN


def first_with_errors(form: forms.Form) -> Step | None:
    """The first page that applies with a wrong or missing answer, once the form has been validated."""
    for step in pages(form):
        if any(name in form.errors for name in shown_fields(step, form)):
            return step
    return None


def summary(form: forms.Form) -> list[dict[str, Any]]:
    """What was answered, page by page, for checking before sending: only the pages and answers that
    apply to this referrer, each with the page to change it on. The form is valid."""
    answers = form.answers()
    shown = []
    for step in pages(form):
        rows = []
        for name in shown_fields(step, form):
            if not _row_applies(name, form):
                continue
            field = form.fields[name]
            value = getattr(answers, name, form.cleaned_data.get(name))
            if name == "register":
                value = form.cleaned_data.get("register")
            rows.append({"name": name, "label": str(field.label), "value": _readable(field, value)})
        if rows:
            shown.append({"step": step, "heading": step.heading, "rows": rows})
    return shown


def _readable(field: forms.Field, value: Any) -> str:
    if value in (None, "", [], ()):
        return "Not given"
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return "; ".join(str(labels.get(v, v)) for v in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if hasattr(value, "year"):
        return format_date(value)
    return str(value)
