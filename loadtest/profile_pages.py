"""Where a request's time goes, for each page the load test asks for most.

Each page is requested in process through the whole stack, on a bench database, as a bench account signed
in through the real sign-in pages (dsr.bench.measure). For each: its median time, its queries and their
time, and a profile of five requests summed into the parts of the stack that cost the most.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dsr_bench_10000 <the Makefile's LOCAL_HTTP settings> \\
        .venv/bin/python loadtest/profile_pages.py

The parts overlap (sealing the audit events happens inside the commit; both inside the view), so their
shares add up to more than the whole.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dsr.bench.measure import signed_in  # noqa: E402

RUNS = 9
# A part of the stack: the function (file, name) whose cumulative time it is.
PARTS = {
    "rendering the templates": ("django/template/backends/jinja2.py", "render"),
    "  of which NHS.UK table macros": ("nhsuk/components/tables/macro.jinja", "macro"),
    "  of which NHS.UK radios macros": ("nhsuk/components/radios/macro.jinja", "macro"),
    "  of which NHS.UK summary list macros": ("nhsuk/components/summary-list/macro.jinja", "macro"),
    "running SQL (round trips included)": ("django/db/backends/utils.py", "_execute"),
    "building SQL from querysets": ("django/db/models/sql/compiler.py", "as_sql"),
    "committing the request's transaction": ("django/db/transaction.py", "__exit__"),
    "  of which sealing audit events into the chain": ("dsr/audit/chain.py", "seal_events"),
    "writing audit events": ("dsr/audit/__init__.py", "_write"),
    "the user's scope (registers, memberships)": ("dsr/access.py", "scope_for"),
    "loading the session": ("django/contrib/sessions/backends/db.py", "load"),
    "saving the session": ("django/contrib/sessions/backends/db.py", "save"),
}


def profile(client: Client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = captured.captured_queries
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    whole = stats.total_tt
    print(
        f"\n{path}: median {statistics.median(times) * 1000:.0f} ms; {len(queries)} queries, "
        f"{sum(float(q['time']) for q in queries) * 1000:.0f} ms in SQL; {len(response.content) // 1024} KB"
    )
    spent = dict.fromkeys(PARTS, 0.0)
    for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items():
        for part, (where, function) in PARTS.items():
            if filename.endswith(where) and name == function:
                spent[part] += cumulative
    for part, seconds in spent.items():
        if seconds:
            print(f"  {part:50} {seconds / whole * 100:3.0f}%")


def main() -> None:
    coordinator, keyworker, ig = (
        signed_in(name) for name in ("r01-coordinator-2", "r01-keyworker-2", "r01-ig-1")
    )
    listed = coordinator.get("/people/").content.decode()
    person = re.findall(r'href="/people/([0-9a-f-]{36})/"', listed)[0]
    profile(coordinator, "/people/")
    profile(coordinator, f"/people/{person}/")
    profile(coordinator, f"/people/{person}/rating/")
    profile(keyworker, "/caseload/")
    profile(ig, "/governance/audit/")
    profile(Client(HTTP_HOST="127.0.0.1"), "/refer/form/")


if __name__ == "__main__":
    main()
