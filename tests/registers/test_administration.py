"""A system administrator works in /admin/: every change is in the IG audit trail, nobody gives themselves
access, and a role that shows identifiable data waits for someone else to approve it."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dsr.audit.models import AuditEvent
from dsr.notifications.models import Notification
from dsr.registers.models import GrantRequest, Membership, Role
from tests.factories import UserFactory, member
from tests.pages import detail_url

User = get_user_model()
ADD_MEMBERSHIP = reverse("admin:registers_membership_add")


@pytest.fixture
def administrator(register):
    """The system administrator, as the demo data makes them: staff with every admin permission."""
    return member(
        register, Role.ADMIN, username="alex", email="alex@example.nhs.uk", is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def ig_officer(register):
    return member(register, Role.IG, username="grace", email="grace@example.nhs.uk")


@pytest.fixture
def ig_client(ig_officer):
    client = Client()
    client.force_login(ig_officer)
    return client


@pytest.fixture
def newcomer(db):
    return UserFactory(username="sam", first_name="Sam", email="sam@example.nhs.uk")


def membership_page(membership=None, **values) -> dict:
    """What the admin's membership page posts."""
    data = {"role": membership.role if membership else "", "organisation": "", "reason": ""}
    if membership is None:
        data.update(user="", register="")
    return {**data, **values}


def account_page(user, **values) -> dict:
    """What the admin's page for an account posts, with its roles (unchanged) below."""
    memberships = list(user.memberships.all())
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "reason": "",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for flag in ("is_active", "is_staff", "is_superuser"):
        if getattr(user, flag):
            data[flag] = "on"
    for i, membership in enumerate(memberships):
        data.update(
            {
                f"memberships-{i}-id": str(membership.pk),
                f"memberships-{i}-user": str(user.pk),
                f"memberships-{i}-register": str(membership.register_id),
                f"memberships-{i}-role": membership.role,
                f"memberships-{i}-organisation": "",
                f"memberships-{i}-reason": "",
            }
        )
    for name, value in values.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def told(user) -> list[str]:
    """The bodies of the messages the outbox holds for this user, oldest first."""
    return list(
        Notification.objects.filter(to_email=user.email, template="access_changed")
        .order_by("created_at")
        .values_list("body", flat=True)
    )


def test_anyone_not_signed_in_is_sent_to_the_registers_own_sign_in_not_the_admins(db, client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/admin/"
    login = client.get("/admin/login/?next=/admin/registers/membership/")
    assert login["Location"] == "/sign-in/?next=/admin/registers/membership/"


def test_a_signed_in_user_who_is_not_staff_is_refused_not_asked_to_sign_in_again(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/login/").status_code == 403
    assert client.get(reverse("admin:registers_membership_changelist")).status_code == 403


def test_a_lowered_role_takes_effect_at_once_and_the_trail_has_before_and_after(
    admin_client, administrator, register, coordinator
):
    coordinator.email = "priya@example.nhs.uk"
    coordinator.save()
    membership = coordinator.memberships.get()
    url = reverse("admin:registers_membership_change", args=[membership.pk])

    response = admin_client.post(url, membership_page(membership, role=Role.KEYWORKER))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.KEYWORKER
    event = AuditEvent.objects.get(record_type="membership", action=AuditEvent.Action.CHANGE)
    assert event.changes["role"] == ["coordinator", "keyworker"]
    assert event.changes["user"] == ["coordinator", "coordinator"]
    assert (event.username, event.register_id, event.source) == ("alex", register.pk, "web")
    assert told(coordinator) == [
        "Hello Priya,\n\nYou now have the role of Keyworker instead of the role of Register coordinator in "
        f"{register}.\n\nIf you did not expect this, tell your information governance officer straight "
        f"away.\n\n{register}\nDynamic Support Register"
    ]


def test_an_administrator_cannot_give_themselves_a_coordinator_role(
    admin_client, administrator, other_register
):
    response = admin_client.post(
        ADD_MEMBERSHIP,
        membership_page(
            user=administrator.pk, register=other_register.pk, role=Role.COORDINATOR, reason="To help out"
        ),
    )

    assert response.status_code == 200
    assert "You cannot change your own access. Ask another administrator" in response.content.decode()
    assert not Membership.objects.filter(user=administrator, register=other_register).exists()
    assert not GrantRequest.objects.exists()


def test_an_administrators_own_roles_rights_and_groups_are_read_only_to_them(
    admin_client, administrator, register
):
    own = administrator.memberships.get()
    page = admin_client.get(reverse("admin:auth_user_change", args=[administrator.pk])).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="groups"' not in page
    assert 'name="memberships-0-role"' not in page  # their roles are shown, not offered for change

    # Posting the fields anyway changes nothing.
    admin_client.post(
        reverse("admin:auth_user_change", args=[administrator.pk]),
        account_page(administrator, is_superuser=None, is_staff=None),
    )
    administrator.refresh_from_db()
    assert administrator.is_superuser and administrator.is_staff

    assert (
        admin_client.post(
            reverse("admin:registers_membership_delete", args=[own.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    admin_client.post(
        reverse("admin:registers_membership_change", args=[own.pk]), membership_page(own, role="analyst")
    )
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_a_coordinator_role_waits_for_an_ig_officer_and_gives_no_access_until_approved(
    admin_client, ig_client, register, newcomer, person
):
    response = admin_client.post(
        ADD_MEMBERSHIP,
        membership_page(
            user=newcomer.pk,
            register=register.pk,
            role=Role.COORDINATOR,
            reason="New coordinator for the south",
        ),
    )

    grant = GrantRequest.objects.get()
    assert response["Location"] == reverse("admin:registers_grantrequest_change", args=[grant.pk])
    assert (grant.status, grant.requested_by.username, grant.reason) == (
        "pending",
        "alex",
        "New coordinator for the south",
    )
    assert not Membership.objects.filter(user=newcomer).exists()
    newcomers_client = Client()
    newcomers_client.force_login(newcomer)
    assert newcomers_client.get(detail_url(person)).status_code == 404
    assert "has asked for you to have the role of Register coordinator in" in told(newcomer)[0]

    response = ig_client.post(reverse("access:decide", args=[grant.pk]), {"decision": "approve", "note": ""})

    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer, register=register).role == Role.COORDINATOR
    assert newcomers_client.get(detail_url(person)).status_code == 200
    assert "You now have the role of Register coordinator" in told(newcomer)[1]
    steps = list(
        AuditEvent.objects.filter(record_type__in=["grant_request", "membership"])
        .order_by("id")
        .values_list("record_type", "action", "username")
    )
    assert steps == [
        ("grant_request", "create", "alex"),
        ("grant_request", "change", "grace"),
        ("membership", "create", "grace"),
    ]
    approved = AuditEvent.objects.get(record_type="grant_request", action="change")
    assert approved.changes["status"] == ["pending", "approved"]
    assert approved.changes["role"] == ["coordinator", "coordinator"]


def test_the_person_who_asked_cannot_approve_their_own_request(
    admin_client, administrator, register, newcomer
):
    # The administrator is also an IG officer of another register: they still cannot decide their own request.
    Membership.objects.filter(user=administrator).update(role=Role.IG)
    admin_client.post(
        ADD_MEMBERSHIP,
        membership_page(
            user=newcomer.pk, register=register.pk, role=Role.PROFESSIONAL, reason="Panel member"
        ),
    )
    grant = GrantRequest.objects.get()

    page = admin_client.get(reverse("access:decide", args=[grant.pk])).content.decode()
    assert "Save decision" not in page
    response = admin_client.post(reverse("access:decide", args=[grant.pk]), {"decision": "approve"})
    assert (
        "You asked for this access, so someone else must approve or decline it" in response.content.decode()
    )

    admin_client.post(
        reverse("admin:registers_grantrequest_changelist"),
        {"action": "approve", "_selected_action": [str(grant.pk)]},
    )
    grant.refresh_from_db()
    assert grant.status == GrantRequest.Status.PENDING
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_declined_request_gives_nothing_and_the_person_is_told(admin_client, ig_client, register, newcomer):
    admin_client.post(
        ADD_MEMBERSHIP,
        membership_page(user=newcomer.pk, register=register.pk, role=Role.KEYWORKER, reason="Keyworker"),
    )
    grant = GrantRequest.objects.get()

    ig_client.post(
        reverse("access:decide", args=[grant.pk]), {"decision": "decline", "note": "Not in post yet"}
    )

    grant.refresh_from_db()
    assert (grant.status, grant.decided_by.username, grant.decision_note) == (
        "declined",
        "grace",
        "Not in post yet",
    )
    assert not Membership.objects.filter(user=newcomer).exists()
    assert "was declined. Your access has not changed." in told(newcomer)[-1]
    assert (
        ig_client.post(reverse("access:decide", args=[grant.pk]), {"decision": "approve"}).status_code == 200
    )
    assert not Membership.objects.filter(user=newcomer).exists()


def test_an_analyst_role_shows_no_identifiable_data_so_it_needs_no_approval(admin_client, register, newcomer):
    admin_client.post(
        ADD_MEMBERSHIP, membership_page(user=newcomer.pk, register=register.pk, role=Role.ANALYST)
    )
    assert Membership.objects.get(user=newcomer).role == Role.ANALYST
    assert not GrantRequest.objects.exists()
    assert AuditEvent.objects.get(record_type="membership").changes["role"] == [None, "analyst"]


def test_a_role_that_waits_for_approval_needs_a_reason(admin_client, register, newcomer):
    response = admin_client.post(
        ADD_MEMBERSHIP, membership_page(user=newcomer.pk, register=register.pk, role=Role.COORDINATOR)
    )
    assert response.status_code == 200
    assert "Say why they need this access" in response.content.decode()
    assert not GrantRequest.objects.exists()


def test_removing_a_role_takes_effect_at_once_and_is_audited(admin_client, register, coordinator, person):
    membership = coordinator.memberships.get()
    response = admin_client.post(
        reverse("admin:registers_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    removed = AuditEvent.objects.get(record_type="membership", action=AuditEvent.Action.DELETE)
    assert removed.changes["role"] == ["coordinator", None]
    assert removed.record_id == str(membership.pk)


def test_deleting_several_roles_at_once_audits_each(admin_client, register, newcomer):
    others = [member(register, Role.PROFESSIONAL) for _ in range(3)]
    response = admin_client.post(
        reverse("admin:registers_membership_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [str(u.memberships.get().pk) for u in others],
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(record_type="membership", action="delete").count() == 3
    assert not Membership.objects.filter(user__in=others).exists()


def test_making_someone_a_superuser_waits_for_another_administrator(admin_client, register, newcomer):
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[newcomer.pk]),
        account_page(newcomer, is_staff="on", is_superuser="on", reason="Second system administrator"),
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert not newcomer.is_staff and not newcomer.is_superuser
    assert set(GrantRequest.objects.values_list("kind", flat=True)) == {"staff", "superuser"}

    second = member(register, Role.ADMIN, username="jo", is_staff=True, is_superuser=True)
    other_admin = Client()
    other_admin.force_login(second)
    other_admin.post(
        reverse("admin:registers_grantrequest_changelist"),
        {
            "action": "approve",
            "_selected_action": [str(pk) for pk in GrantRequest.objects.values_list("pk", flat=True)],
        },
    )

    newcomer.refresh_from_db()
    assert newcomer.is_staff and newcomer.is_superuser
    given = AuditEvent.objects.filter(record_type="user", action="change", username="jo")
    assert {tuple(e.changes.get("is_superuser") or e.changes.get("is_staff")) for e in given} == {
        (False, True)
    }


def test_rights_without_a_reason_are_refused_on_the_account_page(admin_client, newcomer):
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[newcomer.pk]), account_page(newcomer, is_superuser="on")
    )
    assert response.status_code == 200
    assert "Say why they need this access" in response.content.decode()
    assert not GrantRequest.objects.exists()


def test_a_role_added_on_a_users_page_waits_like_any_other(admin_client, register, newcomer):
    data = account_page(
        newcomer,
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-user": str(newcomer.pk),
            "memberships-0-register": str(register.pk),
            "memberships-0-role": Role.COORDINATOR,
            "memberships-0-organisation": "",
            "memberships-0-reason": "Covering maternity leave",
        },
    )
    response = admin_client.post(reverse("admin:auth_user_change", args=[newcomer.pk]), data)
    assert response.status_code == 302
    assert not Membership.objects.filter(user=newcomer).exists()
    assert GrantRequest.objects.get().reason == "Covering maternity leave"


def test_an_account_change_is_audited_with_before_and_after_and_never_the_password(admin_client, newcomer):
    admin_client.post(
        reverse("admin:auth_user_change", args=[newcomer.pk]),
        account_page(newcomer, email="sam.new@example.nhs.uk"),
    )
    event = AuditEvent.objects.get(record_type="user", action="change")
    assert event.changes == {
        "username": ["sam", "sam"],
        "email": ["sam@example.nhs.uk", "sam.new@example.nhs.uk"],
    }
    assert event.register_id is None

    admin_client.post(
        reverse("admin:auth_user_password_change", args=[newcomer.pk]),
        {
            "password1": "a-long-new-passphrase-42",
            "password2": "a-long-new-passphrase-42",
            "set_usable_password": "true",
        },
    )
    newcomer.refresh_from_db()
    assert newcomer.check_password("a-long-new-passphrase-42")
    changed = AuditEvent.objects.filter(record_type="user").latest("id")
    assert changed.changes["password"] == [None, "changed"]
    assert newcomer.password not in str(changed.changes)


def test_an_account_made_in_the_admin_is_audited_without_its_password(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new.starter",
            "usable_password": "true",
            "password1": "a-long-new-passphrase-42",
            "password2": "a-long-new-passphrase-42",
        },
    )
    assert response.status_code == 302
    made = User.objects.get(username="new.starter")
    event = AuditEvent.objects.get(record_type="user", action="create")
    assert event.record_id == str(made.pk)
    assert event.changes["username"] == [None, "new.starter"]
    assert event.changes["is_superuser"] == [None, False]
    assert event.changes["password"] == [None, "set"]
    assert made.password not in str(event.changes)


def test_a_change_to_a_registers_policy_is_in_that_registers_audit_trail(admin_client, ig_client, register):
    url = reverse("admin:registers_register_change", args=[register.pk])
    page = admin_client.get(url)
    # The page as it stands: booleans ticked or not, empty values left out.
    initial = page.context["adminform"].form.initial
    data = {
        name: "on" if value is True else str(value)
        for name, value in initial.items()
        if name != "organisations" and value is not None and value is not False
    }
    data.update(
        {
            "erase_after_months": "12",
            "risk_factors-TOTAL_FORMS": "0",
            "risk_factors-INITIAL_FORMS": "0",
            "risk_factors-MIN_NUM_FORMS": "0",
            "risk_factors-MAX_NUM_FORMS": "1000",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    event = AuditEvent.objects.get(record_type="register")
    assert event.changes["erase_after_months"] == [72, 12]
    assert event.register_id == register.pk
    trail = html.unescape(
        ig_client.get(reverse("governance:audit_trail"), {"event": event.pk}).content.decode()
    )
    assert "1 event." in trail
    assert "Changed the register's settings" in trail


def test_createsuperuser_the_bootstrap_route_is_audited(db):
    call_command("createsuperuser", "--noinput", "--username", "first", "--email", "first@example.nhs.uk")

    event = AuditEvent.objects.get(record_type="user")
    assert (event.action, event.source, event.path, event.username) == (
        "create",
        "command",
        "createsuperuser",
        "",
    )
    assert event.changes["is_superuser"] == [None, True]
    assert event.changes["password"] == [None, "none"]
