"""`make bench`: build the national data set on PostgreSQL and time the register's pages and commands on it.

Each size gets a database of its own beside the one DATABASE_URL names (dsr_bench_1000 and so on), built
once and kept for the next run; the database DATABASE_URL names is never touched.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from io import StringIO
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from psycopg import sql

from dsr.bench import dataset, measure, report
from dsr.reviews.services import due_dates_left_to_work_out

RESULTS = Path("var/bench")


class Command(BaseCommand):
    help = (
        "Build a synthetic national data set on PostgreSQL (a database of its own for each size) and time "
        "the register's pages and commands on it, beside hand-written SQL for the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people",
            default="1000,10000,100000",
            help="The sizes to measure, as numbers of people separated by commas (default 1000,10000,100000)",
        )
        parser.add_argument("--runs", type=int, default=9, help="Timed runs of each operation (default 9)")
        parser.add_argument("--rebuild", action="store_true", help="Build the data sets again even if kept")
        parser.add_argument(
            "--build-only", action="store_true", help="Build (or keep) the data sets and time nothing"
        )

    def handle(self, *args, people: str, runs: int, rebuild: bool, build_only: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL to a PostgreSQL server.")
        try:
            sizes = [int(size.replace("_", "")) for size in people.split(",") if size.strip()]
        except ValueError as error:
            raise CommandError(f"--people takes numbers separated by commas, not {people!r}") from error
        if not sizes or min(sizes) < 100:
            raise CommandError("Each size must be at least 100 people.")
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        # One log line a request would bury the table: the benchmark makes thousands.
        for noisy in ("dsr.requests", "axes"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        timings: list[measure.Timing] = []
        for size in sizes:
            made = self._data_set(size, rebuild=rebuild)
            if not build_only:
                self.stdout.write(f"Timing at {size:,} people, {runs} runs each:")
                timings += measure.measure(made, runs=runs, log=self.stdout.write)
            self._switch(None)
        if timings:
            self._write(timings, runs)

    def _data_set(self, size: int, *, rebuild: bool) -> dataset.Made:
        name = database_name(size)
        kept = RESULTS / f"dataset-{size}.json"
        exists = self._exists(name)
        if exists and not rebuild:
            self._switch(name)
            made = dataset.load(kept)
            if made is not None:
                call_command("migrate", verbosity=0)  # indexes added since it was built
                _work_out_due_dates()
                self.stdout.write(f"Using the kept data set of {size:,} people in database {name}.")
                return made
        self.stdout.write(f"Building the data set of {size:,} people in database {name}:")
        started = time.monotonic()
        self._switch(None)
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self._switch(name)
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            # Millions of rows in one COPY take longer than a page may (STATEMENT_TIMEOUT).
            cursor.execute("SET statement_timeout = 0")
        made = dataset.build(size, log=self.stdout.write)
        _work_out_due_dates()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        dataset.save(made, kept)
        self.stdout.write(f"  built in {time.monotonic() - started:.0f} s")
        return made

    def _switch(self, name: str | None) -> None:
        """Point the default connection at a bench database (None: back to DATABASE_URL's)."""
        connections.close_all()
        if not hasattr(self, "_own_name"):
            self._own_name = settings.DATABASES["default"]["NAME"]
        connection.settings_dict["NAME"] = name or self._own_name

    def _conninfo(self) -> dict:
        own = connection.settings_dict
        return {
            "dbname": self._own_name,
            "user": own.get("USER") or None,
            "password": own.get("PASSWORD") or None,
            "host": own.get("HOST") or None,
            "port": own.get("PORT") or None,
        }

    def _exists(self, name: str) -> bool:
        self._switch(None)
        with psycopg.connect(**{k: v for k, v in self._conninfo().items() if v is not None}) as admin:
            return (
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
            )

    def _admin(self, statement: sql.Composed) -> None:
        with psycopg.connect(
            **{k: v for k, v in self._conninfo().items() if v is not None}, autocommit=True
        ) as admin:
            admin.execute(statement)

    def _write(self, timings: list[measure.Timing], runs: int) -> None:
        stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
        heading = f"Benchmark of {stamp} ({runs} runs each; times are the server's)"
        text = report.table(timings, heading)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"bench-{stamp}.md").write_text(text)
        (RESULTS / f"bench-{stamp}.json").write_text(json.dumps([t.as_dict() for t in timings], indent=1))
        (RESULTS / "latest.md").write_text(text)
        self.stdout.write("")
        self.stdout.write(text)
        self.stdout.write(f"Written to {RESULTS / f'bench-{stamp}.md'} and .json")


def _work_out_due_dates() -> None:
    """As an operator does after upgrading, and the nightly run does: work out when something next falls due
    for everyone whose due date is not yet worked out (all of a new data set)."""
    if due_dates_left_to_work_out():
        call_command("refresh_due_dates", stdout=StringIO())


def database_name(size: int) -> str:
    return f"dsr_bench_{size}"
