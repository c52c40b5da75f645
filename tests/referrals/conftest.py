import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The per-address limit on referrals is counted in the cache: each test starts with none sent."""
    cache.clear()
    yield
    cache.clear()
