"""How many referrals one address may send: a limit per hour, counted in the cache."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60 * 60


def _key(request: HttpRequest) -> str:
    return f"referrals:sent-from:{request.META.get('REMOTE_ADDR') or 'unknown'}"


def allow_submission(request: HttpRequest) -> bool:
    """Count one more referral from this address; False once it is over the hourly limit."""
    key = _key(request)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= settings.REFERRAL_SUBMISSIONS_PER_HOUR
