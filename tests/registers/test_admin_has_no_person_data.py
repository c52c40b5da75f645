"""The Django admin configures registers, organisations, users and memberships: never person data."""

import pytest
from django.contrib import admin
from django.urls import reverse

from dsr.registers.models import Role
from tests.factories import member
from tests.urls_walk import person_data_models


def test_no_person_data_model_is_registered_in_the_admin():
    registered = {model.__name__ for model in admin.site._registry}
    assert registered & {model.__name__ for model in person_data_models()} == set()
    assert {"Register", "Organisation", "Membership", "User"} <= registered


def test_no_admin_page_shows_person_data_inline():
    inlines = {
        (model.__name__, inline.model)
        for model, model_admin in admin.site._registry.items()
        for inline in model_admin.inlines
    }
    person_data = person_data_models()
    assert {(page, shown.__name__) for page, shown in inlines if shown in person_data} == set()
    assert ("Register", "RiskFactor") in {(page, shown.__name__) for page, shown in inlines}


@pytest.fixture
def administrator(client, register):
    """The system administrator, as the demo data makes them: staff with every admin permission."""
    client.force_login(member(register, Role.ADMIN, is_staff=True, is_superuser=True, password=None))
    return client


def test_an_administrator_sees_registers_organisations_users_and_memberships(administrator):
    response = administrator.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for model in ("register", "organisation", "membership"):
        assert reverse(f"admin:registers_{model}_changelist") in page
    assert reverse("admin:auth_user_changelist") in page
    assert "/admin/people/" not in page
    assert "/admin/ratings/riskrating/" not in page


@pytest.mark.parametrize("model", sorted(person_data_models(), key=lambda m: m.__name__))
def test_admin_has_no_page_for_person_data(administrator, model):
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert administrator.get(url).status_code == 404


def test_the_register_page_in_the_admin_does_not_list_its_people(administrator, register, person):
    response = administrator.get(reverse("admin:registers_register_change", args=[register.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert person.family_name not in page
    assert person.nhs_number not in page
