"""Retention, erasure, legal holds and unusual access, for information governance officers; documents about a
person. The audit trail is in trail_views."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from dsr import audit, documents
from dsr.access import Scope, one_of, scope_for
from dsr.dates import today
from dsr.documents.models import Document
from dsr.form_pages import form_page
from dsr.governance import erasure, retention, services, unusual_access
from dsr.governance.forms import (
    EraseForm,
    FindingsPeriodForm,
    LegalHoldForm,
    LiftLegalHoldForm,
    UploadDocumentForm,
)
from dsr.submissions import once


def _documents_on_record(person) -> str:
    return reverse("people:detail", kwargs={"person_id": person.pk}) + "#documents"


def _document(request: HttpRequest, person_id, document_id, *, action: str | None = None) -> Document:
    """A document of a person the user may open (404 otherwise); PermissionDenied without `action`."""
    scope = scope_for(request)
    if action is None:
        person = scope.person(person_id, queryset=scope.people().select_related("register"))
    else:
        person = scope.person_to_change(person_id, action=action)
    return one_of(person.documents.select_related("uploaded_by"), document_id)


@require_http_methods(["GET", "POST"])
def upload_document(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="upload_document")
    form = UploadDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                once.save_once(
                    request,
                    lambda: services.upload_document(
                        person=person,
                        kind=form.cleaned_data["kind"],
                        title=form.cleaned_data["title"],
                        file=form.cleaned_data["file"],
                        by=request.user,
                    ),
                    lambda _: _documents_on_record(person),
                )
        except once.AlreadySent as sent:
            messages.info(request, once.ALREADY_SENT)
            return redirect(sent.url)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Document uploaded")
            return redirect(_documents_on_record(person))
    audit.record_page_read(request, person)
    return render(
        request,
        "governance/upload_document.jinja",
        {"form": form, "person": person, "title": "Upload a document", "submit": "Upload document"},
    )


@require_GET
def download_document(request: HttpRequest, person_id, document_id) -> FileResponse:
    document = _document(request, person_id, document_id)
    try:
        handle = documents.open_stored(document.stored_name)
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The document's file is missing") from error
    audit.record_read(by=request.user, record=document, what="document")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def delete_document(request: HttpRequest, person_id, document_id) -> HttpResponse:
    document = _document(request, person_id, document_id, action="delete_document")
    person = document.person
    if request.method == "POST":
        services.delete_document(document=document, by=request.user)
        messages.success(request, f"{document.title} deleted")
        return redirect(_documents_on_record(person))
    audit.record_page_read(request, document)
    return render(
        request,
        "governance/delete_document.jinja",
        {"document": document, "person": person, "title": "Delete this document"},
    )


def _ig_scope(request: HttpRequest, action: str) -> Scope:
    scope = scope_for(request)
    if not scope.registers_for(action):
        raise PermissionDenied
    return scope


@require_http_methods(["GET", "POST"])
def retention_report(request: HttpRequest) -> HttpResponse:
    """What each register's retention policy makes due today, and the button that applies it."""
    scope = _ig_scope(request, "apply_retention")
    registers = scope.registers_for("apply_retention")
    if request.method == "POST":
        done = retention.apply(retention.plan(registers=registers), by=request.user)
        filed = sum(step.action == retention.FILE for step in done)
        messages.success(request, f"Retention applied: {filed} filed, {len(done) - filed} erased")
        return redirect("governance:retention")
    found = retention.review(registers=registers)
    soon = [
        step
        for step in retention.plan(registers=registers, on=today() + datetime.timedelta(days=30))
        if (step.person_id, step.action) not in {(s.person_id, s.action) for s in found.due}
    ]
    shown = {record.pk: record for record in [*found.shown, *soon]}
    audit.record_list(by=request.user, shown=list(shown.values()), what="retention_report", detail={})
    return render(
        request,
        "governance/retention.jinja",
        {
            "due": found.due,
            "soon": soon,
            "waiting": found.waiting,
            "held": found.held,
            "policies": [
                (r, retention.file_rule(r) if r.file_after_months else "", retention.erase_rule(r))
                for r in registers
            ],
        },
    )


@require_GET
def unusual_access_report(request: HttpRequest) -> HttpResponse:
    """Signs of unusual access on a day or in a period (yesterday unless chosen), in each register where the
    user is an IG officer, each linked to the events behind it in the audit trail."""
    scope = _ig_scope(request, "see_unusual_access")
    registers = scope.registers_for("see_unusual_access")
    form = FindingsPeriodForm.from_query(request.GET)
    since, until = form.period()
    found = unusual_access.findings(registers, since=since, until=until)
    # It names members of staff, not people on the register: reading it is audited as a list of users.
    for register in registers:
        audit.record_staff_list(
            by=request.user,
            register_id=register.pk,
            what="unusual_access",
            detail={
                "since": since.isoformat(),
                "until": until.isoformat(),
                "users": sorted({f.user_id for f in found if f.register.pk == register.pk}),
            },
        )
    return render(
        request,
        "governance/unusual_access.jinja",
        {
            "form": form,
            "since": since,
            "until": until,
            "registers": [
                (
                    register,
                    [
                        (kind, title, [f for f in found if f.register.pk == register.pk and f.kind == kind])
                        for kind, title in unusual_access.KINDS.items()
                    ],
                )
                for register in registers
            ],
            "found": found,
        },
    )


@require_http_methods(["GET", "POST"])
def erase_person(request: HttpRequest, person_id) -> HttpResponse:
    """Erase a record on request, once the person has left the register."""
    scope = scope_for(request)
    person = scope.person(
        person_id, queryset=scope.governed_people().select_related("register").prefetch_related("episodes")
    )
    if not scope.may("erase_record", person):
        raise PermissionDenied
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erased = erasure.erase_on_request(
                person=person,
                reason=form.cleaned_data["reason"],
                received_on=form.cleaned_data["received_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Record erased. The audit trail keeps only a tombstone for record {erased.person_id}",
            )
            return redirect("governance:retention")
    audit.record_read(by=request.user, record=person, what="erasure_form")
    return render(
        request,
        "governance/erase.jinja",
        {
            "form": form,
            "person": person,
            "title": f"Erase {person.full_name}'s record",
            "submit": "Erase the record",
            "kept": erasure.reasons_to_keep(person),
            "warning": (
                f"{person.given_name} is still on the register. A coordinator takes them off it first; "
                "then the record can be erased."
            )
            if person.status == person.Status.ACTIVE
            else "",
        },
    )


def _person_to_hold(request: HttpRequest, person_id):
    """A person in a register the user governs (404 otherwise) on whom they may set a legal hold."""
    scope = scope_for(request)
    person = scope.person(person_id, queryset=scope.governed_people().select_related("register"))
    if not scope.may("hold_record", person):
        raise PermissionDenied
    return person


def _retention_section(person) -> str:
    return reverse("rights:person", kwargs={"person_id": person.pk}) + "#retention"


@require_http_methods(["GET", "POST"])
def set_legal_hold(request: HttpRequest, person_id) -> HttpResponse:
    """Put a record under legal hold: retention and erasure leave it alone until the hold is lifted."""
    person = _person_to_hold(request, person_id)
    return form_page(
        request,
        form=LegalHoldForm(request.POST or None),
        person=person,
        title="Put this record under legal hold",
        save=lambda data: services.set_legal_hold(person=person, by=request.user, **data),
        success=_retention_section(person),
        success_message="Legal hold set",
        submit="Put under legal hold",
        template="governance/legal_hold.jinja",
        extra={"hold": person.legal_holds.in_force().first()},
    )


@require_http_methods(["GET", "POST"])
def lift_legal_hold(request: HttpRequest, person_id) -> HttpResponse:
    """Lift the legal hold in force on a record, saying why."""
    person = _person_to_hold(request, person_id)
    hold = person.legal_holds.in_force().select_related("set_by").first()
    if hold is None:
        messages.info(request, "There is no legal hold on this record to lift")
        return redirect(_retention_section(person))
    return form_page(
        request,
        form=LiftLegalHoldForm(request.POST or None),
        person=person,
        title="Lift the legal hold",
        save=lambda data: services.lift_legal_hold(hold=hold, reason=data["lift_reason"], by=request.user),
        success=_retention_section(person),
        success_message="Legal hold lifted",
        submit="Lift the hold",
        template="governance/legal_hold.jinja",
        extra={"hold": hold, "lifting": True},
    )
