"""The register list, as filtered and sorted, every page of it, as a CSV or an Excel (XLSX) file.

Every export is audited with the people in it. A spreadsheet program runs a cell that starts with = + - @
(or a tab or carriage return) as a formula, so such a cell is written with a quote in front in the CSV
(OWASP, "CSV Injection"), and always as text in the XLSX.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from dsr import audit
from dsr.access import scope_for
from dsr.dates import format_date, today
from dsr.people.models import Person
from dsr.reviews.selectors import describe_rows
from dsr.workspace import selectors
from dsr.workspace.filters import RegisterListFilter

HEADINGS = [
    "Last name",
    "First name",
    "NHS number",
    "Date of birth",
    "Age",
    "Rating",
    "What the rating requires",
    "Next review",
    "Days overdue",
    "Overdue actions",
    "Keyworker",
    "Register",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, with a quote in front so it shows as typed."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row_of(person: Any, on: datetime.date) -> list[Any]:
    """One person of the register list (selectors.with_row_details, with describe_rows) as a row of cells."""
    due = person.next_review_due
    overdue = (on - due).days if due is not None and due < on else 0
    return [
        person.family_name,
        person.given_name,
        person.nhs_number_formatted,
        format_date(person.date_of_birth),
        person.age,
        person.get_current_rating_display(),
        person.requirements_summary,
        format_date(person.next_review_due),
        overdue,
        person.overdue_actions,
        person.keyworker_name or "",
        person.register.name,
    ]


def _people(request: HttpRequest) -> list[Person]:
    """The register list the user sees, with the filters and sort of the page it was downloaded from."""
    scope = scope_for(request)
    if not scope.registers_for("see_register_list"):
        raise PermissionDenied
    filterset = RegisterListFilter(
        request.GET, queryset=selectors.working_list(scope), keyworkers=selectors.keyworkers_for(scope)
    )
    people = list(selectors.with_row_details(scope, filterset.qs))
    describe_rows(people, today())
    return people


def _audit(request: HttpRequest, people: list[Person], file_format: str) -> None:
    audit.record_list(
        by=request.user,
        shown=people,
        what="register_list_export",
        detail={"filters": dict(request.GET.items()), "format": file_format, "people": len(people)},
    )


def _filename(extension: str) -> str:
    return f"register-{today().isoformat()}.{extension}"


def csv_text(rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    writer.writerows([safe(value) for value in row] for row in rows)
    return out.getvalue()


def xlsx_bytes(rows: Iterable[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Register")
    sheet.append(HEADINGS)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def register_list_csv(request: HttpRequest) -> HttpResponse:
    people = _people(request)
    _audit(request, people, "csv")
    on = today()
    # A byte order mark, so that Excel reads the names as UTF-8.
    response = HttpResponse("\ufeff" + csv_text(row_of(p, on) for p in people), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def register_list_xlsx(request: HttpRequest) -> HttpResponse:
    people = _people(request)
    _audit(request, people, "xlsx")
    on = today()
    response = HttpResponse(xlsx_bytes(row_of(p, on) for p in people), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
