import pytest

from dsr.signin.oidc_standin import OpenIDConnectStandIn
from tests.signin.openid_connect import configure


@pytest.fixture
def standin():
    """An OpenID Connect provider on 127.0.0.1 for this test (dsr.signin.oidc_standin)."""
    with OpenIDConnectStandIn() as provider:
        yield provider


@pytest.fixture
def oidc(db, settings, standin) -> OpenIDConnectStandIn:
    """The app set up to sign in through the stand-in."""
    configure(settings, standin)
    return standin
