"""A deployment for the tests that need real processes: gunicorn instances and background workers
serving one PostgreSQL database with the production settings, as docs/configuration.md deploys it.

PostgreSQL is the production database, and several processes cannot share SQLite's in-memory test
database, so these tests always use the PostgreSQL server at TEST_POSTGRES_URL (by default the one
these machines run at 127.0.0.1:5432), in a database of their own, whichever database the rest of the
suite runs on.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pyotp
import requests

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/test"
PASSWORD = "dsr-demo"  # every demo user's


def postgres_server_url() -> str:
    configured = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    return configured if configured.startswith("postgres") else DEFAULT_SERVER


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Process:
    popen: subprocess.Popen
    log: Path
    url: str = ""

    def kill(self) -> None:
        """Stop at once, as a crash or an out-of-memory kill would: no chance to tidy up."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Deployment:
    """One database, the static files collected once, and the processes a test starts on them."""

    database_url: str
    static_root: Path
    workdir: Path
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    audit_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    processes: list[Process] = field(default_factory=list)
    # Each demo user's authenticator app key, once a visitor has set one up for them.
    authenticator_apps: dict[str, str] = field(default_factory=dict)

    def env(self, **extra: Any) -> dict[str, str]:
        """The production environment, with only the HTTPS-only settings off (plain HTTP on 127.0.0.1),
        as `make run` serves; every instance shares the secret and audit keys, the database, the documents
        and the audit checkpoints. The tests stand where a load balancer would: a visitor's address is what
        they put in X-Forwarded-For."""
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PYTEST", "NOTIFY_"))
            and key not in {"DEBUG", "DATABASE_URL", "SECRET_KEY", "REDIS_URL", "TRUSTED_PROXY_COUNT"}
        }
        return {
            **inherited,
            "SECRET_KEY": self.secret_key,
            "AUDIT_KEY": self.audit_key,
            "DATABASE_URL": self.database_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(self.static_root),
            "DOCUMENTS_ROOT": str(self.workdir / "documents"),
            "AUDIT_CHECKPOINTS": "file",
            "AUDIT_CHECKPOINT_DIR": str(self.workdir / "audit_checkpoints"),
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "WORKER_HEARTBEAT_SECONDS": "1",
            "TRUSTED_PROXY_COUNT": "1",
            "PYTHONUNBUFFERED": "1",
            **{key: str(value) for key, value in extra.items()},
        }

    def manage(self, *args: str, **env: Any) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def _start(self, name: str, command: list[str], **env: Any) -> Process:
        log = self.workdir / f"{name}-{len(self.processes)}.log"
        popen = subprocess.Popen(  # noqa: S603 (our own commands)
            command, cwd=ROOT, env=self.env(**env), stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        process = Process(popen=popen, log=log)
        self.processes.append(process)
        return process

    def start_web(self, *, workers: int = 1, **env: Any) -> Process:
        """A gunicorn instance with the repository's configuration, answering once it is up."""
        port = free_port()
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ]
        process = self._start("web", command, **env)
        process.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.popen.poll() is None, process.output()
            try:
                requests.get(f"{process.url}/healthz", timeout=5)
                return process
            except requests.ConnectionError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start:\n{process.output()}")

    def start_worker(self, **env: Any) -> Process:
        """`manage.py db_worker`, as a deployment runs it beside each instance."""
        command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"]
        return self._start("worker", command, **env)

    def stop_all(self) -> None:
        for process in self.processes:
            process.stop()
        self.processes.clear()

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def one(self, sql: str, params: tuple = ()) -> Any:
        (row,) = self.query(sql, params)
        return row[0]


def create_database(server_url: str, name: str) -> str:
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return re.sub(r"/[^/]*$", f"/{name}", server_url)


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Visitor:
    """Someone using the register from a browser of their own: cookies, and the CSRF token each form
    page carries. `forwarded_for` is the address a trusted proxy would put in X-Forwarded-For."""

    def __init__(self, base_url: str, forwarded_for: str | None = None):
        self.base_url = base_url
        self.http = requests.Session()
        if forwarded_for:
            self.http.headers["X-Forwarded-For"] = forwarded_for

    def at(self, base_url: str) -> Visitor:
        """The same browser (same cookies) talking to another instance behind the load balancer."""
        other = Visitor(base_url)
        other.http = self.http
        return other

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(self.base_url + path, timeout=30, **kwargs)

    def submit(self, path: str, data: dict[str, Any], **kwargs: Any) -> requests.Response:
        """Open the form page and send it, with the tokens the page was rendered with."""
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        return self.send(page, path, data, **kwargs)

    def send(
        self, page: requests.Response, path: str, data: dict[str, Any], **kwargs: Any
    ) -> requests.Response:
        """Send the form on a page already open, with the tokens it was rendered with."""
        tokens = dict(re.findall(r'name="(csrfmiddlewaretoken|submission_token)" value="([^"]+)"', page.text))
        headers = {"Referer": self.base_url + path}
        return self.http.post(
            self.base_url + path, data={**tokens, **data}, headers=headers, timeout=30, **kwargs
        )

    def sign_in(self, username: str, deployment: Deployment) -> None:
        """Sign in with the password and a code from the user's authenticator app, setting the app up
        the first time (every demo user must, without DEMO_MODE)."""
        answer = self.submit("/sign-in/", {"login": username, "password": PASSWORD})
        if "Enter your security code" in answer.text:
            app = pyotp.TOTP(deployment.authenticator_apps[username])
            # A code counts once; the app's next code is accepted too, as a slow phone's would be.
            for at in (time.time(), time.time() + app.interval):
                answer = self.submit("/account/security/authenticate/", {"code": app.at(at)})
                if "Sign out" in answer.text and "Enter your security code" not in answer.text:
                    return
            raise AssertionError(answer.text[:2000])
        assert "How you sign in" in answer.text, answer.text[:2000]
        # The set-up page makes a new key each time it is opened: use the one on the page sent.
        page = self.get("/account/security/totp/activate/")
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
        done = self.send(page, "/account/security/totp/activate/", {"code": pyotp.TOTP(secret).now()})
        assert "Your recovery codes" in done.text, done.text[:2000]
        deployment.authenticator_apps[username] = secret
