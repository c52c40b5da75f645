"""Logs are JSON lines that say what happened without saying about whom."""

import json
import logging

import pytest
from django.test import Client

from dsr.operations.logs import JsonFormatter
from tests.factories import make_person


@pytest.fixture
def log_lines():
    """Every line the app logs during the test, formatted as production formats it."""
    stream_lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            stream_lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream_lines
    finally:
        root.removeHandler(handler)


def parsed(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines]


def test_each_request_ends_with_one_line_saying_who_what_and_how_long(log_lines, coordinator_client, person):
    response = coordinator_client.get(f"/people/{person.pk}/")
    (line,) = [entry for entry in parsed(log_lines) if entry["message"] == "request"]
    assert line["route"] == "people:detail"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["user_id"] == person.ratings.first().rated_by_id
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


def test_a_search_for_someone_leaves_no_name_or_nhs_number_in_the_logs(
    log_lines, coordinator_client, coordinator, register
):
    someone = make_person(register=register, by=coordinator, given_name="Morwenna", family_name="Trevithick")
    coordinator_client.get("/people/", {"q": "Morwenna Trevithick"})
    coordinator_client.get("/people/", {"q": someone.nhs_number})
    coordinator_client.get("/people/Morwenna-Trevithick/")  # a mistyped address: not found
    text = "\n".join(log_lines)
    assert "Morwenna" not in text
    assert "Trevithick" not in text
    assert someone.nhs_number not in text
    assert [entry["status"] for entry in parsed(log_lines) if entry["message"] == "request"] == [
        200,
        200,
        404,
    ]


@pytest.mark.urls("tests.production.failing_urls")
def test_an_error_is_logged_with_its_type_and_where_it_happened_but_not_its_message(log_lines, db):
    Client(raise_request_exception=False).get("/fails/")
    (error,) = [entry for entry in parsed(log_lines) if entry["level"] == "ERROR"]
    assert error["exception"]["types"] == ["builtins.RuntimeError"]
    assert any("failing_urls.py" in frame for frame in error["exception"]["frames"])
    assert "Something the code did not expect" not in "\n".join(log_lines)
    assert "/fails/" not in "\n".join(log_lines)
    assert error["request_id"]


def test_a_request_id_from_the_proxy_is_kept_only_when_the_proxy_is_trusted(settings, db, client):
    sent = {"HTTP_X_REQUEST_ID": "lb-4f2a9c81d7e3"}
    assert client.get("/sign-in/", **sent)["X-Request-ID"] != "lb-4f2a9c81d7e3"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/sign-in/", **sent)["X-Request-ID"] == "lb-4f2a9c81d7e3"
    assert client.get("/sign-in/", HTTP_X_REQUEST_ID="Jamie Rivers")["X-Request-ID"] != "Jamie Rivers"


def test_a_library_message_is_logged_without_the_values_it_was_given(log_lines):
    logging.getLogger("django.request").error("Not Found: %s", "/people/?q=Jamie")
    logging.getLogger("dsr.notifications").warning("Notification %s failed", "6b1f")
    lines = parsed(log_lines)
    assert lines[0]["message"] == "Not Found: %s"
    assert lines[1]["message"] == "Notification 6b1f failed"
