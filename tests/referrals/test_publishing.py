"""A register is on the public referral form only once its coordinator puts it there."""

from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.registers.models import Register, Role
from tests.factories import member


def on_the_form(client) -> str:
    return client.get(reverse("refer:form")).content.decode()


def test_a_new_register_starts_off_the_public_form(db):
    assert Register.objects.create(name="New register", short_name="New").published is False


def test_the_coordinator_puts_their_register_on_the_form_and_takes_it_off(client, register, other_register):
    Register.objects.filter(pk=register.pk).update(published=False)
    coordinator = member(register, Role.COORDINATOR)
    public = client.__class__()
    assert register.name not in on_the_form(public)

    client.force_login(coordinator)
    page = client.get(reverse("referrals:public_form")).content.decode()
    assert "Not on the public form" in page
    assert other_register.name not in page  # not theirs
    put_on = client.post(reverse("referrals:public_form"), {"register": register.pk, "published": "true"})
    assert put_on["Location"] == reverse("referrals:public_form")
    assert register.name in on_the_form(public)
    event = AuditEvent.objects.get(user_id=coordinator.pk, record_type="register")
    assert event.changes["published"] == [False, True]

    client.post(reverse("referrals:public_form"), {"register": register.pk, "published": "false"})
    assert register.name not in on_the_form(public)


def test_a_coordinator_cannot_publish_another_register(client, register, other_register):
    Register.objects.filter(pk=other_register.pk).update(published=False)
    client.force_login(member(register, Role.COORDINATOR))
    response = client.post(
        reverse("referrals:public_form"), {"register": other_register.pk, "published": "true"}
    )
    assert response.status_code == 404
    other_register.refresh_from_db()
    assert other_register.published is False


def test_nonsense_is_refused_cleanly(client, register):
    client.force_login(member(register, Role.COORDINATOR))
    for data in ({}, {"register": "x", "published": "true"}, {"register": register.pk, "published": "maybe"}):
        assert client.post(reverse("referrals:public_form"), data).status_code == 404


def test_the_referrals_page_links_to_it_for_coordinators(client, register):
    client.force_login(member(register, Role.COORDINATOR))
    assert reverse("referrals:public_form") in client.get(reverse("referrals:queue")).content.decode()


def test_registers_that_were_there_before_stay_on_the_form(db):
    """The data migration: every register that existed before publishing is on the form."""
    from importlib import import_module

    from django.apps import apps

    Register.objects.create(name="Older register", short_name="Older")
    import_module(
        "dsr.registers.migrations.0009_existing_registers_stay_on_the_public_form"
    ).publish_existing(apps, None)
    assert Register.objects.get(name="Older register").published is True


def test_the_administrator_sets_the_teams_contact_details_but_does_not_publish(client, register):
    Register.objects.filter(pk=register.pk).update(published=False)
    administrator = member(register, Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(administrator)
    url = reverse("admin:registers_register_change", args=[register.pk])
    page = client.get(url)
    assert "Team phone number" in page.content.decode() and "Data protection officer" in page.content.decode()
    initial = page.context["adminform"].form.initial
    data = {
        name: "on" if value is True else str(value)
        for name, value in initial.items()
        if name != "organisations" and value is not None and value is not False
    }
    data.update(
        {
            "team_name": "Kent and Medway DSR team",
            "team_phone": "01622 000 001",
            "team_email": "dsr@example.nhs.uk",
            "data_protection_officer": "Jo Bloggs, dpo@example.nhs.uk",
            "published": "on",  # not the administrator's to change
            "risk_factors-TOTAL_FORMS": "0",
            "risk_factors-INITIAL_FORMS": "0",
            "risk_factors-MIN_NUM_FORMS": "0",
            "risk_factors-MAX_NUM_FORMS": "1000",
        }
    )
    assert client.post(url, data).status_code == 302
    register.refresh_from_db()
    assert register.team_contact == "Kent and Medway DSR team, phone 01622 000 001, email dsr@example.nhs.uk"
    assert register.data_protection_officer == "Jo Bloggs, dpo@example.nhs.uk"
    assert register.published is False
