"""Gunicorn's settings for the register: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be changed from the environment (docs/configuration.md). A graceful restart, for a
new release or new settings, is `kill -HUP <master pid>`: new workers start before the old ones
finish the requests they hold.
"""

import gc
import os
import sys
from pathlib import Path

# Gunicorn reads this file before it puts the project on the path; its logging setup needs it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.env import env_int  # noqa: E402

wsgi_app = "config.wsgi:application"
bind = [f"0.0.0.0:{env_int('PORT', 8000)}"]

# Synchronous workers: each handles one request at a time. Two per core suits a page that waits on
# the database for part of its time.
workers = env_int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))
# A request still running after this many seconds is ended and its worker replaced; longer than the
# database's statement timeout, so the database gives up first and the page says nothing was saved.
timeout = env_int("GUNICORN_TIMEOUT", 60)
# On restart or shutdown, a worker has this long to finish the request it is handling.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Workers are replaced after a while, so a slow leak never grows without bound.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn's advice)


def post_worker_init(worker) -> None:
    """Once a worker has loaded the app, keep everything loaded so far out of the garbage collector's full
    collections: otherwise every few requests one of them walks all of Django and the app again, tens of
    milliseconds added to a page (docs/performance.md)."""
    gc.freeze()


# Several instances may run on one host: signals, not a shared control socket, manage each.
control_socket_disable = True

# No access log: it would record each address with its query string, where a search can name
# someone. The app logs each request as a JSON line with its route name instead (dsr.operations.logs).
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "dsr.operations.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
