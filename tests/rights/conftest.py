import pytest

from dsr.registers.models import Role
from tests.factories import member


@pytest.fixture
def ig_officer(register):
    return member(register, Role.IG, username="ig", first_name="Grace", last_name="Adeyemi")


@pytest.fixture
def ig_client(client, ig_officer):
    client.force_login(ig_officer)
    return client
