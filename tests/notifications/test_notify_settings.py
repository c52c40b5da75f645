"""Notify's settings fail loudly when they cannot work."""

from tests.test_settings import run_manage


def test_a_notify_key_without_a_template_id_stops_the_app_starting():
    result = run_manage("check", DEBUG="true", NOTIFY_API_KEY="dsr-" + "0" * 73)
    assert result.returncode != 0
    assert "NOTIFY_EMAIL_TEMPLATE_ID must be set when NOTIFY_API_KEY is" in result.stderr


def test_without_a_notify_key_the_app_starts_and_keeps_messages_in_the_outbox():
    result = run_manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr
