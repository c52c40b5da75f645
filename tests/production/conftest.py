"""The production path: static files collected into the manifest and served by WhiteNoise, DEBUG
off, as `make run` and a deployment serve them. Most other tests use plain static storage, which never
fails on a missing file; these do not."""

import pytest
from django.core.management import call_command
from django.test import override_settings

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
