"""A local stand-in for GOV.UK Notify's email API, for tests and for trying Notify without an account.

It speaks the part of the Notify API the official client uses to send an email and to look one up:
POST /v2/notifications/email and GET /v2/notifications?reference=..., with a JSON Web Token in the
Authorization header, checked the way Notify checks it (HS256, signed with the key's secret, `iss` =
the service id, `iat` within 30 seconds), answering 201 (or 200) with Notify's response, or Notify's
errors: 400 for a bad request, 403 for a bad token. `fail_next()` makes the next requests fail (500,
429…) to exercise retries; `delay_answers()` makes it accept an email and then keep the sender
waiting, as a slow network or a sender that dies mid-send would see it.

Run it on its own with `python -m dsr.notifications.notify_standin` (see docs/operations.md).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

from dsr.loopback import LoopbackServer

EMAIL_PATH = "/v2/notifications/email"
LIST_PATH = "/v2/notifications"
# Notify allows this many seconds between a token's `iat` and the clock.
TOKEN_LEEWAY = 30
ERROR_NAMES = {
    400: "BadRequestError",
    403: "AuthError",
    429: "RateLimitError",
    500: "Exception",
    503: "Exception",
}


@dataclass
class Received:
    """One email the stand-in accepted."""

    id: str
    email_address: str
    template_id: str
    personalisation: dict[str, Any]
    reference: str | None
    email_reply_to_id: str | None
    token_claims: dict[str, Any]


@dataclass
class NotifyStandIn(LoopbackServer):
    """A Notify service with one email template of ((subject)) and ((body)), on 127.0.0.1."""

    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    template_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    port: int = 0
    received: list[Received] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)  # status codes of requests it did not accept
    _failures: list[int] = field(default_factory=list)
    _delay: float = 0.0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_key(self) -> str:
        """A key in Notify's format: name-<service id>-<secret>."""
        return f"dsr-standin-{self.service_id}-{self.secret}"

    def fail_next(self, status: int = 500, times: int = 1) -> None:
        """Answer the next `times` requests with this error status, before checking them."""
        with self._lock:
            self._failures.extend([status] * times)

    def delay_answers(self, seconds: float) -> None:
        """From now on, record each email it accepts at once but answer the sender `seconds` later."""
        self._delay = seconds

    def sent_with_reference(self, reference: str) -> list[Received]:
        with self._lock:
            return [email for email in self.received if email.reference == reference]

    def _take_failure(self) -> int | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def _check_token(self, header: str) -> dict[str, Any]:
        """The token's claims; raises _Refused(403) unless Notify would accept it."""
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token:
            raise _Refused(403, "Unauthorized: authentication token must be provided")
        try:
            claims = jwt.decode(
                token,
                key=self.secret,
                algorithms=["HS256"],
                options={"require": ["iss", "iat"], "verify_iat": False},
            )
        except jwt.InvalidTokenError as error:
            raise _Refused(403, f"Invalid token: {type(error).__name__}") from error
        if claims["iss"] != self.service_id:
            raise _Refused(403, "Invalid token: service not found")
        if abs(time.time() - int(claims["iat"])) > TOKEN_LEEWAY:
            raise _Refused(403, "Error: Your system clock must be accurate to within 30 seconds")
        return claims

    def _accept(self, payload: Any, claims: dict[str, Any]) -> dict[str, Any]:
        """Notify's 201 answer for a valid request; raises _Refused(400) for an invalid one."""
        if not isinstance(payload, dict):
            raise _Refused(400, "Request body must be a JSON object")
        address = payload.get("email_address")
        if not isinstance(address, str) or "@" not in address.strip("@"):
            raise _Refused(400, "email_address Not a valid email address")
        if payload.get("template_id") != self.template_id:
            raise _Refused(400, "template_id is not a valid UUID or is not a template of this service")
        personalisation = payload.get("personalisation") or {}
        missing = [name for name in ("subject", "body") if not personalisation.get(name)]
        if missing:
            raise _Refused(400, f"Missing personalisation: {', '.join(missing)}")
        received = Received(
            id=str(uuid.uuid4()),
            email_address=address,
            template_id=self.template_id,
            personalisation=personalisation,
            reference=payload.get("reference"),
            email_reply_to_id=payload.get("email_reply_to_id"),
            token_claims=claims,
        )
        with self._lock:
            self.received.append(received)
        return {
            "id": received.id,
            "reference": received.reference,
            "content": {
                "subject": personalisation["subject"],
                "body": personalisation["body"],
                "from_email": "dynamic.support.register@notifications.service.gov.uk",
                "one_click_unsubscribe_url": None,
            },
            "uri": f"{self.url}/v2/notifications/{received.id}",
            "template": {
                "id": self.template_id,
                "version": 1,
                "uri": f"{self.url}/v2/template/{self.template_id}",
            },
            "scheduled_for": None,
        }


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class _Handler(BaseHTTPRequestHandler):
    standin: NotifyStandIn

    def do_GET(self) -> None:
        """Notify's "get all notifications", filtered by reference as the client asks."""
        try:
            url = urlsplit(self.path)
            if url.path != LIST_PATH:
                raise _Refused(404, "Resource not found")
            failure = self.standin._take_failure()
            if failure is not None:
                raise _Refused(failure, "Internal server error" if failure >= 500 else "Exceeded rate limit")
            self.standin._check_token(self.headers.get("Authorization", ""))
            reference = parse_qs(url.query).get("reference", [None])[0]
            with self.standin._lock:
                found = [e for e in self.standin.received if reference is None or e.reference == reference]
            notifications = [
                {
                    "id": email.id,
                    "reference": email.reference,
                    "email_address": email.email_address,
                    "type": "email",
                    "status": "delivered",
                    "template": {"id": email.template_id, "version": 1, "uri": ""},
                    "subject": email.personalisation.get("subject"),
                    "body": email.personalisation.get("body"),
                }
                for email in reversed(found)
            ]
            links = {"current": f"{self.standin.url}{self.path}"}
            self._answer(200, {"notifications": notifications, "links": links})
        except _Refused as refusal:
            self._refuse(refusal)

    def do_POST(self) -> None:
        try:
            if self.path != EMAIL_PATH:
                raise _Refused(404, "Resource not found")
            failure = self.standin._take_failure()
            if failure is not None:
                raise _Refused(failure, "Internal server error" if failure >= 500 else "Exceeded rate limit")
            claims = self.standin._check_token(self.headers.get("Authorization", ""))
            length = int(self.headers.get("Content-Length") or 0)
            try:
                payload = json.loads(self.rfile.read(length) or b"null")
            except ValueError as error:
                raise _Refused(400, "Invalid JSON supplied in POST data") from error
            accepted = self.standin._accept(payload, claims)
            if self.standin._delay:
                time.sleep(self.standin._delay)
            self._answer(201, accepted)
        except _Refused as refusal:
            self._refuse(refusal)

    def _refuse(self, refusal: _Refused) -> None:
        with self.standin._lock:
            self.standin.refused.append(refusal.status)
        error = {"error": ERROR_NAMES.get(refusal.status, "Exception"), "message": refusal.message}
        self._answer(refusal.status, {"status_code": refusal.status, "errors": [error]})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender stopped waiting (or stopped altogether): Notify keeps the email all the same

    def log_message(self, format: str, *args: Any) -> None:
        pass


NotifyStandIn.handler = _Handler
NotifyStandIn.thread_name = "notify-standin"


def main() -> None:
    """Serve on a fixed port and print the settings that point the app at it."""
    import argparse

    parser = argparse.ArgumentParser(description="A local stand-in for GOV.UK Notify's email API")
    parser.add_argument("--port", type=int, default=8025)
    port = parser.parse_args().port
    standin = NotifyStandIn(port=port).start()
    print("GOV.UK Notify stand-in listening. Start the app and its worker with:")
    print(f"  export NOTIFY_BASE_URL={standin.url}")
    print(f"  export NOTIFY_API_KEY={standin.api_key}")
    print(f"  export NOTIFY_EMAIL_TEMPLATE_ID={standin.template_id}")
    seen = 0
    try:
        while True:
            time.sleep(1)
            for email in standin.received[seen:]:
                print(f"Email {email.id} to {email.email_address}: {email.personalisation['subject']}")
            seen = len(standin.received)
    except KeyboardInterrupt:
        standin.stop()


if __name__ == "__main__":
    main()
