import time
import uuid

import pytest
from allauth.account.internal.flows import login as allauth_login
from django.core.cache import cache
from django.test import Client, override_settings

from dsr.registers.models import Role
from tests.factories import RegisterFactory, make_person, member


@pytest.fixture(scope="session", autouse=True)
def documents_root(tmp_path_factory):
    """Uploaded documents never land in the real DOCUMENTS_ROOT: a temporary directory for the whole
    run (module-scoped fixtures upload too). Tests that look at the files use settings + tmp_path."""
    with override_settings(DOCUMENTS_ROOT=tmp_path_factory.mktemp("documents")):
        yield


@pytest.fixture(scope="session", autouse=True)
def signed_in_with_a_second_factor():
    """A test that signs someone in directly (`force_login`) leaves their session as the real sign-in
    leaves it once they have entered their password and a security code; tests/signin/ go through the
    real pages."""
    force_login = Client.force_login

    def force_login_after_both_factors(self, user, backend=None):
        force_login(self, user, backend)
        session = self.session
        now = time.time()
        session[allauth_login.AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "username": user.get_username()},
            {"method": "mfa", "at": now, "type": "totp"},
        ]
        session[allauth_login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session.save()

    Client.force_login = force_login_after_both_factors
    yield
    Client.force_login = force_login


@pytest.fixture(autouse=True)
def audit_checkpoint_dir(tmp_path_factory):
    """Each test's audit checkpoints in a directory of its own (made only when one is written), so a
    checkpoint of one test's trail, or of ./var/'s, is never compared with another's."""
    directory = tmp_path_factory.getbasetemp() / "audit_checkpoints" / uuid.uuid4().hex
    with override_settings(AUDIT_CHECKPOINT_DIR=directory, AUDIT_CHECKPOINTS="file"):
        yield directory


@pytest.fixture(autouse=True)
def fresh_cache(request):
    """The cache (a table in the database, or Redis) holds the referral rate limit. A test's cache
    entries roll back with its transaction; a test that commits starts and ends with it empty."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def register(db):
    return RegisterFactory(
        name="Kent and Medway — children and young people", short_name="Children", max_age=17
    )


@pytest.fixture
def other_register(db):
    return RegisterFactory(name="Barking and Dagenham", short_name="Barking and Dagenham")


@pytest.fixture
def coordinator(register):
    return member(register, Role.COORDINATOR, username="coordinator", first_name="Priya", last_name="Shah")


@pytest.fixture
def person(register, coordinator):
    return make_person(register=register, by=coordinator, given_name="Jamie", family_name="Rivers")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client
