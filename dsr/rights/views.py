"""Pages for information governance officers: find a person, see who has looked at their record, and
record and answer their subject access and rectification requests."""

import datetime
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from dsr import audit, person_page
from dsr.access import one_of, scope_for
from dsr.audit import wording
from dsr.dates import today
from dsr.form_pages import form_page
from dsr.people.models import Person
from dsr.rights import forms as rights_forms
from dsr.rights import pack, redactions, selectors, services
from dsr.rights.models import InformationRequest, SubjectAccessRequest

PAGE_SIZE = 25
EVENTS_PAGE_SIZE = 50


def _person_page(person: Person) -> str:
    return reverse("rights:person", kwargs={"person_id": person.pk})


def _request_page(found: InformationRequest) -> str:
    if isinstance(found, SubjectAccessRequest):
        return reverse(
            "rights:subject_access", kwargs={"person_id": found.person_id, "subject_access_id": found.pk}
        )
    return reverse(
        "rights:rectification", kwargs={"person_id": found.person_id, "rectification_id": found.pk}
    )


# A form about the person's request, on the information rights pages.
_form_page = partial(form_page, template="rights/form.jinja")


@require_GET
def people(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not selectors.is_ig_officer(scope):
        raise PermissionDenied
    form = rights_forms.PersonSearchForm(request.GET)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = None
    if search:
        page = Paginator(selectors.people_matching(scope, search), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        audit.record_list(
            by=request.user,
            shown=list(page.object_list),
            what="information_rights_search",
            detail={"search": search, "page": page.number},
        )
    return render(
        request,
        "rights/people.jinja",
        {"form": form, "search": search, "page": page, "query": urlencode({"q": search}) if search else ""},
    )


def _audit_trail_url(person: Person, month: datetime.date | None) -> str:
    """The audit trail, filtered to the person (and the month, when one is chosen)."""
    query = {"person": str(person.pk)}
    if month is not None:
        last_day = selectors.month_after(month) - datetime.timedelta(days=1)
        for name, day in (("since", month), ("until", last_day)):
            query.update({f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year})
    return reverse("governance:audit_trail") + "?" + urlencode(query)


def _month(form: rights_forms.AccessMonthForm) -> datetime.date | None:
    if not form.is_valid() or not form.cleaned_data["month"]:
        return None
    year, month = form.cleaned_data["month"].split("-")
    return datetime.date(int(year), int(month), 1)


@require_GET
def person(request: HttpRequest, person_id) -> HttpResponse:
    scope = scope_for(request)
    person = selectors.requests_record(scope, person_id)
    audit.record_read(by=request.user, record=person, what="information_rights_record")
    form = rights_forms.AccessMonthForm(request.GET, months=selectors.last_months())
    month = _month(form)
    events = Paginator(selectors.access_events(person, month=month), EVENTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    members = selectors.members_by_id(
        person.register_id, {e.user_id for e in events if e.user_id is not None}
    )
    lines = [(event, members.get(event.user_id), wording.describe(event)) for event in events]
    return render(
        request,
        "rights/person.jinja",
        {
            "person": person,
            "subject_access_requests": list(person.subject_access_requests.all()),
            "rectification_requests": list(person.rectification_requests.all()),
            "form": form,
            "month": month,
            "events": events,
            "lines": lines,
            "query": f"month={month:%Y-%m}" if month else "",
            "audit_trail_url": _audit_trail_url(person, month),
            "sections": person_page.shown(
                person_page.Page(scope=scope, person=person, on=today(), may={}), on=person_page.RIGHTS
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def add_subject_access(request: HttpRequest, person_id) -> HttpResponse:
    person = selectors.person_for_requests(scope_for(request), person_id)
    form = rights_forms.SubjectAccessForm(request.POST or None, initial={"received_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title="Record a subject access request",
        save=lambda data: services.record_subject_access_request(
            person=person,
            requester=form.requester(),
            identity_checked=data["identity_checked"],
            identity_check=data["identity_check"],
            notes=data["notes"],
            by=request.user,
        ),
        success=_person_page(person),
        success_message="Subject access request recorded",
        submit="Record request",
    )


def _subject_access(request: HttpRequest, person_id, subject_access_id):
    person = selectors.person_for_requests(scope_for(request), person_id)
    found = one_of(
        person.subject_access_requests.select_related("recorded_by", "pack_produced_by"), subject_access_id
    )
    return person, found


@require_GET
def subject_access(request: HttpRequest, person_id, subject_access_id) -> HttpResponse:
    person, found = _subject_access(request, person_id, subject_access_id)
    audit.record_read(by=request.user, record=found, what="subject_access_request")
    return render(request, "rights/subject_access.jinja", {"person": person, "information_request": found})


@require_http_methods(["GET", "POST"])
def produce_pack(request: HttpRequest, person_id, subject_access_id) -> HttpResponse:
    """GET explains what the pack holds; POST builds it and answers with the zip file."""
    person, found = _subject_access(request, person_id, subject_access_id)
    if request.method == "POST":
        content = services.produce_subject_access_pack(request=found, by=request.user)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{services.pack_filename(found)}"'
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    audit.record_read(by=request.user, record=found, what="subject_access_request")
    return render(
        request,
        "rights/produce_pack.jinja",
        {
            "person": person,
            "information_request": found,
            "withheld": found.redactions.count(),
            "redacted": pack.REDACTED,
        },
    )


@require_http_methods(["GET", "POST"])
def close_subject_access(request: HttpRequest, person_id, subject_access_id) -> HttpResponse:
    person, found = _subject_access(request, person_id, subject_access_id)
    form = rights_forms.CloseSubjectAccessForm(request.POST or None, initial={"sent_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title="Close the subject access request",
        save=lambda data: services.close_subject_access_request(
            request=found,
            status=data["status"],
            sent_on=data["sent_on"],
            refusal_ground=data["refusal_ground"],
            refusal_reason=data["refusal_reason"],
            by=request.user,
        ),
        success=_request_page(found),
        success_message="Subject access request closed",
        submit="Close request",
        extra={"information_request": found},
    )


@require_http_methods(["GET", "POST"])
def add_rectification(request: HttpRequest, person_id) -> HttpResponse:
    person = selectors.person_for_requests(scope_for(request), person_id)
    form = rights_forms.RectificationForm(request.POST or None, initial={"received_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title="Record a rectification request",
        save=lambda data: services.record_rectification_request(
            person=person, requester=form.requester(), what_is_wrong=data["what_is_wrong"], by=request.user
        ),
        success=_person_page(person),
        success_message="Rectification request recorded",
        submit="Record request",
    )


def _rectification(request: HttpRequest, person_id, rectification_id):
    person = selectors.person_for_requests(scope_for(request), person_id)
    found = one_of(
        person.rectification_requests.select_related("recorded_by", "decided_by"), rectification_id
    )
    return person, found


@require_GET
def rectification(request: HttpRequest, person_id, rectification_id) -> HttpResponse:
    person, found = _rectification(request, person_id, rectification_id)
    audit.record_read(by=request.user, record=found, what="rectification_request")
    return render(request, "rights/rectification.jinja", {"person": person, "information_request": found})


@require_http_methods(["GET", "POST"])
def decide_rectification(request: HttpRequest, person_id, rectification_id) -> HttpResponse:
    person, found = _rectification(request, person_id, rectification_id)
    form = rights_forms.DecideRectificationForm(request.POST or None, initial={"told_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title="Record the outcome of the rectification request",
        save=lambda data: services.decide_rectification_request(
            request=found,
            outcome=data["outcome"],
            told_on=data["told_on"],
            change_made=data["change_made"],
            refusal_ground=data["refusal_ground"],
            refusal_reason=data["refusal_reason"],
            by=request.user,
        ),
        success=_request_page(found),
        success_message="Outcome recorded",
        submit="Record outcome",
        extra={"information_request": found},
    )


def _start_clock(request: HttpRequest, person: Person, found: InformationRequest) -> HttpResponse:
    form = rights_forms.StartClockForm(request.POST or None, initial={"clock_started_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title="Record that their identity was confirmed or the request clarified",
        save=lambda data: services.start_clock(
            request=found,
            started_by=data["clock_start"],
            started_on=data["clock_started_on"],
            detail=data["clock_start_detail"],
            by=request.user,
        ),
        success=_request_page(found),
        success_message="Clock restarted: the new deadline is shown below",
        submit="Restart the clock",
        extra={"information_request": found},
    )


def _extend(request: HttpRequest, person: Person, found: InformationRequest) -> HttpResponse:
    form = rights_forms.ExtendDeadlineForm(request.POST or None, initial={"extension_told_on": today()})
    return _form_page(
        request,
        form=form,
        person=person,
        title="Extend the deadline",
        save=lambda data: services.extend_deadline(
            request=found,
            months=data["extended_by_months"],
            ground=data["extension_ground"],
            reason=data["extension_reason"],
            told_on=data["extension_told_on"],
            by=request.user,
        ),
        success=_request_page(found),
        success_message="Deadline extended",
        submit="Extend the deadline",
        extra={"information_request": found},
    )


@require_http_methods(["GET", "POST"])
def start_subject_access_clock(request: HttpRequest, person_id, subject_access_id) -> HttpResponse:
    return _start_clock(request, *_subject_access(request, person_id, subject_access_id))


@require_http_methods(["GET", "POST"])
def extend_subject_access(request: HttpRequest, person_id, subject_access_id) -> HttpResponse:
    return _extend(request, *_subject_access(request, person_id, subject_access_id))


@require_http_methods(["GET", "POST"])
def start_rectification_clock(request: HttpRequest, person_id, rectification_id) -> HttpResponse:
    return _start_clock(request, *_rectification(request, person_id, rectification_id))


@require_http_methods(["GET", "POST"])
def extend_rectification(request: HttpRequest, person_id, rectification_id) -> HttpResponse:
    return _extend(request, *_rectification(request, person_id, rectification_id))


@require_http_methods(["GET", "POST"])
def review_pack(request: HttpRequest, person_id, subject_access_id) -> HttpResponse:
    """The values the pack would show, to mark those that identify someone else and say why; POST saves the
    marks (dsr.rights.redactions). A plain form: no JavaScript needed."""
    person, found = _subject_access(request, person_id, subject_access_id)
    review = redactions.review_of(found)
    # Bound on every POST: one with every box unticked posts no values.
    data = request.POST if request.method == "POST" else None
    form = rights_forms.PackReviewForm(data, values=review.values, marks=review.marks)
    if request.method == "POST" and form.is_valid():
        try:
            withheld = redactions.mark_values(request=found, marks=form.marks(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Saved: {withheld} {'value' if withheld == 1 else 'values'} will be withheld from the pack",
            )
            return redirect(
                reverse("rights:review_pack", kwargs={"person_id": person.pk, "subject_access_id": found.pk})
            )
    audit.record_read(by=request.user, record=found, what="subject_access_pack_review")
    return render(
        request,
        "rights/review_pack.jinja",
        {
            "person": person,
            "information_request": found,
            "form": form,
            "review": review,
            "redacted": pack.REDACTED,
        },
    )
