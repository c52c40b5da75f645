"""The register list downloads as a CSV or an Excel file: as filtered and sorted, every page, audited, and
with no cell a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dsr.audit.models import AuditEvent
from dsr.registers.models import Role
from tests.factories import make_person, member

CSV = reverse("people:export_csv")
XLSX = reverse("people:export_xlsx")


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def many(register, coordinator):
    """30 people, more than one page of the list: 10 red and 20 green."""
    red = [
        make_person(
            register=register, by=coordinator, given_name=f"Red{n:02d}", family_name="Rivers", rating="red"
        )
        for n in range(10)
    ]
    green = [
        make_person(
            register=register, by=coordinator, given_name=f"Green{n:02d}", family_name="Green", rating="green"
        )
        for n in range(20)
    ]
    return red + green


def test_the_csv_has_every_page_of_the_list_as_filtered_and_sorted(coordinator_client, many):
    everyone = csv_rows(coordinator_client.get(CSV, {"sort": "name"}))
    assert everyone[0][:3] == ["Last name", "First name", "NHS number"]
    assert len(everyone) == 1 + 30
    assert [r[0] for r in everyone[1:]] == ["Green"] * 20 + ["Rivers"] * 10
    red = csv_rows(coordinator_client.get(CSV, {"rating": "red", "sort": "name"}))
    assert {r[5] for r in red[1:]} == {"Red"} and len(red) == 11
    assert red[1][1] == "Red00"


def test_the_xlsx_has_the_same_rows(coordinator_client, many):
    response = coordinator_client.get(XLSX, {"rating": "red", "sort": "name"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="register-')
    rows = xlsx_rows(response)
    assert rows[0][0] == "Last name"
    assert [r[1] for r in rows[1:]] == [f"Red{n:02d}" for n in range(10)]


def test_a_cell_that_looks_like_a_formula_is_written_as_text(coordinator_client, register, coordinator):
    make_person(register=register, by=coordinator, given_name='=HYPERLINK("http://evil")', family_name="+1-2")
    row = csv_rows(coordinator_client.get(CSV))[1]
    assert row[0] == "'+1-2"
    assert row[1] == '\'=HYPERLINK("http://evil")'
    cells = load_workbook(io.BytesIO(coordinator_client.get(XLSX).content)).active[2]
    assert cells[1].data_type == "s"
    assert cells[1].value.endswith('HYPERLINK("http://evil")')


def test_every_export_is_audited_with_the_people_in_it(coordinator_client, coordinator, many):
    coordinator_client.get(CSV, {"rating": "red"})
    coordinator_client.get(XLSX)
    csv_event, xlsx_event = AuditEvent.objects.filter(record_type="register_list_export").order_by("at")
    assert csv_event.user_id == coordinator.pk
    assert csv_event.changes["format"] == "csv"
    assert csv_event.changes["filters"] == {"rating": "red"}
    assert set(csv_event.changes["shown"]) == {str(p.pk) for p in many[:10]}
    assert xlsx_event.changes["format"] == "xlsx" and len(xlsx_event.changes["shown"]) == 30


def test_a_keyworker_exports_only_the_people_they_may_list(client, register, many):
    client.force_login(member(register, Role.KEYWORKER))
    assert len(csv_rows(client.get(CSV))) == 1  # the headings only: no one is allocated to them


def test_the_list_page_links_to_the_downloads_with_its_filters(coordinator_client, many):
    html = coordinator_client.get(reverse("people:list"), {"rating": "red", "page": "1"}).content.decode()
    assert f'href="{CSV}?rating=red"' in html
    assert f'href="{XLSX}?rating=red"' in html
    assert "Download all 10 people" in html


def test_roles_that_may_not_see_the_list_may_not_export_it(client, register):
    client.force_login(member(register, Role.REFERRER))
    assert client.get(CSV).status_code == 403
    assert client.get(XLSX).status_code == 403


@pytest.mark.parametrize("size", [2, 12])
def test_an_export_runs_the_same_queries_whatever_its_size(
    client, register, coordinator, django_assert_num_queries, size
):
    for n in range(size):
        make_person(register=register, by=coordinator, given_name=f"E{n}")
    client.force_login(coordinator)
    # session, user, memberships, keyworker choices, the rows, the audit line, the savepoint and release.
    with django_assert_num_queries(8):
        assert client.get(CSV).status_code == 200
