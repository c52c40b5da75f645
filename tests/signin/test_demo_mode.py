"""The demo stays two commands: in a demonstration the demo's own users may sign in with a password
alone, every page says so, and a deployment check refuses it."""

import secrets

from django.urls import reverse

from dsr.registers.models import Role
from dsr.registers.personas import DEMO_PASSWORD
from tests.factories import member
from tests.test_settings import run_manage


def sign_in(client, username: str):
    return client.post(reverse("login"), {"login": username, "password": DEMO_PASSWORD}, follow=True)


def test_in_a_demonstration_the_demos_coordinator_signs_in_with_a_password_alone(client, register, settings):
    settings.DEMO_MODE = True
    member(register, Role.COORDINATOR, username="coordinator")
    page = sign_in(client, "coordinator")
    assert page.redirect_chain[-1][0] == reverse("today")
    assert "A demonstration with fictional people" in page.content.decode()


def test_in_a_demonstration_anyone_else_still_needs_a_second_factor(client, register, settings):
    settings.DEMO_MODE = True
    member(register, Role.COORDINATOR, username="priya.shah")
    page = sign_in(client, "priya.shah")
    assert page.redirect_chain[-1][0].startswith(reverse("mfa_index"))


def test_outside_a_demonstration_the_demos_users_need_a_second_factor_too(client, register, settings):
    settings.DEMO_MODE = False
    member(register, Role.COORDINATOR, username="coordinator")
    page = sign_in(client, "coordinator")
    assert page.redirect_chain[-1][0].startswith(reverse("mfa_index"))
    assert "A demonstration with fictional people" not in page.content.decode()


def test_the_deployment_check_refuses_a_demonstration():
    result = run_manage(
        "check",
        "--deploy",
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="dsr.example.nhs.uk",
        DEBUG="false",
        DEMO_MODE="true",
    )
    assert result.returncode != 0
    assert "signin.E001" in result.stderr
    assert "DEMO_MODE is on" in result.stderr
