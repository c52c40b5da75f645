import pytest
from django.core.management import call_command
from django.test import override_settings

from dsr.notifications import services
from dsr.notifications.notify_standin import NotifyStandIn


@pytest.fixture
def standin():
    """The Notify stand-in on a random local port, and the settings that send through it."""
    with (
        NotifyStandIn() as notify,
        override_settings(
            NOTIFY_API_KEY=notify.api_key,
            NOTIFY_BASE_URL=notify.url,
            NOTIFY_EMAIL_TEMPLATE_ID=notify.template_id,
        ),
    ):
        yield notify


def run_worker() -> None:
    """The real background worker, run until no task is ready (as `manage.py db_worker` runs it)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def tell_family(person, by=None, **personalisation):
    """The receipt message for the person's referral, to their family's address."""
    values = {
        "name": "Morgan Rivers",
        "person_name": person.full_name,
        "reference": "DSR-7KQ2",
        **personalisation,
    }
    return services.notify(
        template="referral_received",
        to_email="morgan.rivers@example.org",
        personalisation=values,
        register=person.register,
        person=person,
        by=by,
    )
