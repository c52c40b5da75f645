"""The one way a page shows a form and saves it through a service.

Every app's form pages call `form_page`: a valid POST calls `save` with the form's cleaned data inside
a transaction, the service may still refuse with a `ValidationError` (shown on the form, nothing
changed), and a form sent twice saves once (dsr.submissions.once).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dsr import audit
from dsr.submissions import once


def form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    success_message: str,
    person: Model | None = None,
    submit: str = "Save",
    template: str = "people/form.jinja",
    extra: dict[str, Any] | None = None,
    refusal_context: Callable[[ValidationError], dict[str, Any]] | None = None,
) -> HttpResponse:
    """Show `form`; on a valid POST save it and go to `success`: a URL, or a function of what `save`
    returned (the record it made, say).

    A refusal from the service is shown on the form; `refusal_context` may add to the page what the
    refusal points at (the record already on the register, say). Sent twice, the form saves once and
    the second post goes where the first one went. The person the form is about is noted as read."""
    context = {"form": form, "title": title, "person": person, "submit": submit, **(extra or {})}
    if request.method == "POST" and form.is_valid():
        next_url = success if callable(success) else lambda _saved: success
        try:
            with transaction.atomic():
                saved = once.save_once(request, lambda: save(form.cleaned_data), next_url)
        except once.AlreadySent as sent:
            messages.info(request, once.ALREADY_SENT)
            return redirect(sent.url)
        except ValidationError as error:
            form.add_error(None, error)
            if refusal_context is not None:
                context.update(refusal_context(error))
        else:
            messages.success(request, success_message)
            return redirect(next_url(saved))
    if person is not None:
        audit.record_page_read(request, person)
    return render(request, template, context)
