import pytest
from django.core.cache import cache
from django.test import override_settings

from dsr.registers.models import Role
from tests.factories import RegisterFactory, make_person, member


@pytest.fixture(scope="session", autouse=True)
def documents_root(tmp_path_factory):
    """Uploaded documents never land in the real DOCUMENTS_ROOT: a temporary directory for the whole
    run (module-scoped fixtures upload too). Tests that look at the files use settings + tmp_path."""
    with override_settings(DOCUMENTS_ROOT=tmp_path_factory.mktemp("documents")):
        yield


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
