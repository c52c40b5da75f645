"""Pages for making a referral (public and signed-in) and for triaging referrals to a decision.

Longer than 400 lines because the public form, its check and confirmation pages and the triage steps share
one referral's journey; splitting the public pages from triage is planned with the public form's move to
one question per page.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods

from dsr import audit
from dsr.access import scope_for
from dsr.dates import format_date, today
from dsr.people.models import Person
from dsr.referrals import eligibility, selectors, services, throttle
from dsr.referrals import forms as referral_forms
from dsr.referrals.models import Referral
from dsr.submissions import once

PAGE_SIZE = 50
SENT = "referrals_sent"  # {one-time form token: reference}, for a form posted again


@dataclass(frozen=True)
class Flow:
    """Making a referral: the public pages, or the signed-in professional's."""

    key: str
    form_url: str
    check_url: str
    sent_url: str
    professional: bool
    registers: Callable[[HttpRequest], Any]

    @property
    def draft_key(self) -> str:
        return f"referral_{self.key}_draft"

    @property
    def sent_key(self) -> str:
        return f"referral_{self.key}_sent"


def _referring_registers(request: HttpRequest):
    scope = scope_for(request)
    allowed = [r.pk for r in scope.registers if scope.may("make_referral", register=r)]
    if not allowed:
        raise PermissionDenied
    return selectors.public_registers().filter(pk__in=allowed)


PUBLIC = Flow(
    "public", "refer:form", "refer:check", "refer:sent", False, lambda request: selectors.public_registers()
)
STAFF = Flow("staff", "referrals:new", "referrals:check", "referrals:sent", True, _referring_registers)


def _kept(form: forms.Form, data) -> dict[str, list[str]]:
    """The posted answers worth keeping in the draft: only this form's fields, no repeats."""
    names = set(form.fields) - {referral_forms.HONEYPOT}
    kept = {}
    for key in data:
        if key.split("[")[0] in names:
            values = data.getlist(key)
            kept[key] = list(dict.fromkeys(values)) if key == "concerns" else values[-1:]
    return kept


def _form(request: HttpRequest, flow: Flow, data=None, **kwargs) -> referral_forms.ReferralForm:
    return referral_forms.ReferralForm(
        data, registers=flow.registers(request), professional=flow.professional, **kwargs
    )


def _initial(request: HttpRequest, flow: Flow, token: str) -> dict[str, Any]:
    initial: dict[str, Any] = {"submission_token": token}
    if flow.professional:
        user = request.user
        initial.update(referrer_name=user.get_full_name(), referrer_email=user.email)
    return initial


def _already_sent(request: HttpRequest, flow: Flow, token: str) -> HttpResponse | None:
    reference = request.session.get(SENT, {}).get(token)
    if reference:
        return redirect(flow.sent_url)
    if token and selectors.referral_sent_with(token):
        return render(request, "referrals/already_sent.jinja", {"flow": flow}, status=409)
    return None


def _refused(request: HttpRequest, flow: Flow) -> HttpResponse:
    request.session.pop(flow.draft_key, None)
    return render(request, "referrals/refused.jinja", {"flow": flow}, status=400)


def _make_referral_form(request: HttpRequest, flow: Flow) -> HttpResponse:
    draft = request.session.get(flow.draft_key)
    if request.method == "POST":
        if request.POST.get(referral_forms.HONEYPOT):
            return _refused(request, flow)
        token = request.POST.get("submission_token", "")
        if (sent := _already_sent(request, flow, token)) is not None:
            return sent
        form = _form(request, flow, request.POST)
        if form.is_valid():
            request.session[flow.draft_key] = {"data": _kept(form, request.POST), "token": token}
            return redirect(flow.check_url)
    elif draft and request.GET.get("change"):
        form = _form(request, flow, MultiValueDict(draft["data"]))
    else:
        token = draft["token"] if draft else secrets.token_urlsafe(32)
        form = _form(request, flow, initial=_initial(request, flow, token))
    return render(request, "referrals/make.jinja", {"form": form, "flow": flow})


def _check_answers(request: HttpRequest, flow: Flow) -> HttpResponse:
    draft = request.session.get(flow.draft_key)
    if not draft:
        if request.method == "POST" and request.session.get(SENT, {}).get(
            request.POST.get("submission_token")
        ):
            return redirect(flow.sent_url)
        return redirect(flow.form_url)
    form = _form(request, flow, MultiValueDict(draft["data"]))
    if not form.is_valid():
        return redirect(reverse(flow.form_url) + "?change=1")
    if request.method == "POST":
        if request.POST.get("submission_token") != draft["token"]:
            return redirect(flow.form_url)
        if not flow.professional and not throttle.allow_submission(request):
            return render(request, "referrals/too_many.jinja", {"flow": flow}, status=429)
        register = form.cleaned_data["register"]
        referral = services.submit_referral(
            register=register, answers=form.answers(), by=request.user, submission_token=draft["token"]
        )
        request.session[SENT] = {**request.session.get(SENT, {}), draft["token"]: referral.reference}
        request.session[flow.sent_key] = {
            "reference": referral.reference,
            "register": register.name,
            "consultation_due_on": format_date(referral.consultation_due_on),
            "emailed": bool(referral.contact_email or referral.referrer_email),
        }
        del request.session[flow.draft_key]
        return redirect(flow.sent_url)
    context = {"form": form, "flow": flow, "summary": form.summary(), "token": draft["token"]}
    return render(request, "referrals/check.jinja", context)


def _confirmation(request: HttpRequest, flow: Flow) -> HttpResponse:
    sent = request.session.get(flow.sent_key)
    if not sent:
        return redirect(flow.form_url)
    return render(request, "referrals/sent.jinja", {"sent": sent, "flow": flow})


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/start.jinja", {"flow": PUBLIC})


@login_not_required
@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest) -> HttpResponse:
    return _make_referral_form(request, PUBLIC)


@login_not_required
@require_http_methods(["GET", "POST"])
def public_check(request: HttpRequest) -> HttpResponse:
    return _check_answers(request, PUBLIC)


@login_not_required
def public_sent(request: HttpRequest) -> HttpResponse:
    return _confirmation(request, PUBLIC)


@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest) -> HttpResponse:
    STAFF.registers(request)
    return _make_referral_form(request, STAFF)


@require_http_methods(["GET", "POST"])
def check_referral(request: HttpRequest) -> HttpResponse:
    STAFF.registers(request)
    return _check_answers(request, STAFF)


def referral_sent(request: HttpRequest) -> HttpResponse:
    STAFF.registers(request)
    return _confirmation(request, STAFF)


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
    return render(request, "referrals/mine.jinja", {"page": page})


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
