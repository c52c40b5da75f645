from django.urls import reverse

from dsr.registers.models import Role
from tests.factories import member

SIGN_IN = reverse("login")


def test_signing_in_takes_a_coordinator_to_the_register(client, register, coordinator):
    response = client.post(SIGN_IN, {"username": "coordinator", "password": "dsr-demo"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:list")


def test_wrong_password_shows_an_error_summary(client, coordinator):
    response = client.post(SIGN_IN, {"username": "coordinator", "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client, coordinator):
    for _ in range(5):
        client.post(SIGN_IN, {"username": "coordinator", "password": "wrong"})
    response = client.post(SIGN_IN, {"username": "coordinator", "password": "dsr-demo"})
    assert "Too many attempts to sign in" in response.content.decode()
    assert client.get(reverse("people:list")).status_code == 302


def test_analyst_lands_on_the_figures(client, register):
    member(register, Role.ANALYST, username="figures")
    response = client.post(SIGN_IN, {"username": "figures", "password": "dsr-demo"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:summary")


def test_passwords_are_stored_with_argon2(coordinator):
    assert coordinator.password.startswith("argon2")


def test_signing_out_needs_a_post_and_ends_the_session(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("logout"))
    assert client.get(reverse("people:list")).status_code == 302
