"""Turn Django form fields into the parameters of NHS.UK design-system macros.

Templates call the macros from nhsuk-frontend-jinja; these functions only translate a
bound field (label, hint, errors, value) into the dictionary the macro expects.
"""

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from markupsafe import Markup


def _error(bound: BoundField) -> dict[str, str] | None:
    if bound.errors:
        return {"text": " ".join(str(e) for e in bound.errors)}
    return None


def _hint(bound: BoundField) -> dict[str, str] | None:
    return {"text": str(bound.help_text)} if bound.help_text else None


def field_params(bound: BoundField, **extra: Any) -> dict[str, Any]:
    """Parameters for input, textarea and character-count macros."""
    value = bound.value()
    params: dict[str, Any] = {
        "id": bound.id_for_label,
        "name": bound.html_name,
        "label": {"text": str(bound.label)},
        "hint": _hint(bound),
        "errorMessage": _error(bound),
        "value": "" if value is None else str(value),
    }
    max_length = getattr(bound.field, "max_length", None)
    attributes = dict(extra.pop("attributes", {}))
    if max_length and not isinstance(bound.field.widget, forms.Textarea):
        attributes.setdefault("maxlength", str(max_length))
    if attributes:
        params["attributes"] = attributes
    params.update(extra)
    return params


def choice_params(bound: BoundField, **extra: Any) -> dict[str, Any]:
    """Parameters for radios, checkboxes and select macros."""
    value = bound.value()
    selected = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    items = [
        {
            "value": str(choice_value),
            "text": str(choice_label),
            "checked": str(choice_value) in selected,
            "selected": str(choice_value) in selected,
        }
        for choice_value, choice_label in bound.field.choices
        if not (choice_value == "" and not isinstance(bound.field.widget, forms.Select))
    ]
    params: dict[str, Any] = {
        "idPrefix": bound.html_name,
        "name": bound.html_name,
        "fieldset": {"legend": {"text": str(bound.label), "size": "s"}},
        "label": {"text": str(bound.label)},
        "hint": _hint(bound),
        "errorMessage": _error(bound),
        "items": items,
    }
    if isinstance(bound.field.widget, forms.Select):
        # Radios and checkboxes give their first input the id `idPrefix`; an id on their
        # container too would take it, and the first option's label would point at the container.
        params["id"] = bound.id_for_label or bound.html_name
    params.update(extra)
    return params


# How many components' HTML each worker keeps (see `remembered`): a few kilobytes to a few tens each.
REMEMBERED = 200
_remembered: OrderedDict[tuple, Markup] = OrderedDict()
_remembering = threading.Lock()


def remembered(component: Callable[[dict[str, Any]], Markup], params: dict[str, Any]) -> Markup:
    """The HTML a design-system macro makes of these parameters, made once by each worker and kept for the
    next page that asks for the same (the register list's keyworker filter offers hundreds of names, and
    the select macro lays out each option again on every page). A component's HTML depends on its
    parameters alone; the most recently used REMEMBERED are kept. Only for parameters that name no one on a
    register (`KeptSelect`): nothing about a person stays in a worker after the page that showed it."""
    key = (getattr(component, "name", repr(component)), _frozen(params))
    with _remembering:
        html = _remembered.get(key)
        if html is not None:
            _remembered.move_to_end(key)
            return html
    html = component(params)
    with _remembering:
        _remembered[key] = html
        while len(_remembered) > REMEMBERED:
            _remembered.popitem(last=False)
    return html


def _frozen(value: Any) -> Any:
    """The parameters as a key: text that is already HTML (which the macro does not escape) kept apart
    from plain text that reads the same, and anything else by its type and what it prints as."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:  # most of them: asked first
        return (kind, value)
    if isinstance(value, dict):
        return (dict, tuple(sorted((str(name), _frozen(member)) for name, member in value.items())))
    if isinstance(value, list | tuple):
        return (list, tuple(_frozen(member) for member in value))
    if hasattr(value, "__html__"):
        return ("html", str(value.__html__()))
    return (kind, str(value))


def date_params(bound: BoundField, **extra: Any) -> dict[str, Any]:
    """Parameters for the date-input macro (day, month and year boxes)."""
    value = bound.value()
    if isinstance(value, datetime.date):
        parts = (str(value.day), str(value.month), str(value.year))
    elif isinstance(value, list | tuple):
        parts = tuple(value)
    else:
        parts = ("", "", "")
    error = _error(bound)
    params: dict[str, Any] = {
        "id": bound.html_name,
        "namePrefix": bound.html_name,
        "fieldset": {"legend": {"text": str(bound.label), "size": "s"}},
        "hint": _hint(bound) or {"text": "For example, 15 3 2010"},
        "errorMessage": error,
        "items": [
            {
                "name": "day",
                "classes": "nhsuk-input--width-2" + (" nhsuk-input--error" if error else ""),
                "value": parts[0],
            },
            {
                "name": "month",
                "classes": "nhsuk-input--width-2" + (" nhsuk-input--error" if error else ""),
                "value": parts[1],
            },
            {
                "name": "year",
                "classes": "nhsuk-input--width-4" + (" nhsuk-input--error" if error else ""),
                "value": parts[2],
            },
        ],
    }
    params.update(extra)
    return params


def error_summary_params(*forms_: forms.BaseForm) -> dict[str, Any] | None:
    """Parameters for the error summary at the top of a page, linked to each field."""
    errors = []
    for form in forms_:
        if form is None or not form.errors:
            continue
        for name, messages in form.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                errors.extend({"text": str(m)} for m in messages)
                continue
            bound = form[name]
            anchor = bound.html_name
            if isinstance(bound.field, DateField):
                anchor = f"{bound.html_name}-day"
            elif isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxInput):
                # Radios and checkboxes give their first input the id `idPrefix` (the field's name).
                anchor = bound.html_name
            else:
                anchor = bound.id_for_label
            errors.extend({"text": str(m), "href": f"#{anchor}"} for m in messages)
    if not errors:
        return None
    return {"titleText": "There is a problem", "errorList": errors}


class KeptSelect(forms.Select):
    """A select whose options name no one on a register (staff, organisations, fixed choices), so each worker
    may keep its HTML for the next page that offers the same (`remembered`): the register list's keyworker
    filter offers hundreds of names. A select that can name a person, or a person's admissions, say, is a
    plain `forms.Select`, made afresh for each page."""


class DateWidget(forms.Widget):
    """Three boxes, day, month and year.

    The design system's date-input macro names them `<name>[day]` and so on (that is what a
    browser posts); `<name>-day` is accepted too.
    """

    PARTS = ("day", "month", "year")

    @staticmethod
    def _part(data, name: str, part: str) -> str:
        value = data.get(f"{name}[{part}]")
        if value is None:
            value = data.get(f"{name}-{part}")
        return (value or "").strip()

    def value_from_datadict(self, data, files, name):
        parts = tuple(self._part(data, name, part) for part in self.PARTS)
        return None if not any(parts) else parts

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}[{part}]" in data or f"{name}-{part}" in data for part in self.PARTS)


class DateField(forms.Field):
    """A date typed as day, month and year, with the design system's error messages."""

    widget = DateWidget

    def __init__(self, *, subject: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.subject = subject

    def _subject(self) -> str:
        return self.subject or str(self.label or "The date")

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        day, month, year = value
        subject = self._subject()
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{subject} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{subject} must be a real date, using numbers")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as error:
            raise forms.ValidationError(f"{subject} must be a real date") from error

    def validate(self, value: Any) -> None:
        if value in self.empty_values and self.required:
            raise forms.ValidationError(f"Enter {self._subject().lower()}")
