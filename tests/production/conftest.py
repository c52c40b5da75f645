"""The production path: static files collected into the manifest and served by WhiteNoise, DEBUG
off, as `make run` and a deployment serve them. Most other tests use plain static storage, which never
fails on a missing file; these do not."""

import os

import pytest
from django.core.management import call_command
from django.test import override_settings

from dsr.notifications.notify_standin import NotifyStandIn
from tests.production.deployment import Deployment, create_database, drop_database, postgres_server_url

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """`collectstatic` run once, as a deployment runs it, into a directory of its own."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST_STORAGE):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture
def production_settings(collected_static, settings):
    """The settings a deployment serves with (only HTTPS is left to the proxy in front)."""
    settings.DEBUG = False
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = MANIFEST_STORAGE
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return settings


@pytest.fixture(scope="session")
def deployment(collected_static, tmp_path_factory):
    """A PostgreSQL database of its own, migrated and loaded with the demo data by the production
    commands, for the processes the tests start (tests/production/deployment.py)."""
    server = postgres_server_url()
    name = f"dsr_deployment_{os.getpid()}"
    deployed = Deployment(
        database_url=create_database(server, name),
        static_root=collected_static,
        workdir=tmp_path_factory.mktemp("deployment"),
    )
    try:
        deployed.manage("migrate", "--noinput", "--verbosity", "0")
        deployed.manage("seed_demo", "--people", "12")
        yield deployed
    finally:
        deployed.stop_all()
        drop_database(server, name)


@pytest.fixture
def processes(deployment):
    """The deployment, with every process a test starts stopped at its end."""
    yield deployment
    deployment.stop_all()


@pytest.fixture
def notify():
    """GOV.UK Notify's stand-in, and the settings that point an instance or worker at it."""
    with NotifyStandIn() as standin:
        standin.settings = {
            "NOTIFY_API_KEY": standin.api_key,
            "NOTIFY_BASE_URL": standin.url,
            "NOTIFY_EMAIL_TEMPLATE_ID": standin.template_id,
        }
        yield standin
