"""A legal hold keeps a record for a claim, an inquiry or an investigation: while it is in force, retention
neither files nor erases the record and it is not erased on request. IG officers set and lift it, saying
why, and both are in the audit trail."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dsr.audit.models import AuditEvent
from dsr.dates import today
from dsr.governance import retention
from dsr.governance import services as governance_services
from dsr.governance.models import LegalHold
from dsr.people import services
from dsr.people.models import Person
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.pages import date_fields, error_summary
from tests.rights.populated import text_of

LEFT_ON = datetime.date(2026, 8, 31)
FILED_ON = datetime.date(2027, 2, 28)
ERASED_ON = datetime.date(2032, 8, 31)
REVIEW_ON = datetime.date(2027, 3, 3)
REASON = "A claim about their care in 2025 is being defended"


def on(day: datetime.date):
    """The clock at midday on `day`, standing still."""
    return time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))), tick=False
    )


@pytest.fixture
def policy(register):
    register.file_after_months, register.erase_after_months = 6, 72
    register.save()
    return register


@pytest.fixture
def leaver(policy, coordinator):
    with on(LEFT_ON):
        person = make_person(
            register=policy,
            by=coordinator,
            given_name="Morgan",
            family_name="Leaver",
            joined_at=timezone.now() - datetime.timedelta(days=400),
        )
        services.remove_from_register(person=person, left_on=LEFT_ON, reason="Moved away", by=coordinator)
    return person


@pytest.fixture
def ig_officer(policy):
    return member(policy, Role.IG, username="ig", first_name="Grace", last_name="Adeyemi")


@pytest.fixture
def ig_client(ig_officer):
    """Signs in when called, so that the session is fresh on the day the test travels to."""

    def signed_in() -> Client:
        client = Client()
        client.force_login(ig_officer)
        return client

    return signed_in


def hold_form(*, reason=REASON, reference="CL-2026-0147", review_on=REVIEW_ON) -> dict:
    return {"reason": reason, "reference": reference, **date_fields("review_on", review_on)}


def set_hold_url(person) -> str:
    return f"/governance/people/{person.pk}/legal-hold/"


def lift_hold_url(person) -> str:
    return f"/governance/people/{person.pk}/legal-hold/lift/"


def person_page(person) -> str:
    return f"/governance/people/{person.pk}/"


@pytest.fixture
def held(leaver, ig_client):
    """The IG officer put the leaver's record under legal hold on the day they left."""
    with on(LEFT_ON):
        response = ig_client().post(set_hold_url(leaver), hold_form())
    assert response.status_code == 302, error_summary(response)
    return leaver


def test_the_ig_officer_puts_a_record_under_legal_hold_from_the_persons_page(leaver, ig_client):
    with on(LEFT_ON):
        client = ig_client()
        page = text_of(client.get(person_page(leaver)).content.decode())
        assert "Morgan's record is not under legal hold." in page
        assert "Put this record under legal hold" in page
        assert client.get(set_hold_url(leaver)).status_code == 200

        response = client.post(set_hold_url(leaver), hold_form(), follow=True)

    page = text_of(response.content.decode())
    assert "Legal hold set" in page
    assert "Held until reviewed on 3 March 2027" in page
    assert "CL-2026-0147" in page
    assert REASON in page
    assert "Not while the legal hold is in force (under the register's policy, on 28 February 2027)" in page
    assert "Lift the legal hold" in page
    assert "Erase this record now" not in page
    hold = LegalHold.objects.get(person=leaver)
    assert (hold.reference, hold.review_on, hold.set_by.username) == ("CL-2026-0147", REVIEW_ON, "ig")


def test_a_held_record_is_neither_filed_nor_erased_and_the_run_lists_it_apart(held, capsys):
    with on(ERASED_ON):
        assert retention.plan() == []
        call_command("apply_retention")
    out = capsys.readouterr().out

    assert "Nothing is due" in out
    assert "Under legal hold, neither filed nor erased: 1 record." in out
    assert f"Held   {held.pk}" in out
    assert (
        "Left on 31 August 2026: filed on 28 February 2027, erased on 31 August 2032, but for the hold" in out
    )
    assert "reference CL-2026-0147, held until reviewed on 3 March 2027 (the review date has passed)" in out
    held.refresh_from_db()
    assert held.status == Person.Status.LEFT
    assert not AuditEvent.objects.filter(
        action__in=[AuditEvent.Action.FILE, AuditEvent.Action.ERASE]
    ).exists()


def test_the_retention_page_lists_held_records_apart_with_the_review_date(held, ig_client):
    with on(REVIEW_ON):
        page = ig_client().get("/governance/retention/").content.decode()
    assert "Nothing is due" in page
    listed = text_of(page[page.index('id="held"') : page.index("</table>", page.index('id="held"'))])
    assert "Morgan Leaver" in listed
    assert "CL-2026-0147" in listed
    assert REASON in listed
    assert "Held until reviewed on 3 March 2027" in listed
    assert "Review date passed" not in listed  # the review is due today, not passed
    assert "Left on 31 August 2026; filed on 28 February 2027, erased on 31 August 2032" in listed
    read = AuditEvent.objects.filter(action=AuditEvent.Action.LIST, record_type="retention_report").last()
    assert read.changes["shown"] == [str(held.pk)]

    with on(REVIEW_ON + datetime.timedelta(days=1)):
        page = ig_client().get("/governance/retention/").content.decode()
    assert "Review date passed" in page[page.index('id="held"') :]


def test_a_hold_on_someone_still_on_the_register_is_listed_too(person, ig_officer, ig_client):
    governance_services.set_legal_hold(
        person=person, reason=REASON, reference="CL-1", review_on=today(), by=ig_officer
    )
    page = text_of(ig_client().get("/governance/retention/").content.decode())
    assert "Jamie Rivers" in page
    assert "Still on the register" in page


def test_lifting_the_hold_lets_the_next_run_file_and_erase_the_record(held, ig_client, capsys):
    with on(ERASED_ON):
        client = ig_client()
        page = text_of(client.get(lift_hold_url(held)).content.decode())
        assert "Held until reviewed on 3 March 2027" in page
        response = client.post(lift_hold_url(held), {"lift_reason": "The claim was settled"}, follow=True)
        assert "Legal hold lifted" in response.content.decode()
        assert "Put this record under legal hold" in text_of(response.content.decode())
        call_command("apply_retention")

    assert "Filed 0 and erased 1 records." in capsys.readouterr().out
    assert not Person.objects.filter(pk=held.pk).exists()
    assert not LegalHold.objects.exists()  # erased with the person
    tombstone = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert tombstone.changes["records_removed"]["Legal holds"] == 1


def test_a_hold_set_after_the_plan_was_made_stops_the_run(leaver, ig_officer):
    with on(FILED_ON):
        steps = retention.plan()
        assert [step.action for step in steps] == [retention.FILE]
        governance_services.set_legal_hold(
            person=leaver, reason=REASON, reference="CL-2", review_on=REVIEW_ON, by=ig_officer
        )
        assert retention.apply(steps) == []
    leaver.refresh_from_db()
    assert leaver.status == Person.Status.LEFT


def test_a_held_record_cannot_be_erased_on_request_until_the_hold_is_lifted(held, ig_client):
    erase = f"/governance/people/{held.pk}/erase/"
    request = {"reason": "person", "confirm": "true", **date_fields("received_on", LEFT_ON)}
    why = (
        "The record is under legal hold (reference CL-2026-0147), held until reviewed on 3 March 2027. "
        "An information governance officer lifts the hold first; then the record can be erased."
    )
    with on(LEFT_ON):
        client = ig_client()
        response = client.post(erase, request)
        assert ("", why) in error_summary(response)
        assert Person.objects.filter(pk=held.pk).exists()

        client.post(lift_hold_url(held), {"lift_reason": "The solicitor no longer needs it"})
        client.post(erase, request)
    assert not Person.objects.filter(pk=held.pk).exists()


def test_setting_and_lifting_a_hold_are_in_the_audit_trail(held, ig_client, ig_officer):
    hold = LegalHold.objects.get()
    created = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, record_type="legalhold")
    assert (created.username, created.person_id, created.record_id) == ("ig", held.pk, str(hold.pk))
    assert created.register_id == held.register_id
    assert created.changes["reason"] == [None, REASON]
    assert created.changes["reference"] == [None, "CL-2026-0147"]
    assert created.changes["review_on"] == [None, "2027-03-03"]

    with on(LEFT_ON):
        ig_client().post(lift_hold_url(held), {"lift_reason": "The claim was withdrawn"})

    lifted = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE, record_type="legalhold")
    assert lifted.username == "ig"
    assert lifted.changes["lift_reason"] == ["", "The claim was withdrawn"]
    assert lifted.changes["lifted_by"] == [None, str(ig_officer.pk)]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            hold_form(review_on=LEFT_ON - datetime.timedelta(days=1)),
            "review_on",
            "The date to review the hold must be today or in the future",
        ),
        (hold_form(reason=""), "reason", "Enter why the record is being held"),
        (hold_form(reason="   "), "reason", "Enter why the record is being held"),
        (hold_form(reference=""), "reference", "Enter the reference of the claim, inquiry or investigation"),
        ({"reason": REASON, "reference": "CL-3"}, "review_on", "Enter the date to review the hold"),
    ],
)
def test_a_hold_with_bad_input_is_not_set_and_the_page_says_why(leaver, ig_client, form, field, message):
    events_before = AuditEvent.objects.exclude(
        action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.LIST]
    ).count()
    with on(LEFT_ON):
        response = ig_client().post(set_hold_url(leaver), form)

    assert response.status_code == 200
    [(link, shown)] = error_summary(response)
    assert shown == message
    assert link.removeprefix("#").removeprefix("id_").startswith(field)  # to the field in error
    assert not LegalHold.objects.exists()
    assert AuditEvent.objects.exclude(
        action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.LIST]
    ).count() == (events_before)


def test_lifting_without_a_reason_changes_nothing(held, ig_client):
    with on(LEFT_ON):
        response = ig_client().post(lift_hold_url(held), {"lift_reason": ""})
    assert ("#id_lift_reason", "Enter why the hold is being lifted") in error_summary(response)
    assert LegalHold.objects.get().in_force
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE, record_type="legalhold").exists()


def test_a_second_hold_is_refused_while_one_is_in_force(held, ig_client):
    with on(LEFT_ON):
        client = ig_client()
        assert "is already under legal hold" in client.get(set_hold_url(held)).content.decode()
        response = client.post(set_hold_url(held), hold_form(reference="CL-9"))
    assert (
        "",
        "The record is already under legal hold. Lift that hold before setting another.",
    ) in error_summary(response)
    assert LegalHold.objects.count() == 1


def test_with_no_hold_to_lift_the_lift_page_goes_back_to_the_person(leaver, ig_client):
    with on(LEFT_ON):
        response = ig_client().get(lift_hold_url(leaver), follow=True)
    assert "There is no legal hold on this record to lift" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"{person_page(leaver)}#retention")


def test_only_an_ig_officer_of_the_register_sets_a_hold(leaver, coordinator, other_register):
    for user in (coordinator, member(other_register, Role.IG)):
        client = Client()
        client.force_login(user)
        with on(LEFT_ON):
            assert client.post(set_hold_url(leaver), hold_form()).status_code == 404
    assert not LegalHold.objects.exists()


def test_the_retention_page_runs_the_same_queries_however_many_records_are_held(
    policy, coordinator, ig_officer, ig_client
):
    def queries_with(count: int) -> int:
        for n in range(count - LegalHold.objects.count()):
            person = make_person(register=policy, by=coordinator, family_name=f"Held{n}")
            governance_services.set_legal_hold(
                person=person, reason=REASON, reference=f"CL-{n}", review_on=today(), by=ig_officer
            )
        client = ig_client()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/governance/retention/").status_code == 200
        return len(queries)

    assert queries_with(1) == queries_with(4)
