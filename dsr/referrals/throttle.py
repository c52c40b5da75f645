"""How many referrals one address may send through the public form: a limit per rolling hour.

Counted in the shared cache (the database, or Redis), so the limit holds across every worker
process and instance. Each referral takes one of the address's slots with an atomic "add if absent";
a slot frees itself an hour after it was taken. Two referrals posted at the same moment can never
take the same slot, which a read-then-write counter would allow.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from dsr.client_address import client_address

WINDOW_SECONDS = 60 * 60


def allow_submission(request: HttpRequest) -> bool:
    """Take one of this address's slots for the hour; False when every slot is taken."""
    address = client_address(request) or "unknown"
    for slot in range(settings.REFERRAL_SUBMISSIONS_PER_HOUR):
        if cache.add(f"referrals:sent-from:{address}:{slot}", 1, WINDOW_SECONDS):
            return True
    return False
