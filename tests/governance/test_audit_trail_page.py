"""An IG officer answers "who looked at this child's record last month"."""

import csv
import datetime
import io
import re
from html import unescape

import time_machine
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.governance import trail_views
from dsr.registers.models import Membership, Role
from tests.factories import RegisterFactory, make_person, member
from tests.pages import detail_url

TRAIL = reverse("governance:audit_trail")


def test_ig_officer_finds_who_viewed_a_record_in_a_month_by_nhs_number(client, register, coordinator, person):
    viewer = member(register, Role.PROFESSIONAL, username="helen")
    client.force_login(viewer)
    with time_machine.travel(datetime.datetime(2026, 10, 14, 10, tzinfo=datetime.UTC)):
        client.get(detail_url(person))
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC)):
        client.get(detail_url(person))
    client.force_login(member(register, Role.IG))
    spaced = f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}"
    response = client.get(
        TRAIL,
        {
            "person": spaced,
            "action": "view",
            "since-day": "1",
            "since-month": "10",
            "since-year": "2026",
            "until-day": "31",
            "until-month": "10",
            "until-year": "2026",
        },
    )
    html = response.content.decode()
    assert "1 event about Jamie Rivers." in html
    assert "helen" in html
    assert "14 October 2026" in html


def test_ig_officer_never_sees_another_registers_events(client, register, coordinator, person):
    other = RegisterFactory()
    other_coordinator = member(other, Role.COORDINATOR, username="elsewhere")
    make_person(register=other, by=other_coordinator)
    client.force_login(member(register, Role.IG))
    html = client.get(TRAIL, {"username": "elsewhere"}).content.decode()
    assert "0 events." in html


def test_audit_trail_export_is_a_csv_and_is_itself_audited(client, register, person):
    ig = member(register, Role.IG, username="grace")
    client.force_login(ig)
    response = client.get(reverse("governance:export_audit_trail"), {"action": "create"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["at", "username", "action"]
    assert {row[2] for row in rows[1:]} == {"create"}
    assert len(rows) > 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, username="grace").exists()


def test_people_who_are_not_ig_officers_cannot_read_the_trail(client, coordinator):
    client.force_login(coordinator)
    assert client.get(TRAIL).status_code == 403


def test_a_date_that_does_not_exist_is_an_error_on_the_page_not_silently_ignored(client, register, person):
    client.force_login(member(register, Role.IG))
    response = client.get(TRAIL, {"since-day": "31", "since-month": "2", "since-year": "2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Audit trail" in html
    assert "There is a problem" in html
    assert re.search(r'href="#since-day"\s*>\s*From must be a real date\s*</a>', html)
    assert "Correct the filters to see the events." in html
    assert 'id="audit-events"' not in html  # nothing shown that was not asked for


def test_a_person_filter_that_is_neither_an_nhs_number_nor_a_record_is_an_error(client, register, person):
    client.force_login(member(register, Role.IG))
    html = client.get(TRAIL, {"person": "<script>"}).content.decode()
    assert "Enter the person&#39;s NHS number, like 943 476 5919" in html
    assert "<script>" not in html
    assert 'id="audit-events"' not in html


def test_downloading_with_a_bad_filter_goes_back_to_the_page_that_says_what_is_wrong(
    client, register, person
):
    client.force_login(member(register, Role.IG))
    query = {"until-day": "", "until-month": "13", "until-year": "2026"}
    response = client.get(reverse("governance:export_audit_trail"), query)
    assert response.status_code == 302
    assert response.url.startswith(TRAIL + "?")
    assert "To must include a day" in client.get(response.url).content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_the_person_filter_is_labelled_person_and_names_whom_the_events_are_about(client, register, person):
    client.force_login(member(register, Role.IG))
    html = client.get(TRAIL, {"person": str(person.pk)}).content.decode()
    assert re.search(r'<label[^>]*for="id_person"\s*>\s*Person\s*</label>', html) and "record id" not in html
    assert re.search(r"\d+ events? about Jamie Rivers\.", html)


def test_the_csv_download_adds_plain_words_beside_the_raw_columns(client, register, coordinator, person):
    client.force_login(member(register, Role.IG))
    response = client.get(reverse("governance:export_audit_trail"), {"action": "create"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][-3:] == ["who", "what", "whose record"]
    plain = {tuple(row[-3:]) for row in rows[1:]}
    assert ("Priya Shah", "Created the person's record", "Jamie Rivers") in plain
    assert ("Priya Shah", "Changed the rating", "Jamie Rivers") in plain


def test_a_list_of_all_my_registers_is_audited_in_each_register_it_showed(
    client, register, coordinator, person
):
    other = RegisterFactory(name="Adults", short_name="Adults")
    Membership.objects.create(user=coordinator, register=other, role=Role.COORDINATOR)
    adult = make_person(register=other, by=coordinator, given_name="Ada")
    client.force_login(coordinator)
    client.post(reverse("switch_register"), {"register": "all"})
    client.get(reverse("people:list"))
    events = {
        e.register_id: e.changes["shown"] for e in AuditEvent.objects.filter(action=AuditEvent.Action.LIST)
    }
    assert events == {register.pk: [str(person.pk)], other.pk: [str(adult.pk)]}
    client.force_login(member(register, Role.IG))
    html = client.get(TRAIL, {"action": "list"}).content.decode()
    assert "1 event." in html


def test_the_trail_says_what_happened_in_plain_words_and_names_people_not_ids(
    client, register, coordinator, person
):
    client.force_login(coordinator)
    client.get(reverse("people:list"))
    client.get(detail_url(person))
    client.get(reverse("people:change_rating", args=[person.pk]))
    client.force_login(member(register, Role.IG, first_name="Grace", last_name="Adeyemi"))

    html = client.get(TRAIL).content.decode()
    events = html[html.index('id="audit-events"') :]
    rows = [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for row in re.findall(r"<tr>(.*?)</tr>", events, re.S)
    ]

    assert any(
        row.endswith("Priya Shah coordinator Created the person's record Jamie Rivers Command")
        for row in rows
    ), rows
    assert any("Priya Shah coordinator Changed the rating Jamie Rivers" in row for row in rows), rows
    assert any("Priya Shah coordinator Viewed the register list Jamie Rivers" in row for row in rows), rows
    # The person page, and the page for changing the rating: both showed the person's record.
    viewed = "Priya Shah coordinator Viewed the person's record Jamie Rivers Web page"
    assert sum(viewed in row for row in rows) == 2, rows
    for code_name in (
        "riskrating",
        "register_list",
        "person_record",
        "change_rating",
        "Listed",
        "Viewed add",
    ):
        assert code_name not in events, code_name
    assert str(person.pk)[:8] not in html


def test_reading_the_trail_is_audited_as_a_list_of_the_people_it_named(client, register, person):
    ig = member(register, Role.IG)
    client.force_login(ig)
    client.get(TRAIL)
    read = AuditEvent.objects.get(user_id=ig.pk, action=AuditEvent.Action.LIST)
    assert (read.record_type, read.register_id, read.changes["shown"]) == (
        "audit_trail",
        register.pk,
        [str(person.pk)],
    )
    assert "Viewed the audit trail" in client.get(TRAIL).content.decode()


def test_an_erased_persons_events_name_nobody(client, register, coordinator, person):
    from dsr.governance import erasure
    from dsr.people.models import Episode, Person

    Episode.objects.filter(person=person).update(left_on=datetime.date(2020, 1, 1))
    Person.objects.filter(pk=person.pk).update(status=Person.Status.LEFT)
    erasure.erase_person(person=person, rule="A test", by=coordinator)
    client.force_login(member(register, Role.IG))
    html = client.get(TRAIL).content.decode()
    assert "Erased the record" in html
    assert "1 record erased since" in html
    assert "Jamie" not in html


def test_a_referral_not_yet_accepted_is_named_by_its_reference_and_the_public_as_not_signed_in(
    client, register
):
    from dsr.audit import RequestContext, audit_source
    from tests.referrals.data import make_referral

    with audit_source(RequestContext(source=AuditEvent.Source.WEB, path="/refer/")):
        referral = make_referral(register)
    client.force_login(member(register, Role.IG))
    html = unescape(client.get(TRAIL).content.decode())
    assert re.search(
        rf"Someone not signed in\s*</td>\s*<td>Recorded a referral</td>\s*<td>Referral {referral.reference}",
        html,
    )


def test_a_long_trail_counts_so_far_shows_the_newest_and_points_to_the_filters(
    client, register, coordinator, person, monkeypatch
):
    """Counting a busy register's whole trail on every page would slow it down as the trail grows: past a
    limit the page says "more than", shows the newest, and points to the filters."""
    monkeypatch.setattr(trail_views, "COUNTED", 3)
    monkeypatch.setattr(trail_views, "PAGE_SIZE", 2)
    viewer = member(register, Role.PROFESSIONAL, username="helen")
    client.force_login(viewer)
    for _ in range(5):
        client.get(detail_url(person))
    client.force_login(member(register, Role.IG))
    html = client.get(TRAIL, {"user": viewer.pk}).content.decode()
    assert "More than 3 events: the newest are shown here; choose dates or a person to see the others" in html
    assert "Page 2 of 2" in html
    html = client.get(TRAIL, {"user": viewer.pk, "page": "2"}).content.decode()
    assert "Page 1 of 2" in html and "Page 3" not in html
