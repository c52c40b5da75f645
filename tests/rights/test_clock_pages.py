"""Restarting a request's clock when identity is confirmed or the request clarified, and extending its
deadline, through the request pages."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.rights import services
from tests.pages import audit_changes, date_fields, error_summary, field_error
from tests.rights.populated import a_parent, text_of

D = datetime.date


def on(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC), tick=False
    )


@pytest.fixture
def subject_access(person, ig_officer):
    """Received on Monday 2 March 2026, without the requester's identity checked: due Thursday 2 April."""
    with on(D(2026, 3, 2)):
        return services.record_subject_access_request(
            person=person, requester=a_parent(received_on=D(2026, 3, 2)), by=ig_officer
        )


@pytest.fixture
def rectification(person, ig_officer):
    with on(D(2026, 3, 2)):
        return services.record_rectification_request(
            person=person,
            requester=a_parent(received_on=D(2026, 3, 2)),
            what_is_wrong="Old school",
            by=ig_officer,
        )


def page_of(request) -> str:
    kind = "subject_access" if request._meta.model_name == "subjectaccessrequest" else "rectification"
    return reverse(f"rights:{kind}", args=[request.person_id, request.pk])


def url_of(name: str, request) -> str:
    return reverse(f"rights:{name}", args=[request.person_id, request.pk])


def deadline_section(response) -> str:
    html = response.content.decode()
    return text_of(html[html.index(">Deadline</h2>") : html.index(">Who is asking</h2>")])


def test_the_request_page_shows_when_the_clock_started_and_the_deadline(ig_client, subject_access):
    with on(D(2026, 3, 5)):
        shown = deadline_section(ig_client.get(page_of(subject_access)))
    assert "Received 2 March 2026" in shown
    assert "Clock started 2 March 2026, the day it was received" in shown
    assert "Answer due by 2 April 2026 (28 days left)" in shown
    assert "You must tell the requester why by 2 April 2026" in shown


def test_confirming_identity_restarts_the_clock_and_moves_the_deadline(ig_client, subject_access):
    form = {
        "clock_start": "identity",
        **date_fields("clock_started_on", D(2026, 3, 9)),
        "clock_start_detail": "Passport seen at the office",
    }
    with on(D(2026, 3, 10)):
        response = ig_client.post(url_of("subject_access_clock", subject_access), form)
        assert response.status_code == 302
        assert response["Location"] == page_of(subject_access)
        page = ig_client.get(response["Location"])
    shown = deadline_section(page)
    assert (
        "Clock started 9 March 2026: the requester's identity was confirmed. Passport seen at the office"
        in shown
    )
    assert "Answer due by 9 April 2026 (30 days left)" in shown
    assert "Identity not checked" not in page.content.decode()
    change = AuditEvent.objects.filter(action="change", record_type="subjectaccessrequest").get()
    assert change.changes["clock_started_on"] == ["2026-03-02", "2026-03-09"]
    assert change.changes["due_on"] == ["2026-04-02", "2026-04-09"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"clock_start": ""},
            "clock_start",
            "Choose whether their identity was confirmed or they clarified their request",
        ),
        ({"clock_start_detail": ""}, "clock_start_detail", "Enter what was checked or asked"),
        (
            date_fields("clock_started_on", D(2026, 3, 1)),
            "clock_started_on",
            "The date must be on or after the day the request was received (2 March 2026)",
        ),
        (
            date_fields("clock_started_on", D(2026, 3, 11)),
            "clock_started_on",
            "The date must not be in the future",
        ),
    ],
)
def test_a_clock_restart_with_a_mistake_changes_nothing(ig_client, rectification, change, field, message):
    form = {
        "clock_start": "clarified",
        **date_fields("clock_started_on", D(2026, 3, 9)),
        "clock_start_detail": "Asked which school",
        **change,
    }
    before = audit_changes()
    with on(D(2026, 3, 10)):
        response = ig_client.post(url_of("rectification_clock", rectification), form)
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert message in [text for _, text in error_summary(response)]
    rectification.refresh_from_db()
    assert (rectification.clock_started_on, rectification.due_on) == (D(2026, 3, 2), D(2026, 4, 2))
    assert audit_changes() == before


def extension(**change) -> dict:
    return {
        "extended_by_months": "2",
        "extension_ground": "complex",
        "extension_reason": "Records held by three trusts need checking for other people's information",
        **date_fields("extension_told_on", D(2026, 3, 20)),
        **change,
    }


def test_an_extension_shows_the_first_and_the_extended_deadline(ig_client, subject_access):
    with on(D(2026, 3, 20)):
        response = ig_client.post(url_of("extend_subject_access", subject_access), extension())
        assert response.status_code == 302
        shown = deadline_section(ig_client.get(response["Location"]))
    assert "First deadline 2 April 2026" in shown
    assert (
        "Extended by 2 more months: the request is complex. Records held by three trusts need checking for "
        "other people's information" in shown
    )
    assert "Requester told of the extension 20 March 2026" in shown
    assert "Extended deadline 2 June 2026 (74 days left)" in shown
    subject_access.refresh_from_db()
    assert subject_access.due_on == D(2026, 6, 2)


def test_an_extension_told_after_the_first_month_is_refused_and_changes_nothing(ig_client, rectification):
    before = audit_changes()
    with on(D(2026, 4, 6)):
        response = ig_client.post(
            url_of("extend_rectification", rectification),
            extension(**date_fields("extension_told_on", D(2026, 4, 3))),
        )
        message = (
            "The requester must be told of an extension within the first month, by 2 April 2026: the "
            "deadline can no longer be extended"
        )
        assert error_summary(response) == [("#extension_told_on-day", message)]
        assert field_error(response, "extension_told_on") == message
        rectification.refresh_from_db()
        assert (rectification.extended_by_months, rectification.due_on) == (0, D(2026, 4, 2))
        assert audit_changes() == before
        page = text_of(ig_client.get(page_of(rectification)).content.decode())
    assert "The deadline can no longer be extended: the requester had to be told by 2 April 2026" in page
    assert "Extend the deadline" not in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"extended_by_months": "3"},
            "extended_by_months",
            "Choose an extension of 1 or 2 months",
        ),
        ({"extended_by_months": ""}, "extended_by_months", "Choose an extension of 1 or 2 months"),
        (
            {"extension_ground": ""},
            "extension_ground",
            "Choose whether the request is complex or one of a number of requests",
        ),
        ({"extension_reason": " "}, "extension_reason", "Enter why more time is needed"),
    ],
)
def test_an_extension_needs_its_length_ground_and_reason(ig_client, subject_access, change, field, message):
    before = audit_changes()
    with on(D(2026, 3, 20)):
        response = ig_client.post(url_of("extend_subject_access", subject_access), extension(**change))
    assert field_error(response, field) == message
    subject_access.refresh_from_db()
    assert subject_access.due_on == D(2026, 4, 2)
    assert audit_changes() == before


def test_a_closed_request_cannot_be_extended(ig_client, subject_access, ig_officer):
    with on(D(2026, 3, 20)):
        services.close_subject_access_request(
            request=subject_access,
            status="refused",
            sent_on=D(2026, 3, 20),
            refusal_ground="unfounded",
            refusal_reason="Asked only to cause disruption, and said so",
            by=ig_officer,
        )
        response = ig_client.post(url_of("extend_subject_access", subject_access), extension())
        assert error_summary(response) == [("", "This request is already closed")]
        page = ig_client.get(page_of(subject_access)).content.decode()
    assert "Extend the deadline" not in page and "Record that their identity was confirmed" not in page


def test_the_clock_and_extension_forms_are_audited_reads_of_the_person(
    ig_client, subject_access, rectification
):
    with on(D(2026, 3, 5)):
        for name, request in [
            ("subject_access_clock", subject_access),
            ("extend_subject_access", subject_access),
            ("rectification_clock", rectification),
            ("extend_rectification", rectification),
        ]:
            response = ig_client.get(url_of(name, request))
            assert response.status_code == 200
            assert "The answer is due by 2 April 2026." in text_of(response.content.decode())
    assert AuditEvent.objects.filter(action="view", person_id=subject_access.person_id).count() == 4


def test_the_clock_cannot_move_back_past_an_extension_already_told(ig_client, subject_access, ig_officer):
    with on(D(2026, 4, 10)):
        services.start_clock(
            request=subject_access,
            started_by="identity",
            started_on=D(2026, 3, 9),
            detail="Passport",
            by=ig_officer,
        )
        services.extend_deadline(
            request=subject_access,
            months=1,
            ground="numerous",
            reason="Their fourth request",
            told_on=D(2026, 4, 8),
            by=ig_officer,
        )
        before = audit_changes()
        form = {
            "clock_start": "clarified",
            **date_fields("clock_started_on", D(2026, 3, 3)),
            "clock_start_detail": "Asked which years",
        }
        response = ig_client.post(url_of("subject_access_clock", subject_access), form)
    assert response.status_code == 200
    assert field_error(response, "clock_started_on") == (
        "The requester was told of the extension on 8 April 2026, more than a month after this date: "
        "check the date"
    )
    subject_access.refresh_from_db()
    assert (subject_access.clock_started_on, subject_access.due_on) == (D(2026, 3, 9), D(2026, 5, 11))
    assert audit_changes() == before
