"""`make loadtest` (`python -m loadtest.run`): the bench data set served as production serves it, under
load from Locust, then checked.

1. The data set of --people people is built, or the kept one used (`manage.py bench --build-only`).
2. gunicorn serves it with config/gunicorn.conf.py and DEBUG off, on a free port from 8100.
3. Locust's simulated coordinators, keyworkers, IG officers and members of the public
   (loadtest/locustfile.py) use it for --run-time.
4. The checks: no request failed; every page that showed someone's record wrote its audit event (the counts
   the locustfile kept, kind by kind, against the events in the audit trail from the run's accounts and
   time), every one of them sealed into the chain as the request committed; and `verify_audit` finds the
   trail intact.

The report goes to var/bench/loadtest-<time>.md, with Locust's figures (-results.json) and the server's
log beside it. Exits non-zero when a check fails. Needs the environment `make` gives the service
(SECRET_KEY; AUDIT_KEY, the audit key that sealed the data set) and DATABASE_URL naming the PostgreSQL
server the bench databases sit beside.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from loadtest.cpu import Cpu

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent
# A page that shows people, and the audit event it writes ("action record_type"); the forms each write the
# record they make. Locust's name for the request that leads to each.
AUDITED = {
    "view person_record": "person page",
    "list register_list": "register list",
    "list caseload": "caseload",
    "list audit_trail": "audit trail",
    "view change_rating": "rating form",
    "view log_contact": "contact form",
    "create riskrating": "rating: save",
    "create contactlog": "contact: save",
    "create referral": "referral: send",
}
# Pages that write their event only when they show someone (an empty caseload names no one).
WHEN_SHOWING = {"list register_list", "list caseload", "list audit_trail"}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=10_000, help="The data set's size (default 10000)")
    parser.add_argument("--users", type=int, default=30, help="Simulated users (default 30)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="Users started a second (default 5)")
    parser.add_argument("--run-time", default="60s", help="How long the load lasts (default 60s)")
    parser.add_argument("--port", type=int, default=8100, help="The first port to try (default 8100)")
    options = parser.parse_args()

    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    prefix = RESULTS / f"loadtest-{stamp}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    own_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"
    _data_set(own_url, options.people)
    dataset = RESULTS / f"dataset-{options.people}.json"
    database = f"dsr_bench_{options.people}"
    url = urlunsplit(urlsplit(own_url)._replace(path=f"/{database}"))
    port = _free_port(options.port)
    host = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "PORT": str(port),
        "SERVICE_URL": host,
        # The public form's members of the public each name their address as a load balancer would
        # (loadtest/locustfile.py, PublicReferrer).
        "TRUSTED_PROXY_COUNT": "1",
        "AUDIT_CHECKPOINT_DIR": str(_checkpoints(database, dataset)),
    }

    results_file = prefix.with_name(prefix.name + "-results.json")
    server = _serve(env, host, prefix.with_name(prefix.name + "-server.log"))
    started = _now(url)
    cpu = Cpu(server.pid, database)
    locust = None
    try:
        locust = subprocess.Popen(  # noqa: S603 (our own command line)
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "loadtest" / "locustfile.py"),
                "--headless",
                "--users",
                str(options.users),
                "--spawn-rate",
                str(options.spawn_rate),
                "--run-time",
                options.run_time,
                "--stop-timeout",
                "60",
                "--host",
                host,
                "--only-summary",
            ],
            env={**env, "LOADTEST_DATASET": str(dataset), "LOADTEST_RESULTS": str(results_file)},
            cwd=ROOT,
        )
        while locust.poll() is None:
            cpu.sample()
            time.sleep(1)
    finally:
        if locust is not None and locust.poll() is None:
            locust.terminate()
            locust.wait()
        finished = _now(url)
        cpu.locust_done()
        _stop(server)
        cpu.server_done()

    results = json.loads(results_file.read_text())
    events, unsealed = _audit_events(url, results["accounts"], started, finished)
    verified = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "verify_audit", "--since-checkpoint"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report, passed = _report(
        Run(
            options=options,
            database=database,
            results=results,
            events=events,
            unsealed=unsealed,
            verified=verified,
            locust_exit=locust.returncode,
            cpu=cpu,
        )
    )
    Path(f"{prefix}.md").write_text(report)
    print(report)
    print(f"Written to {prefix}.md")
    return 0 if passed else 1


def _data_set(own_url: str, people: int) -> None:
    """Build the data set, or keep the one built before. Its COPY of the audit trail streams for longer than
    the pages' statement timeout, which is for pages, so the build runs without one."""
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "bench", "--people", str(people), "--build-only"],
        env={**os.environ, "DATABASE_URL": own_url, "DATABASE_STATEMENT_TIMEOUT_MS": "0"},
        cwd=ROOT,
        check=True,
    )


def _free_port(first: int) -> int:
    for port in range(first, first + 50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit(f"No free port from {first} to {first + 49}")


def _checkpoints(database: str, dataset: Path) -> Path:
    """A checkpoint folder of this data set's own, starting from the checkpoint the data set was built with,
    so `verify_audit` compares the chain with checkpoints of this chain and no other."""
    checkpoint = json.loads(dataset.read_text())["checkpoint"]
    folder = RESULTS / "audit-checkpoints" / f"{database}-{checkpoint['hash'][:12]}"
    if not any(folder.glob("*.json")):
        folder.mkdir(parents=True, exist_ok=True)
        at = datetime.datetime.fromisoformat(checkpoint["at"])
        (folder / f"{at:%Y%m%dT%H%M%S%fZ}-{checkpoint['position']}-built.json").write_text(
            json.dumps(checkpoint) + "\n"
        )
    return folder


def _serve(env: dict[str, str], host: str, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "--bind", urlsplit(host).netloc],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}): see {log}")
        try:
            with urllib.request.urlopen(f"{host}/sign-in/", timeout=5) as response:  # noqa: S310 (our server)
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    _stop(server)
    raise SystemExit(f"gunicorn did not answer within a minute: see {log}")


def _stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _now(url: str) -> datetime.datetime:
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT now()").fetchone()[0]


def _audit_events(
    url: str, accounts: list[str], started: datetime.datetime, finished: datetime.datetime
) -> tuple[dict[str, int], int]:
    """The audit events the run's accounts (and the public form) wrote while it ran, by kind; and how many of
    them are not yet sealed into the chain."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            """SELECT action || ' ' || record_type, count(*), count(*) FILTER (WHERE chain_position IS NULL)
            FROM governance_auditevent
            WHERE at BETWEEN %s AND %s AND (username = ANY(%s) OR (username = '' AND path LIKE '/refer/%%'))
            GROUP BY 1""",
            [started, finished, accounts],
        ).fetchall()
    return {kind: count for kind, count, _ in rows}, sum(unsealed for _, _, unsealed in rows)


@dataclass
class Run:
    """What a run did and what the checks found, for the report."""

    options: argparse.Namespace
    database: str
    results: dict
    events: dict[str, int]
    unsealed: int
    verified: subprocess.CompletedProcess
    locust_exit: int
    cpu: Cpu


def _report(run: Run) -> tuple[str, bool]:
    """The report in Markdown, and whether every check passed."""
    total, failed, exceptions = run.results["total"], run.results["failures"], run.results["exceptions"]
    requests = {entry["name"]: entry for entry in run.results["requests"]}
    failures = total["num_failures"]
    workers = os.environ.get("WEB_CONCURRENCY") or f"{2 * (os.cpu_count() or 1)} (two a core)"
    rate = run.results["steady_rps"]
    steady = f", {rate:.1f} a second from the last sign-in until the end" if rate else ""
    load = " ".join(f"{n:.1f}" for n in os.getloadavg())
    per_request = run.cpu.server * 1000 / max(1, total["num_requests"])
    sign_ins = requests.get("sign in: password", {}).get("num_requests", 0)
    think = os.environ.get("LOADTEST_THINK_SECONDS", "1")
    cores = os.cpu_count() or 1
    lines = [
        f"# Load test of {datetime.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"{run.options.users} simulated users (started {run.options.spawn_rate:g} a second, pausing up to "
        f"{think} s between pages) for {run.options.run_time} on {run.database}; gunicorn with {workers} "
        f"workers on {cores} cores, Locust on the same machine. Load average at the end: {load}.",
        "",
        f"- Requests: {total['num_requests']}, {total['total_rps']:.1f} a second over the whole run{steady}",
        f"- Every request: median {total['median_response_time']:.0f} ms, "
        f"95th percentile {total['response_time_percentile_0.95']:.0f} ms",
        f"- Failed requests: {failures}; errors raised in the simulated users: {len(exceptions)}",
        f"- Processor time in core-seconds over {run.cpu.wall:.0f} s: gunicorn {run.cpu.server:.0f} "
        f"({per_request:.0f} ms a request, the {sign_ins} sign-ins' password checks included), "
        f"PostgreSQL {run.cpu.postgres:.0f} (serving {run.database}), Locust {run.cpu.locust:.0f}; "
        f"the whole machine was busy {run.cpu.machine_busy:.0f} of {run.cpu.wall * cores:.0f}",
        "",
        "| request | count | failed | req/s | median ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in [
        *sorted(requests.values(), key=lambda e: e["name"]),
        {**total, "method": "", "name": "all"},
    ]:
        lines.append(
            f"| {entry['method']} {entry['name']} | {entry['num_requests']} | {entry['num_failures']} | "
            f"{entry['total_rps']:.1f} | {entry['median_response_time']:.0f} | "
            f"{entry['response_time_percentile_0.95']:.0f} | {entry['max_response_time']:.0f} |"
        )
    if failed:
        lines += ["", "## Failed requests", ""]
        lines += [f"- {e['occurrences']} × {e['method']} {e['name']}: {e['error']}" for e in failed]
    if exceptions:
        lines += ["", "## Errors in the simulated users", ""]
        lines += [f"- {e['count']} × {e['message']}" for e in exceptions]

    lines += [
        "",
        "## Audit trail",
        "",
        "| kind | pages answered | should have written | written | |",
        "|---|---:|---:|---:|---|",
    ]
    audit_ok = True
    for kind, name in AUDITED.items():
        entry = requests.get(name, {})
        answered = entry.get("num_requests", 0) - entry.get("num_failures", 0)
        should, written = run.results["audit_events"].get(kind, 0), run.events.get(kind, 0)
        ok = should == written and (should <= answered if kind in WHEN_SHOWING else should == answered)
        audit_ok &= ok
        lines.append(
            f"| {kind} ({name}) | {answered} | {should} | {written} | {'ok' if ok else 'MISMATCH'} |"
        )
    others = ", ".join(f"{kind} {n}" for kind, n in sorted(run.events.items()) if kind not in AUDITED)
    lines += [
        "",
        f"Events of the run not yet sealed into the chain: {run.unsealed}.",
        f"Other events of the run: {others or 'none'}.",
        "",
        f"`verify_audit --since-checkpoint`: exit {run.verified.returncode}",
        "",
        "```",
        (run.verified.stdout + (run.verified.stderr if run.verified.returncode else "")).strip(),
        "```",
    ]
    checks = [
        ("no failed request", failures == 0 and not exceptions and run.locust_exit == 0),
        ("an audit event for every page that showed someone, and for every record saved", audit_ok),
        ("every event sealed as its request committed", run.unsealed == 0),
        ("verify_audit finds the trail intact", run.verified.returncode == 0),
    ]
    lines += ["", "## Checks", ""] + [f"- {'passed' if ok else 'FAILED'}: {what}" for what, ok in checks]
    return "\n".join(lines) + "\n", all(ok for _, ok in checks)


if __name__ == "__main__":
    sys.exit(main())
