"""Logs as JSON lines, one object per line, that say what happened without saying about whom.

Each line has the time, level, logger and message, and, during a request, the request id and the
signed-in user's id. Each request ends with one line: method, route name (never the path or its query
string, which can carry a name someone searched for), status and duration.

Only the register's own code, the task worker and gunicorn have their messages' values filled in;
every other library's message is logged as its template, without the values (Django's "Not Found: %s"
would otherwise log a path someone typed). An exception is logged as its type and the lines it passed
through, never its message, which can quote data (a database error quotes the row it refused).
"""

import contextvars
import datetime
import logging
import traceback
from typing import Any

from pythonjsonlogger.json import JsonFormatter as LibraryJsonFormatter

# The request being handled on this thread: its id and the signed-in user's id.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)

# Loggers whose messages are ours to vouch for: they log ids, counts and reasons, never personal data.
VOUCHED_FOR = ("dsr", "django_tasks", "django_tasks_db", "gunicorn.error")
# Extra fields a log call may add; anything else passed as `extra` (Django adds the whole request)
# is left out.
EXTRA_FIELDS = (
    "method",
    "route",
    "status",
    "duration_ms",
    "worker_id",
    "task_id",
    "error",
    "status_code",
)


class JsonFormatter(LibraryJsonFormatter):
    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict) -> None:
        log_data["time"] = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat()
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.getMessage() if _vouched_for(record.name) else str(record.msg)
        for name, var in (("request_id", request_id), ("user_id", user_id)):
            if (value := var.get()) is not None:
                log_data[name] = value
        for name in EXTRA_FIELDS:
            if name in record.__dict__:
                log_data[name] = record.__dict__[name]
        if "exc_info" in message_dict:
            log_data["exception"] = message_dict["exc_info"]

    def formatException(self, ei) -> dict[str, Any]:  # type: ignore[override]
        """The exception's type (and its causes' types) and where it passed, without its message."""
        _, error, tb = ei
        types = []
        cause = error
        while cause is not None and len(types) < 5:
            types.append(f"{type(cause).__module__}.{type(cause).__qualname__}")
            cause = cause.__cause__ or cause.__context__
        frames = [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(tb)]
        return {"types": types, "frames": frames[-20:]}


def _vouched_for(logger_name: str) -> bool:
    return any(logger_name == name or logger_name.startswith(name + ".") for name in VOUCHED_FOR)
