"""Pages for meetings: the list, creating one, its agenda and attendance, running it item by item, and its
minutes on screen and as a PDF.

Longer than 400 lines because a meeting's pages follow one another through its life (planned, run, minuted)
and share how a meeting is found and checked (`_meeting`); the escalation pages are here too because the
panel decides them in a meeting.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dsr import audit
from dsr.access import Scope, one_of, scope_for
from dsr.actions.forms import ActionForm
from dsr.dates import format_date, today
from dsr.form_pages import form_page
from dsr.meetings import agenda, minutes, selectors, services
from dsr.meetings.forms import (
    AddItemForm,
    ArrangeReviewForm,
    CancelForm,
    CloseEscalationForm,
    EscalateForm,
    FindToAddForm,
    GuestForm,
    MeetingDetailsForm,
    MeetingForm,
    NotesForm,
)
from dsr.meetings.models import AgendaItem, Meeting
from dsr.people.forms import ChangeRatingForm
from dsr.plurals import counted
from dsr.ratings import cadence
from dsr.submissions import once

# Items on a page of the agenda: a register's agenda can run to thousands of items.
AGENDA_PAGE_SIZE = 50
# Items the running page lists beside the one being discussed, and how many of them come before it.
AROUND_ITEM, BEFORE_ITEM = 25, 5
# Items not yet discussed that the finishing page names one by one.
UNDISCUSSED_NAMED = 50
# People a search for someone to add to the agenda offers: more, and the search asks for more of the name.
FOUND_TO_ADD = 10


def _posted(request: HttpRequest):
    """The data sent, even when empty (an empty form sent is checked, not shown as if new)."""
    return request.POST if request.method == "POST" else None


def _meeting(request: HttpRequest, meeting_id, *, run: bool = False) -> tuple[Scope, Meeting]:
    """The meeting, if the user may see it (404 otherwise); `run` also needs a coordinator."""
    scope = scope_for(request)
    meeting = selectors.meeting_for(scope, meeting_id)
    if run and not scope.may("run_meeting", register=meeting.register):
        raise PermissionDenied("Only a coordinator of the register runs its meetings")
    return scope, meeting


def meeting_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.registers_for("see_meetings"):
        raise PermissionDenied
    meetings = list(selectors.meetings_for(scope)[:50])
    return render(
        request,
        "meetings/list.jinja",
        {
            "meetings": meetings,
            "may_create": bool(scope.current and scope.may("run_meeting", register=scope.current)),
            "show_register": scope.current is None,
        },
    )


@require_http_methods(["GET", "POST"])
def new_meeting(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    registers = scope.registers_for("run_meeting")
    if not registers:
        raise PermissionDenied("Only a coordinator of a register creates its meetings")
    on = today()
    kind = Meeting.Kind.REGISTER
    proposed = agenda.next_date(kind, selectors.last_held_on(registers[0], kind), registers[0], on)
    form = MeetingForm(_posted(request), initial={"held_on": proposed}, registers=registers)
    if request.method == "POST" and form.is_valid():
        details = dict(form.cleaned_data)
        register = details.pop("register", registers[0])
        try:
            with transaction.atomic():
                meeting = once.save_once(
                    request,
                    lambda: services.create_meeting(
                        scope=scope, register=register, by=request.user, **details
                    ),
                    lambda meeting: reverse("meetings:agenda", kwargs={"meeting_id": meeting.pk}),
                )
        except once.AlreadySent as sent:
            messages.info(request, once.ALREADY_SENT)
            return redirect(sent.url)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Meeting created with {meeting.items.count()} items on its agenda")
            return redirect("meetings:agenda", meeting_id=meeting.pk)
    return render(
        request,
        "meetings/new.jinja",
        {"form": form, "register": registers[0] if len(registers) == 1 else None},
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the page: each problem against its field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


@require_http_methods(["GET", "POST"])
def meeting_details(request: HttpRequest, meeting_id) -> HttpResponse:
    _, meeting = _meeting(request, meeting_id, run=True)
    if meeting.is_finished or meeting.is_cancelled:
        raise PermissionDenied("The meeting has finished or was cancelled: its details can't change")
    fields = ["held_on", "starts_at", "location", "chair"]
    initial = {name: getattr(meeting, name) for name in fields}
    form = MeetingDetailsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_details(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Meeting details saved")
            return redirect("meetings:agenda", meeting_id=meeting.pk)
    return render(request, "meetings/details.jinja", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def meeting_agenda(request: HttpRequest, meeting_id) -> HttpResponse:
    """The agenda a page at a time, under its headings, with how many items each heading has."""
    scope, meeting = _meeting(request, meeting_id)
    may_run = scope.may("run_meeting", register=meeting.register)
    open_to_change = may_run and not meeting.is_finished and not meeting.is_cancelled
    adding = request.POST.get("do") == "add"
    find_form = FindToAddForm(request.POST if adding else request.GET if "add-find" in request.GET else None)
    searched = find_form.searched() if open_to_change else ""
    # One more than is shown, to tell the coordinator when the search should say more.
    found = (
        list(selectors.candidates_matching(scope, meeting, searched)[: FOUND_TO_ADD + 1]) if searched else []
    )
    found_more = len(found) > FOUND_TO_ADD
    found = found[:FOUND_TO_ADD]
    add_form = AddItemForm(
        request.POST if adding else None, people=selectors.candidates(scope, meeting), found=found
    )
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied("Only a coordinator of the register changes its agenda")
        changed = _change_agenda(request, scope, meeting, add_form)
        if changed:
            return redirect(changed)
    # Whether the user may open each item's person's record, with the items: one query for the page
    # whatever it holds, people, referrals or both.
    openable = Exists(scope.people().filter(pk=OuterRef("person_id")))
    agenda = selectors.agenda_of(meeting).annotate(openable=openable)
    page = Paginator(agenda, AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    may_open = {item.person_id for item in items if item.person_id and item.openable}
    people = [item.person for item in items if item.person_id in may_open]
    audit.record_list(
        by=request.user,
        shown=people + found,
        what="meeting_agenda",
        detail={
            "meeting": str(meeting.pk),
            "page": page.number,
            **({"search": searched} if searched else {}),
        },
        register_id=meeting.register_id,
        referrals=[item.referral for item in items if item.referral_id],
    )
    headings = selectors.headings(meeting)
    context = {
        "meeting": meeting,
        "page": page,
        "sections": _sections(items, headings),
        "headings": [(heading, _page_of(heading.first)) for heading in headings],
        "item_count": page.paginator.count,
        "may_open": may_open,
        "attendees": selectors.attendees(meeting),
        "may_run": open_to_change,
        "has_begun": meeting.has_begun(),
        "may_cancel": open_to_change and not selectors.has_notes(meeting),
        "starts": services.starts_in_words(meeting),
        "find_form": find_form,
        "searched": searched,
        "add_form": add_form,
        "found_more": found_more,
        "found_to_add": FOUND_TO_ADD,
    }
    return render(request, "meetings/agenda.jinja", context)


def _page_of(position: int) -> int:
    """The page of the agenda an item is on (positions run 1, 2, 3…: the services keep them so)."""
    return (position - 1) // AGENDA_PAGE_SIZE + 1


def _agenda_url(meeting: Meeting, page: int | str | None = None, anchor: str = "agenda") -> str:
    """A page of the agenda (the first, when `page` is not a page number), at an item or at its top."""
    url = reverse("meetings:agenda", kwargs={"meeting_id": meeting.pk})
    if str(page).isdigit() and int(str(page)) > 1:
        url += f"?page={int(str(page))}"
    return f"{url}#{anchor}"


def _added_message(added: list[AgendaItem]) -> str:
    if not added:
        return "The agenda is up to date: nobody else needs discussing"
    names = ", ".join(i.person.full_name if i.person else f"referral {i.referral.reference}" for i in added)
    return f"{len(added)} added to the end of the agenda: {names}"


def _change_agenda(request: HttpRequest, scope: Scope, meeting: Meeting, add_form: AddItemForm) -> str | None:
    """Move, remove or add an item. Where to go next, the page of the agenda where the change shows, or None
    (with the error on the page) when the person to add was refused."""
    do = request.POST.get("do")
    page: int | str | None = request.GET.get("page")  # the page the button was on
    anchor = "agenda"
    try:
        with transaction.atomic():
            if do == "add":
                if not add_form.is_valid():
                    return None
                added = services.add_item(
                    meeting=meeting, person=add_form.cleaned_data["person"], by=request.user
                )
                messages.success(request, f"{add_form.cleaned_data['person'].full_name} added to the agenda")
                page, anchor = _page_of(added.position), f"item-{added.position}"
            elif do == "update":
                brought = services.bring_agenda_up_to_date(scope=scope, meeting=meeting, by=request.user)
                messages.success(request, _added_message(brought))
                if brought:
                    page, anchor = _page_of(brought[0].position), f"item-{brought[0].position}"
            elif do in ("up", "down", "remove"):
                item = selectors.item_of(meeting, request.POST.get("item"))
                if do == "remove":
                    services.remove_item(item=item, by=request.user)
                    messages.success(request, "Item removed from the agenda")
                else:
                    services.move_item(item=item, direction=do, by=request.user)
                    item.refresh_from_db(fields=["position"])
                    page, anchor = _page_of(item.position), f"item-{item.position}"
            else:
                messages.error(request, "Choose what to do to the agenda")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _agenda_url(meeting, page, anchor)


def _sections(
    items: list[AgendaItem], headings: list[selectors.Heading]
) -> list[tuple[str, list[AgendaItem]]]:
    """The items under their headings, keeping the agenda's order (a heading may recur after a move). A
    heading whose items began on an earlier page says it continues."""
    first = {heading.category: heading.first for heading in headings}
    sections: list[tuple[str, list[AgendaItem]]] = []
    for item in items:
        label = item.get_category_display()
        if sections and sections[-1][1][-1].category == item.category:
            sections[-1][1].append(item)
        elif not sections and item.position > first.get(item.category, item.position):
            sections.append((f"{label} (continued)", [item]))
        else:
            sections.append((label, [item]))
    return sections


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, meeting_id) -> HttpResponse:
    scope, meeting = _meeting(request, meeting_id, run=True)
    guest = GuestForm(_posted(request))
    if request.method == "POST" and guest.is_valid():
        try:
            services.record_attendance(
                meeting=meeting,
                present=set(request.POST.getlist("present")),
                by=request.user,
                **guest.cleaned_data,
            )
        except ValidationError as error:
            guest.add_error(None, error)
        else:
            messages.success(request, "Attendance saved")
            return redirect("meetings:agenda", meeting_id=meeting.pk)
    return render(
        request,
        "meetings/attendance.jinja",
        {"meeting": meeting, "attendees": selectors.attendees(meeting), "guest": guest},
    )


def run(request: HttpRequest, meeting_id) -> HttpResponse:
    """Start (or carry on) the meeting at its first item not yet discussed, from its start time."""
    scope, meeting = _meeting(request, meeting_id, run=True)
    refused = _refuse_to_run(request, meeting)
    if refused:
        return refused
    first = selectors.first_to_discuss(meeting)
    if first is None:
        messages.error(request, "The agenda is empty: add someone to it first")
        return redirect("meetings:agenda", meeting_id=meeting.pk)
    return redirect("meetings:item", meeting_id=meeting.pk, item_id=first.pk)


def _refuse_to_run(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """Back to the agenda, saying why, when the meeting cannot be run now (not started yet, or cancelled); a
    finished meeting's items can still be read."""
    if meeting.is_finished:
        return None
    try:
        services.refuse_unless_running(meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:agenda", meeting_id=meeting.pk)
    return None


def _item_forms(request: HttpRequest, item: AgendaItem) -> dict[str, forms.Form]:
    """Every part of the running page's one form: the notes, bound whenever the page is sent (they go with
    every button), and each decision, bound when its button was pressed."""
    posted = _pressed(request)
    register = item.meeting.register

    def data(name: str):
        return request.POST if posted == name else None

    on = today()
    rating = item.person.current_rating if item.person else ""
    proposed = cadence.next_review_due(register=register, rating=rating or "amber", rated_on=on)
    return {
        "notes": NotesForm(
            request.POST if posted else None,
            initial={"discussion": item.discussion, "decisions": item.decisions},
        ),
        "rating": ChangeRatingForm(
            data("rating"),
            register=register,
            prefix="rating",
            initial={"rating": rating, "next_review_due": proposed},
        ),
        "action": ActionForm(data("action"), register=register, prefix="action"),
        "review": ArrangeReviewForm(data("review")),
        "escalate": EscalateForm(data("escalate")),
        "close": CloseEscalationForm(data("close")),
    }


def _savers(item: AgendaItem, by, person) -> dict[str, Callable[[dict[str, Any]], str]]:
    """What each form of the running page does, and what it says when done."""

    def notes(data: dict[str, Any]) -> str:
        return "Notes saved"

    def rating(data: dict[str, Any]) -> str:
        entry = services.rate(
            item=item,
            by=by,
            rating=data["rating"],
            rationale=data["rationale"],
            factors=data["risk_factors"],
            next_review_due=data["next_review_due"],
        )
        return f"Rating saved: {entry.get_rating_display()}"

    def action(data: dict[str, Any]) -> str:
        services.add_action(item=item, by=by, **data)
        return "Action added"

    def review(data: dict[str, Any]) -> str:
        planned = services.arrange_review(item=item, review_on=data["review_on"], by=by)
        return f"{planned.short_kind} planned"

    def escalate(data: dict[str, Any]) -> str:
        if person is None:
            raise ValidationError("Only someone on the register can be escalated")
        services.escalate(person=person, reason=data["reason"], by=by, meeting=item.meeting)
        return "Escalated to the oversight panel"

    def close(data: dict[str, Any]) -> str:
        escalation = getattr(person, "open_escalation", None)
        if escalation is None:
            raise ValidationError("There is no open escalation to close")
        services.close_escalation(escalation=escalation, outcome=data["outcome"], by=by, meeting=item.meeting)
        return "Escalation closed"

    return {
        "notes": notes,
        "rating": rating,
        "action": action,
        "review": review,
        "escalate": escalate,
        "close": close,
    }


# The buttons of the running page's form (name "save"): "next" saves the notes and goes to the next item.
BUTTONS = ("notes", "next", "rating", "action", "review", "escalate", "close")


def _pressed(request: HttpRequest) -> str | None:
    """Which part of the running page's form its button sent: "notes" for both notes buttons."""
    if request.method != "POST":
        return None
    pressed = request.POST.get("save")
    if pressed not in BUTTONS:
        return "unknown"
    return "notes" if pressed == "next" else pressed


@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, meeting_id, item_id) -> HttpResponse:
    """The running page: one agenda item, what the register says about the person now, the notes and the
    decisions. One form: whichever button is pressed, the notes typed are saved with it (in the same
    transaction), so nothing typed is lost without JavaScript. With htmx only the item panel is swapped.
    Open from the meeting's start time."""
    scope, meeting = _meeting(request, meeting_id, run=True)
    refused = _refuse_to_run(request, meeting)
    if refused:
        return refused
    current = selectors.item_of(meeting, item_id)
    on = today()
    person = selectors.person_on_item(scope, current, on)
    item_forms = _item_forms(request, current)
    posted = _pressed(request)
    if posted:
        notes, form = item_forms["notes"], item_forms.get(posted)
        if form is None:
            messages.error(request, "Choose what to record")
        elif all([notes.is_valid(), form.is_valid()]):
            target = current
            if request.POST.get("save") == "next":
                target = _next_item(meeting, current) or current
            url = reverse("meetings:item", kwargs={"meeting_id": meeting.pk, "item_id": target.pk})
            save = _savers(current, request.user, person)[posted]

            def save_with_notes() -> str:
                # Notes not sent at all (a form without them) are left as they are, not emptied.
                sent = {
                    name: notes.cleaned_data[name]
                    for name in notes.fields
                    if notes[name].html_name in request.POST
                }
                services.save_notes(
                    item=current,
                    discussion=sent.get("discussion", current.discussion),
                    decisions=sent.get("decisions", current.decisions),
                    discussed=True,
                    by=request.user,
                )
                return save(form.cleaned_data)

            try:
                with transaction.atomic():
                    # A double click on "Save the rating" or "Add the action" must not decide it twice.
                    said = once.save_once(request, save_with_notes, lambda _: url)
            except once.AlreadySent as sent:
                messages.info(request, once.ALREADY_SENT)
                return redirect(sent.url)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, said)
                if not request.htmx:
                    return redirect(url)
                response = item(_as_get(request), meeting_id, target.pk)
                response["HX-Push-Url"] = url
                return response
    if person is not None:
        audit.record_page_read(request, person)
        audit.record_read(by=request.user, record=current, what="meeting_item")
    elif current.referral is not None:
        audit.record_read(by=request.user, record=current.referral, what="meeting_item")
    around = selectors.items_around(meeting, current, size=AROUND_ITEM, before=BEFORE_ITEM)
    here = next(i for i, other in enumerate(around) if other.pk == current.pk)
    context = {
        "meeting": meeting,
        "item": current,
        "person": person,
        "items": around,
        "item_count": meeting.items.count(),
        "agenda_url": _agenda_url(meeting, _page_of(current.position), f"item-{current.position}"),
        "forms": item_forms,
        "open_form": posted or "",
        "decided": selectors.decided_at(meeting, current.person_id).get(str(current.person_id), {})
        if current.person_id
        else {},
        "previous": around[here - 1] if here > 0 else None,
        "next": around[here + 1] if here + 1 < len(around) else None,
        "partial": bool(request.htmx),
        "finished": meeting.is_finished,
        "may_decide": person is not None and scope.may("run_meeting", person),
    }
    template = "meetings/_item_panel.jinja" if request.htmx else "meetings/item.jinja"
    return render(request, template, context)


def _as_get(request: HttpRequest) -> HttpRequest:
    """The same request as a GET, to show the next item after a save (htmx swaps it in)."""
    request.method = "GET"
    request.POST = request.POST.__class__()
    return request


def _next_item(meeting: Meeting, current: AgendaItem) -> AgendaItem | None:
    return meeting.items.filter(position__gt=current.position).order_by("position").first()


@require_POST
def autosave(request: HttpRequest, meeting_id, item_id) -> HttpResponse:
    """Keep the notes as they are typed. Answers with a short status for the page to show."""
    scope, meeting = _meeting(request, meeting_id, run=True)
    current = selectors.item_of(meeting, item_id)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return HttpResponse(" ".join(e for errors in form.errors.values() for e in errors), status=422)
    try:
        services.save_notes(
            item=current,
            discussion=form.cleaned_data["discussion"],
            decisions=form.cleaned_data["decisions"],
            by=request.user,
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=409)
    return HttpResponse(f"Saved at {timezone.localtime():%H:%M:%S}")


@require_http_methods(["GET", "POST"])
def finish(request: HttpRequest, meeting_id) -> HttpResponse:
    """Asks before finishing: says how many items have not been discussed and names the first of them, each
    linked, and finishes the meeting only when the coordinator confirms."""
    scope, meeting = _meeting(request, meeting_id, run=True)
    refused = _refuse_to_run(request, meeting)
    if refused:
        return refused
    if meeting.is_finished:
        messages.info(request, "The meeting has already finished")
        return redirect("meetings:minutes", meeting_id=meeting.pk)
    if request.method == "POST":
        try:
            services.finish(meeting=meeting, by=request.user, confirmed=request.POST.get("confirm") == "yes")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("meetings:finish", meeting_id=meeting.pk)
        messages.success(request, "Meeting finished: its minutes are ready")
        return redirect("meetings:minutes", meeting_id=meeting.pk)
    named = list(selectors.undiscussed(meeting)[:UNDISCUSSED_NAMED])
    may_open = selectors.openable(scope, [i.person_id for i in named if i.person_id])
    audit.record_list(
        by=request.user,
        shown=[i.person for i in named if i.person_id in may_open],
        what="meeting_agenda",
        detail={"meeting": str(meeting.pk), "undiscussed": True},
    )
    item_count, undiscussed_count = selectors.progress(meeting)
    context = {
        "meeting": meeting,
        "undiscussed": named,
        "undiscussed_count": undiscussed_count,
        "item_count": item_count,
        "may_open": may_open,
    }
    return render(request, "meetings/finish.jinja", context)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, meeting_id) -> HttpResponse:
    """Cancel a meeting not yet held, with the reason: it stays in the list, marked cancelled."""
    scope, meeting = _meeting(request, meeting_id, run=True)
    if meeting.is_finished or meeting.is_cancelled:
        messages.error(request, "The meeting has finished or was already cancelled")
        return redirect("meetings:agenda", meeting_id=meeting.pk)
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(meeting=meeting, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Meeting cancelled")
            return redirect("meetings:agenda", meeting_id=meeting.pk)
    return render(request, "meetings/cancel.jinja", {"meeting": meeting, "form": form})


def minutes_page(request: HttpRequest, meeting_id) -> HttpResponse:
    scope, meeting = _meeting(request, meeting_id)
    content = minutes.gather(scope, meeting)
    audit.record_list(
        by=request.user, shown=content.people, what="meeting_minutes", detail={"meeting": str(meeting.pk)}
    )
    return render(
        request,
        "meetings/minutes.jinja",
        {
            "minutes": content,
            "meeting": meeting,
            "may_run": scope.may("run_meeting", register=meeting.register),
        },
    )


def minutes_pdf(request: HttpRequest, meeting_id) -> HttpResponse:
    scope, meeting = _meeting(request, meeting_id)
    content = minutes.gather(scope, meeting)
    pdf = minutes.as_pdf(content)
    audit.record_list(
        by=request.user, shown=content.people, what="meeting_minutes_pdf", detail={"meeting": str(meeting.pk)}
    )
    audit.record_export(
        by=request.user,
        register_ids=[meeting.register_id],
        what="meeting_minutes",
        detail={"meeting": str(meeting.pk), "people": [str(p.pk) for p in content.people]},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.held_on:%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _overdue_action_reason(request: HttpRequest, person) -> str:
    """A reason to start from when escalating because of one of the person's overdue actions (?action=)."""

    action_id = request.GET.get("action")
    if not action_id:
        return ""
    action = one_of(person.actions, action_id)
    days = action.days_overdue(today())
    if not days:
        return ""
    organisation = f", {action.organisation.name}" if action.organisation else ""
    return (
        f"Action overdue by {counted(days, 'day')}: {action.description} "
        f"(responsible: {action.owner_name}{organisation}; due {format_date(action.due_on)})"
    )[:4000]


@require_http_methods(["GET", "POST"])
def escalate_person(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="escalate")
    form = EscalateForm(_posted(request), initial={"reason": _overdue_action_reason(request, person)})
    return form_page(
        request,
        form=form,
        person=person,
        title="Escalate to the oversight panel",
        save=lambda data: services.escalate(person=person, reason=data["reason"], by=request.user),
        success=reverse("people:detail", kwargs={"person_id": person.pk}) + "#escalations",
        success_message="Escalated to the oversight panel",
        submit="Escalate",
    )


@require_http_methods(["GET", "POST"])
def close_escalation(request: HttpRequest, person_id, escalation_id) -> HttpResponse:

    person = scope_for(request).person_to_change(person_id, action="run_meeting")
    escalation = one_of(person.escalations, escalation_id)
    form = CloseEscalationForm(_posted(request))
    return form_page(
        request,
        form=form,
        person=person,
        title="Record the oversight panel's decision",
        save=lambda data: services.close_escalation(
            escalation=escalation, outcome=data["outcome"], by=request.user
        ),
        success=reverse("people:detail", kwargs={"person_id": person.pk}) + "#escalations",
        success_message="Escalation closed",
        submit="Close the escalation",
        extra={"warning": f"Escalated on {escalation.escalated_on:%-d %B %Y}: {escalation.reason}"},
    )
