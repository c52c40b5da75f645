"""Where the machine's processor time went during a load test, from the operating system's accounts."""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


class Cpu:
    """Where the machine's processor time went during the run, in seconds of one core: Locust's, gunicorn's
    (its workers' included), that of the database server's connections to the bench database, and the
    whole machine's (other work on it included)."""

    def __init__(self, server: int, database: str):
        self._database = database
        processes = _processes()
        self._server_before = sum(p.seconds for p in processes if server in (p.pid, p.parent))
        self._postgres_before = {p.pid: p.seconds for p in processes if self._serves(p)}
        self._postgres = dict(self._postgres_before)
        self._machine = _machine_seconds()
        self._children = _children_seconds()
        self.locust = self.server = self.postgres = self.machine_busy = self.wall = 0.0

    def _serves(self, process: Process) -> bool:
        # PostgreSQL names each connection's process after its database: "postgres: ... dsr_bench_10000 ..."
        return process.title.startswith("postgres:") and f" {self._database} " in process.title

    def sample(self) -> None:
        """Note the database connections' time so far: gunicorn closes a connection after a minute
        (DATABASE_CONN_MAX_AGE), and the time of a process that has ended is no longer there to read."""
        self._postgres.update({p.pid: p.seconds for p in _processes() if self._serves(p)})

    def locust_done(self) -> None:
        """Once Locust has finished."""
        self.sample()
        busy, total = _machine_seconds()
        self.machine_busy = busy - self._machine[0]
        self.wall = (total - self._machine[1]) / (os.cpu_count() or 1)
        self.postgres = sum(
            seconds - self._postgres_before.get(pid, 0) for pid, seconds in self._postgres.items()
        )
        self.locust, self._children = _children_seconds() - self._children, _children_seconds()

    def server_done(self) -> None:
        """Once gunicorn has stopped: its time, less what it spent starting before the run."""
        self.server = _children_seconds() - self._children - self._server_before


def _children_seconds() -> float:
    """This script's ended children's processor time, with that of the children they waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _machine_seconds() -> tuple[float, float]:
    """Seconds of processor time the machine spent busy, and in all, since it started (every core)."""
    fields = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:8]]
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / TICKS, sum(fields) / TICKS


@dataclass(frozen=True)
class Process:
    pid: int
    parent: int
    title: str
    seconds: float  # processor time it used, and its children that have ended


def _processes() -> list[Process]:
    found = []
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            stat, title = (folder / "stat").read_text(), (folder / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = sum(int(n) for n in fields[11:15]) / TICKS
        found.append(
            Process(
                int(folder.name), int(fields[1]), title.replace(b"\0", b" ").decode(errors="replace"), seconds
            )
        )
    return found
