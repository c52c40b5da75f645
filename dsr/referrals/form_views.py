"""Making a referral, one topic per page: the public form (no sign-in) and a signed-in professional's.

Each page (dsr.referrals.steps) is checked as it is answered and its answers are kept in the session's
draft, so going back and forward loses nothing. The check-your-answers page shows what applies to this
referrer, each answer with a link to change it (which comes back to the check page), and sends it.
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods

from dsr.access import scope_for
from dsr.dates import format_date
from dsr.referrals import forms as referral_forms
from dsr.referrals import selectors, services, steps, throttle
from dsr.referrals.steps import Step
from dsr.registers.models import Register

SENT = "referrals_sent"  # {one-time form token: reference}, for a form posted again
CHANGE = "change"  # in the query string: changing an answer from the check page, and back to it
TOKEN = re.compile(r"[\w-]{32,64}")


@dataclass(frozen=True)
class Flow:
    """Making a referral: the public pages, or the signed-in professional's."""

    key: str
    form_url: str
    step_url: str
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

    def page_url(self, step: Step, *, change: bool = False) -> str:
        url = reverse(self.step_url, kwargs={"step": step.slug})
        return f"{url}?{CHANGE}=1" if change else url


def _referring_registers(request: HttpRequest):
    """The registers a signed-in user may refer to (published on the public form or not)."""
    scope = scope_for(request)
    allowed = [r.pk for r in scope.registers if scope.may("make_referral", register=r)]
    if not allowed:
        raise PermissionDenied
    return Register.objects.filter(pk__in=allowed).order_by("name")


PUBLIC = Flow(
    "public",
    "refer:form",
    "refer:step",
    "refer:check",
    "refer:sent",
    False,
    lambda request: selectors.public_registers(),
)
STAFF = Flow(
    "staff",
    "referrals:new",
    "referrals:step",
    "referrals:check",
    "referrals:sent",
    True,
    _referring_registers,
)


def _kept(form: referral_forms.ReferralForm, data) -> dict[str, list[str]]:
    """The posted answers worth keeping in the draft: only this page's questions, no repeats."""
    names = set(form.fields) - {referral_forms.HONEYPOT, "submission_token"}
    kept = {}
    for key in data:
        if key.split("[")[0] in names:
            values = data.getlist(key)
            kept[key] = list(dict.fromkeys(values)) if key == "concerns" else values[-1:]
    return kept


def _draft(request: HttpRequest, flow: Flow) -> dict[str, Any]:
    """The answers so far ({"data": {name: [values]}, "token": ..., "answered": [page slugs]}), started
    with a new one-time token when there are none."""
    draft = request.session.get(flow.draft_key)
    if not draft:
        draft = {"data": {}, "token": secrets.token_urlsafe(32), "answered": []}
        if flow.professional:
            user = request.user
            draft["data"] = {"referrer_name": [user.get_full_name()], "referrer_email": [user.email]}
    return draft


def _form(request: HttpRequest, flow: Flow, data=None, **kwargs) -> referral_forms.ReferralForm:
    return referral_forms.ReferralForm(
        data, registers=flow.registers(request), professional=flow.professional, **kwargs
    )


def _whole(request: HttpRequest, flow: Flow, draft: dict[str, Any]) -> referral_forms.ReferralForm:
    """Every answer so far, checked (a page not yet answered shows as wrong; nothing is shown)."""
    form = _form(request, flow, MultiValueDict(draft["data"]))
    form.is_valid()
    return form


def _already_sent(request: HttpRequest, flow: Flow, token: str) -> HttpResponse | None:
    if token and request.session.get(SENT, {}).get(token):
        return redirect(flow.sent_url)
    if token and selectors.referral_sent_with(token):
        context = {"flow": flow, "teams": _teams(request, flow)}
        return render(request, "referrals/already_sent.jinja", context, status=409)
    return None


def _teams(request: HttpRequest, flow: Flow) -> list[Register]:
    """The registers whose teams someone could contact instead of using the form."""
    return list(flow.registers(request))


def _refused(request: HttpRequest, flow: Flow) -> HttpResponse:
    request.session.pop(flow.draft_key, None)
    context = {"flow": flow, "teams": _teams(request, flow)}
    return render(request, "referrals/refused.jinja", context, status=400)


def _next_page(flow: Flow, whole: referral_forms.ReferralForm, after: Step, change: bool) -> str:
    """Where to go once a page is answered: the next page that applies, or, when changing an answer from
    the check page, the first page still wrong or missing (a new answer may bring in a page: a
    professional's details), and otherwise back to the check page."""
    pages = steps.pages(whole)
    if change:
        wrong = steps.first_with_errors(whole)
        return flow.page_url(wrong, change=True) if wrong else reverse(flow.check_url)
    later = [step for step in pages if steps.STEPS.index(step) > steps.STEPS.index(after)]
    return flow.page_url(later[0]) if later else reverse(flow.check_url)


def _previous_page(flow: Flow, whole: referral_forms.ReferralForm, step: Step, change: bool) -> str:
    if change:
        return reverse(flow.check_url)
    earlier = [page for page in steps.pages(whole) if steps.STEPS.index(page) < steps.STEPS.index(step)]
    if earlier:
        return flow.page_url(earlier[-1])
    return reverse("home") if flow.professional else reverse("refer:start")


def _page(request: HttpRequest, flow: Flow, slug: str | None) -> HttpResponse:
    """One page of the form (`slug`; None, the form's own address: its first page)."""
    draft = _draft(request, flow)
    whole = _whole(request, flow, draft)
    step = steps.BY_SLUG.get(slug) if slug else steps.pages(whole)[0]
    if step is None:
        raise Http404("No such page of the referral form")
    change = request.GET.get(CHANGE) == "1"
    if not steps.applies(step, whole):
        return redirect(_next_page(flow, whole, step, change))
    names = tuple(steps.shown_fields(step, whole))
    earlier = {name: value for name, value in whole.cleaned_data.items() if name not in names}
    if request.method == "POST":
        if request.POST.get(referral_forms.HONEYPOT):
            return _refused(request, flow)
        token = request.POST.get("submission_token", "")
        if (sent := _already_sent(request, flow, token)) is not None:
            return sent
        if flow.draft_key not in request.session and TOKEN.fullmatch(token):
            draft["token"] = token  # the page's own token, from a session that has since ended
        form = _form(request, flow, request.POST, fields=names, earlier=earlier)
        if form.is_valid():
            data = {key: value for key, value in draft["data"].items() if key.split("[")[0] not in names}
            draft["data"] = {**data, **_kept(form, request.POST)}
            draft["answered"] = [*dict.fromkeys([*draft["answered"], step.slug])]
            request.session[flow.draft_key] = draft
            return redirect(_next_page(flow, _whole(request, flow, draft), step, change))
    elif step.slug in draft["answered"]:
        # Answered before: shown as answered, with what is now wrong with it (after another answer
        # changed, say).
        form = _form(request, flow, MultiValueDict(draft["data"]), fields=names, earlier=earlier)
        form.is_valid()
    else:
        request.session[flow.draft_key] = draft
        form = _form(request, flow, fields=names, initial=_initial(draft))
    context = {
        "flow": flow,
        "step": step,
        "form": form,
        "token": draft["token"],
        "back": _previous_page(flow, whole, step, change),
        "action": flow.page_url(step, change=change),
    }
    return render(request, "referrals/step.jinja", context)


def _initial(draft: dict[str, Any]) -> dict[str, Any]:
    """What a page not yet answered starts with: a signed-in professional's own name and email."""
    return {key: values[-1] for key, values in draft["data"].items() if values and "[" not in key}


def _check_answers(request: HttpRequest, flow: Flow) -> HttpResponse:
    draft = request.session.get(flow.draft_key)
    if not draft or not draft.get("answered"):
        if request.method == "POST" and request.session.get(SENT, {}).get(
            request.POST.get("submission_token")
        ):
            return redirect(flow.sent_url)
        return redirect(flow.form_url)
    form = _whole(request, flow, draft)
    if not form.is_valid():
        wrong = steps.first_with_errors(form) or steps.pages(form)[0]
        return redirect(flow.page_url(wrong, change=True))
    if request.method == "POST":
        if request.POST.get("submission_token") != draft["token"]:
            return redirect(flow.form_url)
        if not flow.professional and not throttle.allow_submission(request):
            context = {"flow": flow, "teams": [form.cleaned_data["register"]]}
            return render(request, "referrals/too_many.jinja", context, status=429)
        register = form.cleaned_data["register"]
        referral = services.submit_referral(
            register=register, answers=form.answers(), by=request.user, submission_token=draft["token"]
        )
        request.session[SENT] = {**request.session.get(SENT, {}), draft["token"]: referral.reference}
        request.session[flow.sent_key] = {
            "reference": referral.reference,
            "register": register.name,
            "consultation_due_on": format_date(referral.consultation_due_on),
            "consultation_target": referral.consultation_target,
            "emailed": bool(referral.contact_email or referral.referrer_email),
            "team": register.team,
            "team_phone": register.team_phone,
            "team_email": register.team_email,
            "data_protection_officer": register.data_protection_officer,
        }
        del request.session[flow.draft_key]
        return redirect(flow.sent_url)
    context = {"flow": flow, "summary": steps.summary(form), "token": draft["token"]}
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
    return _page(request, PUBLIC, None)


@login_not_required
@require_http_methods(["GET", "POST"])
def public_step(request: HttpRequest, step: str) -> HttpResponse:
    return _page(request, PUBLIC, step)


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
    return _page(request, STAFF, None)


@require_http_methods(["GET", "POST"])
def referral_step(request: HttpRequest, step: str) -> HttpResponse:
    STAFF.registers(request)
    return _page(request, STAFF, step)


@require_http_methods(["GET", "POST"])
def check_referral(request: HttpRequest) -> HttpResponse:
    STAFF.registers(request)
    return _check_answers(request, STAFF)


def referral_sent(request: HttpRequest) -> HttpResponse:
    STAFF.registers(request)
    return _confirmation(request, STAFF)
