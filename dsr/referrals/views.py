"""Pages for triaging referrals to a decision, for following the referrals one made, and for putting a
register on the public referral form. Making a referral: dsr.referrals.form_views."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dsr import audit
from dsr.access import scope_for
from dsr.dates import today
from dsr.people.models import Person
from dsr.referrals import eligibility, selectors, services
from dsr.referrals import forms as referral_forms
from dsr.referrals.models import Referral
from dsr.submissions import once

PAGE_SIZE = 50


# Triage.


def _triage_scope(request: HttpRequest):
    scope = scope_for(request)
    if not scope.registers_for("triage_referrals"):
        raise PermissionDenied
    return scope


def queue(request: HttpRequest) -> HttpResponse:
    scope = _triage_scope(request)
    page = Paginator(selectors.triage_queue(scope), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(referral, eligibility.for_referral(referral, on=today())) for referral in page.object_list]
    audit.record_list(
        by=request.user, shown=list(page.object_list), what="referral_queue", detail={"page": page.number}
    )
    context = {
        "page": page,
        "rows": rows,
        "show_register": scope.current is None and len(scope.all_registers) > 1,
        "may_publish": bool(scope.registers_for("publish_referral_form")),
    }
    return render(request, "referrals/queue.jinja", context)


def mine(request: HttpRequest) -> HttpResponse:
    """The referrals the signed-in user made, and where each one has got to."""
    scope = scope_for(request)
    if not scope.registers_for("make_referral"):
        raise PermissionDenied
    page = Paginator(selectors.made_by(scope), PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_list(
        by=request.user, shown=list(page.object_list), what="my_referrals", detail={"page": page.number}
    )
    context = {"page": page, "may_open": bool(scope.registers_for("follow_own_referrals"))}
    return render(request, "referrals/mine.jinja", context)


def my_referral(request: HttpRequest, referral_id) -> HttpResponse:
    """One referral the signed-in referrer made: where it has got to, the decision and why, and whom to
    contact. Nothing the team added while triaging it is shown."""
    scope = scope_for(request)
    if not scope.registers_for("follow_own_referrals"):
        raise PermissionDenied
    referral = selectors.own_referral(scope, referral_id)
    audit.record_read(by=request.user, record=referral, what="my_referral")
    return render(request, "referrals/my_referral.jinja", {"referral": referral})


@require_http_methods(["GET", "POST"])
def public_form_registers(request: HttpRequest) -> HttpResponse:
    """Whether each of the coordinator's registers is on the public referral form; put one on, or take it
    off."""
    scope = scope_for(request)
    registers = scope.registers_for("publish_referral_form")
    if not registers:
        raise PermissionDenied
    if request.method == "POST":
        form = referral_forms.PublishForm(request.POST, registers=registers)
        if not form.is_valid():
            raise Http404("No such register")
        register = services.publish_register(
            register=form.cleaned_data["register"], published=form.cleaned_data["published"], by=request.user
        )
        now = "now on" if register.published else "no longer on"
        messages.success(request, f"{register.name} is {now} the public referral form")
        return redirect("referrals:public_form")
    return render(request, "referrals/public_form.jinja", {"registers": registers})


def detail(request: HttpRequest, referral_id) -> HttpResponse:
    scope = _triage_scope(request)
    referral = selectors.referral_record(scope, referral_id)
    audit.record_read(by=request.user, record=referral, what="referral")
    eligible, reasons = eligibility.for_referral(referral, on=today())
    context = {
        "referral": referral,
        "eligible": eligible,
        "reasons": reasons,
        "duplicates": selectors.duplicates_of(referral),
        "history": selectors.history(referral),
        "actions": _actions(referral),
    }
    return render(request, "referrals/detail.jinja", context)


def _actions(referral: Referral) -> list[tuple[str, str, bool]]:
    """(label, URL name, primary) for each step the referral can take now."""
    state = referral.state
    actions = []
    if state == Referral.State.RECEIVED:
        actions.append(("Offer a consultation", "referrals:offer_consultation", False))
    if state in services.MOVES[Referral.State.AWAITING_MEETING]:
        actions.append(("Move to awaiting meeting", "referrals:await_meeting", False))
    decidable = state in services.DECIDABLE or (
        state == Referral.State.DECIDED and referral.decision == Referral.Decision.MORE_INFORMATION
    )
    if decidable:
        actions.append(("Accept onto the register", "referrals:accept", True))
        actions.append(("Decline or ask for more information", "referrals:decide", False))
    if state != Referral.State.CLOSED:
        actions.append(("Close the referral", "referrals:close", False))
    return actions


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's reasons, each on its field where the form has one."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _next_page(result: Any) -> str:
    """After a step: the person's record if the referral made one, otherwise the referral."""
    if isinstance(result, Person):
        return reverse("people:detail", kwargs={"person_id": result.pk})
    return reverse("referrals:detail", kwargs={"referral_id": result.pk})


def _action_page(
    request: HttpRequest,
    referral_id,
    *,
    form_class: type[forms.Form],
    title: str,
    submit: str,
    save: Callable[[Referral, dict[str, Any]], Any],
    success_message: str,
    form_kwargs: Callable[[Referral], dict[str, Any]] | None = None,
) -> HttpResponse:
    scope = _triage_scope(request)
    referral = selectors.referral_record(scope, referral_id)
    form = form_class(request.POST or None, **(form_kwargs(referral) if form_kwargs else {}))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                result = once.save_once(request, lambda: save(referral, form.cleaned_data), _next_page)
        except once.AlreadySent as sent:
            messages.info(request, once.ALREADY_SENT)
            return redirect(sent.url)
        except ValidationError as error:
            # Among them, what another coordinator decided while this form was being filled in.
            _add_errors(form, error)
        else:
            messages.success(request, success_message)
            return redirect(_next_page(result))
    audit.record_page_read(request, referral)
    context = {"form": form, "referral": referral, "title": title, "submit": submit}
    return render(request, "referrals/action.jinja", context)


@require_http_methods(["GET", "POST"])
def offer_consultation(request: HttpRequest, referral_id) -> HttpResponse:
    return _action_page(
        request,
        referral_id,
        form_class=referral_forms.NoteForm,
        title="Offer a consultation",
        submit="Record consultation offered",
        save=lambda referral, data: services.offer_consultation(
            referral=referral, note=data["note"], by=request.user
        ),
        success_message="Consultation offer recorded",
    )


@require_http_methods(["GET", "POST"])
def await_meeting(request: HttpRequest, referral_id) -> HttpResponse:
    return _action_page(
        request,
        referral_id,
        form_class=referral_forms.ConsultationSummaryForm,
        title="Move to awaiting meeting",
        submit="Move to awaiting meeting",
        save=lambda referral, data: services.await_meeting(
            referral=referral, summary=data["summary"], by=request.user
        ),
        success_message="Referral is awaiting the next meeting",
    )


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, referral_id) -> HttpResponse:
    return _action_page(
        request,
        referral_id,
        form_class=referral_forms.DecideForm,
        title="Decline or ask for more information",
        submit="Record decision",
        save=lambda referral, data: services.decide_referral(
            referral=referral,
            decision=data["decision"],
            reason=data["reason"],
            other_support=data["other_support"],
            by=request.user,
        ),
        success_message="Decision recorded: the family and the referrer will be told",
    )


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, referral_id) -> HttpResponse:
    duplicates: dict[str, Any] = {}

    def form_kwargs(referral: Referral) -> dict[str, Any]:
        duplicates["people"] = {str(p.pk): p for p in selectors.duplicates_of(referral).people}
        return {"register": referral.register, "duplicates": list(duplicates["people"].values())}

    def save(referral: Referral, data: dict[str, Any]):
        return services.accept_referral(
            referral=referral,
            reason=data["reason"],
            rating=data["rating"],
            rationale=data["rationale"],
            factors=data["risk_factors"],
            link_to=duplicates["people"].get(data.get("link_to") or ""),
            by=request.user,
        )

    return _action_page(
        request,
        referral_id,
        form_class=referral_forms.AcceptForm,
        title="Accept onto the register",
        submit="Accept and add to the register",
        save=save,
        success_message="Referral accepted: the person is on the register with their initial rating",
        form_kwargs=form_kwargs,
    )


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, referral_id) -> HttpResponse:
    return _action_page(
        request,
        referral_id,
        form_class=referral_forms.CloseForm,
        title="Close the referral",
        submit="Close the referral",
        save=lambda referral, data: services.close_referral(
            referral=referral, note=data["note"], by=request.user
        ),
        success_message="Referral closed",
    )
