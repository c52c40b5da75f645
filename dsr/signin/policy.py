"""Who must sign in with a second factor: everyone whose role shows identifiable data.

That is every role but the analyst's (aggregate figures only), and every administrator. A user with
no membership sees nothing, and is asked for a second factor as soon as they are given a role that
needs one. In a demonstration (DEMO_MODE) the demo's own users are let off, so the demo stays two
commands; `check --deploy` refuses DEMO_MODE.
"""

from django.conf import settings

from dsr.registers.models import Membership
from dsr.registers.personas import PERSONAS
from dsr.registers.policy import IDENTIFIABLE_ROLES

DEMO_USERNAMES = {persona.username for persona in PERSONAS}


def needs_second_factor(user) -> bool:
    """Whether this user may only use the register once they sign in with a second factor."""
    if user.is_staff or user.is_superuser:
        return True
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return bool(roles & IDENTIFIABLE_ROLES)


def excused_in_demo(user) -> bool:
    """A demo user in a demonstration, who may skip the second factor."""
    return settings.DEMO_MODE and user.username in DEMO_USERNAMES
