"""The rules on giving access, whichever page or command asks: which changes wait for a second person, who
that may be, and that nobody changes their own access."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from dsr.administration import accounts, services
from dsr.audit.models import AuditEvent
from dsr.registers import policy
from dsr.registers.models import GrantRequest, Membership, Role
from tests.factories import UserFactory, member

R = Role


@pytest.mark.parametrize(
    ("current", "role", "waits"),
    [
        (None, R.COORDINATOR, True),
        (None, R.KEYWORKER, True),
        (None, R.PROFESSIONAL, True),
        (None, R.REFERRER, True),
        (None, R.IG, True),
        (None, R.ADMIN, True),
        (None, R.ANALYST, False),  # aggregate figures only
        (R.KEYWORKER, R.COORDINATOR, True),
        (R.ANALYST, R.KEYWORKER, True),
        (R.REFERRER, R.KEYWORKER, True),  # a keyworker sees records a referrer does not
        (R.IG, R.COORDINATOR, True),
        (R.COORDINATOR, R.IG, True),  # IG officers see the audit trail, which coordinators do not
        (R.COORDINATOR, R.PROFESSIONAL, False),  # lowering a role
        (R.COORDINATOR, R.KEYWORKER, False),
        (R.PROFESSIONAL, R.KEYWORKER, False),
        (R.PROFESSIONAL, R.REFERRER, False),
        (R.COORDINATOR, R.ANALYST, False),
        (R.COORDINATOR, R.COORDINATOR, False),
    ],
)
def test_which_role_changes_wait_for_a_second_person(current, role, waits):
    assert policy.needs_approval(role=role, current=current) is waits


@pytest.fixture
def administrator(register):
    return member(register, Role.ADMIN, username="alex", is_staff=True, is_superuser=True)


def test_nobody_gives_themselves_a_role_through_the_service_either(administrator, other_register):
    with pytest.raises(ValidationError, match="You cannot change your own access"):
        services.set_role(user=administrator, register=other_register, role="analyst", by=administrator)
    with pytest.raises(ValidationError, match="You cannot change your own access"):
        services.remove_membership(membership=administrator.memberships.get(), by=administrator)


def test_nobody_changes_their_own_rights_or_groups_through_the_service(administrator):
    switched_off = type(administrator).objects.get(pk=administrator.pk)
    switched_off.is_active = False
    with pytest.raises(ValidationError, match="You cannot change your own access"):
        accounts.save_account(user=switched_off, by=administrator)
    with pytest.raises(ValidationError, match="You cannot change your own access"):
        accounts.set_account_links(
            user=administrator, groups=[Group.objects.create(name="Helpdesk")], by=administrator
        )


def test_only_staff_change_who_may_do_what(register, coordinator):
    with pytest.raises(PermissionDenied):
        services.set_role(user=UserFactory(), register=register, role="analyst", by=coordinator)


def test_a_second_request_for_the_same_register_waits_for_the_first(administrator, register):
    sam = UserFactory()
    services.set_role(user=sam, register=register, role="keyworker", reason="Keyworker", by=administrator)
    with pytest.raises(ValidationError, match="already waiting for approval"):
        services.set_role(
            user=sam, register=register, role="coordinator", reason="Coordinator", by=administrator
        )


@pytest.mark.parametrize(
    ("decider", "may"),
    [
        ("ig_officer_of_the_register", True),
        ("another_system_administrator", True),
        ("ig_officer_of_another_register", False),
        ("coordinator_of_the_register", False),
        ("the_person_who_asked", False),
        ("the_person_it_is_for", False),
    ],
)
def test_who_may_decide_a_request_for_a_role(administrator, register, other_register, decider, may):
    sam = UserFactory()
    grant = services.set_role(
        user=sam, register=register, role="coordinator", reason="Cover", by=administrator
    )
    people = {
        "ig_officer_of_the_register": lambda: member(register, Role.IG),
        "another_system_administrator": lambda: UserFactory(is_staff=True, is_superuser=True),
        "ig_officer_of_another_register": lambda: member(other_register, Role.IG),
        "coordinator_of_the_register": lambda: member(register, Role.COORDINATOR),
        "the_person_who_asked": lambda: administrator,
        "the_person_it_is_for": lambda: (
            Membership.objects.create(user=sam, register=other_register, role="ig").user
        ),
    }
    assert services.may_decide(grant, people[decider]()) is may


def test_administrator_rights_may_be_decided_by_an_ig_officer_of_any_register(administrator, other_register):
    sam = UserFactory()
    [grant] = accounts.save_account(user=_with(sam, is_staff=True), reason="Helpdesk", by=administrator)
    assert services.may_decide(grant, member(other_register, Role.IG))


def test_approving_twice_is_refused_and_changes_nothing_more(administrator, register):
    sam = UserFactory()
    grant = services.set_role(
        user=sam, register=register, role="professional", reason="Panel", by=administrator
    )
    ig = member(register, Role.IG)
    services.decide(grant=grant, approve=True, by=ig)
    with pytest.raises(ValidationError, match="already approved"):
        services.decide(grant=grant, approve=False, by=ig)
    assert GrantRequest.objects.get().status == "approved"
    assert AuditEvent.objects.filter(record_type="membership").count() == 1


def test_deleting_an_account_audits_its_roles_and_requests_too(administrator, register):
    sam = member(register, Role.ANALYST)
    services.set_role(user=sam, register=register, role="coordinator", reason="Promotion", by=administrator)
    accounts.delete_account(user=sam, by=administrator)
    deleted = set(AuditEvent.objects.filter(action="delete").values_list("record_type", flat=True))
    assert deleted == {"user", "membership", "grant_request"}


def _with(user, **values):
    for name, value in values.items():
        setattr(user, name, value)
    return user
