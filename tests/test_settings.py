"""Configuration comes from the environment, with safe production defaults."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_check_without_a_warning():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="dsr.example.nhs.uk",
        DEBUG="false",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_debug_a_secret_key_is_required():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_without_debug_an_audit_key_is_required():
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(50), AUDIT_KEY="", DEBUG="false")
    assert result.returncode != 0
    assert "AUDIT_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    "audit_key", ["too-short", "the-secret-key-" + "x" * 40], ids=["short", "secret key"]
)
def test_an_audit_key_that_is_short_or_is_the_secret_key_is_refused(audit_key):
    result = run_manage("check", SECRET_KEY="the-secret-key-" + "x" * 40, AUDIT_KEY=audit_key, DEBUG="false")
    assert result.returncode != 0
    assert "AUDIT_KEY must be at least 32 characters, and not the same as SECRET_KEY" in result.stderr


def test_a_nonsense_boolean_fails_loudly():
    result = run_manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_every_environment_variable_the_settings_read_is_documented():
    code = (ROOT / "config" / "settings.py").read_text() + (ROOT / "config" / "gunicorn.conf.py").read_text()
    read = set(re.findall(r"""env_(?:str|bool|int|list)\(\s*["']([A-Z_]+)["']""", code))
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "configuration.md").read_text(), re.M)
    )
    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "PORT"} <= read
    assert read == documented


@pytest.mark.parametrize("name", ["DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "PORT"])
def test_the_readme_or_docs_name_the_basic_variables(name):
    assert name in (ROOT / "docs" / "configuration.md").read_text()
