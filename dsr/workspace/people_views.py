"""Pages for the register list, a person's record, and the forms that change it.

Longer than 400 lines because each part of a person's record has its own small form page here (details,
rating, circumstances, diagnosis, care team, consent, admissions, contacts, leaving); each is a few lines
over the shared form-page flow (dsr.form_pages), and together they read as the record's one set of forms.
"""

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dsr import audit, person_page
from dsr.access import one_of, scope_for
from dsr.dates import format_date, today
from dsr.form_pages import form_page
from dsr.people import forms as people_forms
from dsr.people import services
from dsr.people.models import RATING_MEANING, Person, Rating
from dsr.ratings import cadence
from dsr.ratings.services import record_rating
from dsr.reviews import policy
from dsr.reviews.selectors import describe_rows, requirements_for
from dsr.workspace import selectors
from dsr.workspace.filters import RegisterListFilter

PAGE_SIZE = 25


def register_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.registers_for("see_register_list"):
        raise PermissionDenied
    people = selectors.working_list(scope)
    counts = selectors.rating_counts(people)
    filterset = RegisterListFilter(request.GET, queryset=people, keyworkers=selectors.keyworkers_for(scope))
    # The page's people as ids first (filtered, sorted and counted without the rows' subqueries), then
    # what their rows show (selectors.list_rows).
    page = Paginator(filterset.qs.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.list_rows(scope, list(page.object_list))
    audit.record_list(
        by=request.user,
        shown=list(page.object_list),
        what="register_list",
        detail={"filters": {k: v for k, v in request.GET.items() if k != "page"}, "page": page.number},
    )
    describe_rows(page.object_list, today())
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "page": page,
        "counts": [(r, counts.get(r.value, 0)) for r in Rating],
        "total": sum(counts.values()),
        "query": query.urlencode(),
        "may_add": scope.may("add_person", register=scope.current) if scope.current else False,
        "show_register": scope.current is None and len(scope.all_registers) > 1,
    }
    template = "people/_list_results.jinja" if request.htmx else "people/list.jinja"
    return render(request, template, context)


def person_detail(request: HttpRequest, person_id) -> HttpResponse:
    """A person's page: what matters most at the top (rating, what it requires, key safety information),
    then each app's section of the record (dsr.person_page)."""
    scope = scope_for(request)
    person = selectors.person_record(scope, person_id)
    audit.record_read(by=request.user, record=person, what="person_record")
    on = today()
    may = {action: scope.may(action, person) for action in selectors.PERSON_ACTIONS}
    page = person_page.Page(
        scope=scope, person=person, on=on, may=may, whole_history=request.GET.get("history") == "all"
    )
    found = requirements_for(person, on)
    context = {
        "person": person,
        "rating_meaning": RATING_MEANING,
        "requirements": found,
        "requirements_summary": policy.summary(person.current_rating, found),
        "current_admission": person.current_admission(),
        "may": may,
        "sections": person_page.shown(page),
    }
    return render(request, "people/detail.jinja", context)


def _duplicate(error: ValidationError) -> dict[str, Any]:
    """The record already on the register with the NHS number entered, for the form to link to."""
    return {"duplicate": error.existing} if isinstance(error, services.DuplicatePerson) else {}


# The people pages' forms: a refused NHS number links to the record that has it.
_form_page = partial(form_page, refusal_context=_duplicate)


@require_http_methods(["GET", "POST"])
def add_person(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    register = scope.current
    if register is None or not scope.may("add_person", register=register):
        raise PermissionDenied
    form = people_forms.AddPersonForm(request.POST or None, register=register)

    def save(data: dict[str, Any]) -> Person:
        return services.add_person(
            register=register,
            details=form.details(),
            joined_reason=data["joined_reason"],
            rating=data["rating"],
            rationale=data["rationale"],
            factors=data["risk_factors"],
            by=request.user,
        )

    return _form_page(
        request,
        form=form,
        title=f"Add a person to {register.short_name}",
        save=save,
        success=_record,
        success_message="Person added to the register",
        submit="Add person",
    )


@require_http_methods(["GET", "POST"])
def change_details(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="change_details")
    initial = {name: getattr(person, name) for name in services.PERSON_DETAIL_FIELDS}
    form = people_forms.PersonDetailsForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form=form,
        person=person,
        title="Change personal details",
        save=lambda _data: services.update_details(person=person, details=form.details(), by=request.user),
        success=_record(person),
        success_message="Personal details saved",
    )


@require_http_methods(["GET", "POST"])
def change_rating(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="change_rating")
    register = person.register
    chosen = request.POST.get("rating") or request.GET.get("rating") or person.current_rating or Rating.AMBER
    proposed = cadence.next_review_due(
        register=register, rating=chosen if chosen in Rating.values else "amber", rated_on=today()
    )
    review_dates = {
        r.value: cadence.next_review_due(register=register, rating=r, rated_on=today()) for r in Rating
    }
    form = people_forms.ChangeRatingForm(
        request.POST or None, register=register, initial={"next_review_due": proposed, "rating": chosen}
    )
    form.fields["next_review_due"].help_text = "Proposed from this register's review cadence: " + "; ".join(
        f"{Rating(r).label.lower()} {format_date(d)}" for r, d in review_dates.items()
    )

    return _form_page(
        request,
        form=form,
        person=person,
        title="Change the rating",
        save=lambda data: record_rating(
            person=person,
            rating=data["rating"],
            rationale=data["rationale"],
            factors=data["risk_factors"],
            next_review_due=data["next_review_due"],
            by=request.user,
        ),
        success=_record(person),
        success_message="Rating saved",
        template="people/rating_form.jinja",
        extra={
            "cadence": [(r, register.review_days(r.value)) for r in Rating],
            "rating_meaning": RATING_MEANING,
            "review_dates": {r: d.isoformat() for r, d in review_dates.items()},
        },
    )


@require_http_methods(["GET", "POST"])
def change_circumstances(request: HttpRequest, person_id) -> HttpResponse:
    scope = scope_for(request)
    person = scope.person_to_change(person_id, action="change_circumstances")
    circumstances = getattr(person, "circumstances", None)
    names = list(people_forms.CircumstancesForm.base_fields)
    initial = {name: getattr(circumstances, name, "") for name in names}
    form = people_forms.CircumstancesForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form=form,
        person=person,
        title="Change circumstances and key safety information",
        save=lambda _data: services.update_circumstances(
            person=person, circumstances=form.circumstances(), by=request.user
        ),
        success=_record(person),
        success_message="Circumstances saved",
    )


@require_http_methods(["GET", "POST"])
def add_diagnosis(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="change_diagnosis")
    form = people_forms.DiagnosisForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        person=person,
        title="Add a diagnosis",
        save=lambda _data: services.add_diagnosis(person=person, diagnosis=form.diagnosis(), by=request.user),
        success=_record(person),
        success_message="Diagnosis added",
    )


@require_http_methods(["GET", "POST"])
def add_involvement(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="change_care_team")
    form = people_forms.InvolvementForm(
        request.POST or None, register=person.register, initial={"started_on": today()}
    )

    def save(_data: dict[str, Any]) -> None:
        try:
            services.add_involvement(person=person, member=form.member(), by=request.user)
        except ValidationError as error:
            # The form asks for the keyworker flag among the responsibilities.
            if hasattr(error, "error_dict") and "is_keyworker" in error.error_dict:
                raise ValidationError({"responsibilities": error.error_dict["is_keyworker"]}) from error
            raise

    return _form_page(
        request,
        form=form,
        person=person,
        title="Add someone to the care team",
        save=save,
        success=_record(person),
        success_message="Added to the care team",
    )


@require_http_methods(["GET", "POST"])
def end_involvement(request: HttpRequest, person_id, involvement_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="change_care_team")
    involvement = one_of(person.involvements, involvement_id)
    form = people_forms.EndInvolvementForm(request.POST or None, initial={"ended_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title=f"End {involvement.name}'s involvement",
        save=lambda data: services.end_involvement(
            involvement=involvement, ended_on=data["ended_on"], reason=data["reason"], by=request.user
        ),
        success=_record(person),
        success_message="Involvement ended",
        submit="End involvement",
    )


@require_http_methods(["GET", "POST"])
def add_consent(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="change_consent")
    form = people_forms.ConsentForm(request.POST or None, initial={"given_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title="Record consent",
        save=lambda _data: services.record_consent(person=person, consent=form.consent(), by=request.user),
        success=_record(person),
        success_message="Consent recorded",
    )


@require_http_methods(["GET", "POST"])
def withdraw_consent(request: HttpRequest, person_id, consent_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="change_consent")
    consent = one_of(person.consents, consent_id)
    form = people_forms.WithdrawConsentForm(request.POST or None, initial={"withdrawn_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title="Record that consent was withdrawn",
        save=lambda data: services.withdraw_consent(
            consent=consent, withdrawn_on=data["withdrawn_on"], by=request.user
        ),
        success=_record(person),
        success_message="Consent withdrawal recorded",
        submit="Record withdrawal",
        extra={"warning": _withdrawal_warning(person, consent)},
    )


def _withdrawal_warning(person: Person, consent) -> str:
    if consent.purpose != "register" or not person.register.consent_withdrawal_ends_membership:
        return ""
    return (
        f"Under this register's policy, when consent to be on the register is withdrawn, "
        f"{person.given_name} leaves the register on that date (unless another consent to be on it is "
        "still current), and the record is then kept only as the retention policy says."
    )


@require_http_methods(["GET", "POST"])
def record_admission(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="record_admission")
    form = people_forms.AdmissionForm(request.POST or None)

    return _form_page(
        request,
        form=form,
        person=person,
        title="Record an admission to hospital",
        save=lambda _data: services.record_admission(
            person=person, admission=form.admission(), by=request.user
        ),
        success=_record(person),
        success_message=(
            "Admission recorded: the rating is now blue"
            if person.register.admission_sets_blue
            else "Admission recorded"
        ),
        submit="Record admission",
    )


@require_http_methods(["GET", "POST"])
def record_discharge(request: HttpRequest, person_id, admission_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="record_admission")
    admission = one_of(person.admissions, admission_id)
    register = person.register
    form = people_forms.DischargeForm(
        request.POST or None,
        register=register,
        initial={
            "discharged_on": today(),
            "next_review_due": cadence.next_review_due(
                register=register, rating=Rating.RED, rated_on=today()
            ),
        },
    )
    return _form_page(
        request,
        form=form,
        person=person,
        title=f"Record discharge from {admission.hospital}",
        save=lambda data: services.record_discharge(
            admission=admission,
            discharged_on=data["discharged_on"],
            discharged_to=data["discharged_to"],
            rating=data["rating"],
            rationale=data["rationale"],
            factors=data["risk_factors"],
            next_review_due=data["next_review_due"],
            by=request.user,
        ),
        success=_record(person),
        success_message="Discharge and new rating recorded",
        submit="Record discharge",
    )


@require_http_methods(["GET", "POST"])
def log_contact(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="log_contact")
    form = people_forms.ContactForm(request.POST or None, initial={"occurred_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title="Log a contact",
        save=lambda _data: services.log_contact(person=person, contact=form.contact(), by=request.user),
        success=_record(person),
        success_message="Contact logged",
    )


@require_http_methods(["GET", "POST"])
def remove_from_register(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="remove_from_register")
    form = people_forms.LeaveRegisterForm(request.POST or None, initial={"left_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title="Take this person off the register",
        save=lambda data: services.remove_from_register(
            person=person, left_on=data["left_on"], reason=data["reason"], by=request.user
        ),
        success=reverse("people:list"),
        success_message=f"{person.full_name} has left the register",
        submit="Take off the register",
        extra={
            "warning": "They will leave every working list. The record is kept, then filed and "
            "erased as the register's retention policy says."
        },
    )


def _record(person: Person) -> str:
    return reverse("people:detail", kwargs={"person_id": person.pk})
