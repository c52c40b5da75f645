"""What the public pages say about each register: no person data, only what the register publishes."""

from django.db.models import QuerySet

from dsr.registers.models import Register


def published_registers() -> QuerySet[Register]:
    """The registers on the public referral form, with the organisations that run them (the controllers)."""
    return Register.objects.filter(published=True).prefetch_related("organisations").order_by("name")
