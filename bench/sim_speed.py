"""What keeps bench/simulate.py's 90 days short without changing what it counts.

- `Gates`: a periodic sweep is skipped at a step when it provably has nothing to do. After a sweep runs,
  its own source is asked for the earliest item it would ever take (`due(far future, 1)`: every source
  takes the items whose time column has come, ordered by it) and which tables that query read; until one
  of those tables is written, or that item's time comes, a run would find nothing and change nothing.
  The recycle sweep's items have no time column (its cut-offs move with working time): its next item
  is the earliest `domain.pool.recycling.recycle_at` of the deals its source would take within a year.
  The digests job runs when a
  digest is due today (`domain.digests.due_day`) and not yet claimed in digest_runs; the webhooks job
  once its tables have been written (the simulated team has no endpoints).
- `inline_sqlite`: on SQLite the aiosqlite driver runs each call on a worker thread and hands the result
  back to the event loop; the simulation has one task at a time, so the calls run inline instead (the
  same SQL on the same file, in the same order), and the file lives in memory (/dev/shm) without fsync.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event, select

from bot.factory import App
from bot.sweeps import DIGESTS, SWEEPS
from domain.digests import due_day
from domain.pool.recycling import recycle_at
from domain.sweeps import Sweep
from domain.team.model import Team
from storage.tables import digest_runs

FAR = datetime(9000, 1, 1, tzinfo=UTC)
RECYCLE_HORIZON = timedelta(days=366)
_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)

# The attribute of each sweep's items that says when the item falls due: the column its source orders by.
DUE_ATTRIBUTE = {
    "reminders": "due_at", "handoffs": "deadline_at", "followup-escalation": "escalate_at",
    "silence": "silence_check_at", "quote-approvals": "check_at", "quote-expiry": "check_at",
    "contract-signing": "check_at", "payment-reminders": "check_at", "ticket-sla": "check_at",
    "delivery": "check_at", "renewal": "nudge_at", "assist": "check_at",
}
SWEEP_JOBS: dict[str, Sweep[Any]] = {f"sweep:{kind.name}": kind for kind in SWEEPS}


class Gates:
    def __init__(self, app: App, team: Team) -> None:
        self.app = app
        self.team = team
        self.writes: Counter[str] = Counter()  # table -> write statements so far
        self.reading: set[str] | None = None
        self.known: dict[str, tuple[datetime | None, frozenset[str], tuple[int, ...]]] = {}
        self.after_run: dict[str, tuple[int, ...]] = {}
        self.tables: dict[str, frozenset[str]] = {}  # what each sweep's source reads
        self.saved: dict[str, int] = {}  # runs saved by the current answer
        self.backoff: dict[str, int] = {}
        self.wait: dict[str, int] = {}
        self.digests_done: set[tuple[str, date]] = set()
        self.skipped: Counter[str] = Counter()
        self.check = False  # run the skipped sweeps anyway and say when one acted (a test of the gates)
        self.wrongly_skipped: list[str] = []
        event.listen(app.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        found = _WRITE.match(statement)
        if found:
            self.writes[found.group(1).lower()] += 1
        elif self.reading is not None:
            self.reading.update(t.lower() for t in _READ.findall(statement))

    def versions(self, tables: frozenset[str]) -> tuple[int, ...]:
        return tuple(self.writes[t] for t in sorted(tables))

    def idle(self, job: str, now: datetime) -> bool:
        kind = SWEEP_JOBS.get(job)
        if kind is None:
            return self._idle_other(job, now)
        known = self.known.get(kind.name)
        if known is None:
            return False
        next_due, tables, versions = known
        if self.versions(tables) != versions:
            return False
        if next_due is None or next_due > now:
            self.saved[kind.name] = self.saved.get(kind.name, 0) + 1
            return True
        return False

    def _idle_other(self, job: str, now: datetime) -> bool:
        if job == "digests":
            due = {(s.kind, d) for s in DIGESTS if (d := due_day(s, self.team, now)) is not None}
            return due <= self.digests_done
        if job == "webhooks":
            return not any(self.writes[t] for t in ("webhook_endpoints", "webhook_deliveries"))
        return False

    async def ran(self, job: str, now: datetime, quiet: bool) -> None:
        """After `job` ran at `now`: what it will need next. A sweep whose tables nobody else wrote since
        its last run (quiet) is asked for its next item; one on a busy table just runs again next step."""
        if job == "digests":
            async with self.app.engine.connect() as conn:
                rows = (await conn.execute(select(digest_runs.c.kind, digest_runs.c.local_date))).all()
            self.digests_done = {(str(r[0]), r[1]) for r in rows}
            return
        kind = SWEEP_JOBS.get(job)
        if kind is None or (kind.name not in DUE_ATTRIBUTE and kind.name != "recycle"):
            return
        name = kind.name
        if not quiet:
            self.known.pop(name, None)
            self.after_run[name] = self.versions(self.tables.get(name, frozenset()))
            return
        if name == "recycle":
            await self._recycle_probe(kind, now)
            return
        self.reading = set()
        try:
            async with self.app.uow() as uow:  # read only: closed without a commit
                items = await kind.source(uow).due(FAR, 1)
        finally:
            tables, self.reading = frozenset(self.reading or ()), None
        next_due = None
        if items:
            next_due = getattr(items[0], DUE_ATTRIBUTE[name]) or now  # no time of its own: due at once
        self.tables[name] = tables
        self._known(name, next_due, tables)

    def _known(self, name: str, next_due: datetime | None, tables: frozenset[str]) -> None:
        self._answered(name)
        self.known[name] = (next_due, tables, self.versions(tables))
        self.after_run[name] = self.versions(tables)

    async def _recycle_probe(self, kind: Sweep[Any], now: datetime) -> None:
        self.reading = set()
        try:
            async with self.app.uow() as uow:
                deals = await kind.source(uow).due(now + RECYCLE_HORIZON, 100_000)
                policy = await uow.policies.ensure(self.team.id or 0)
        finally:
            tables, self.reading = frozenset(self.reading or ()), None
        moments = [recycle_at(d.idle_since, d.stage, policy, self.team) for d in deals]
        self.tables[kind.name] = tables
        self._known(kind.name, min(moments) if moments else now + RECYCLE_HORIZON, tables)

    def quiet(self, job: str) -> bool:
        """Nobody wrote the sweep's tables since it last ran, so asking for its next item may pay: unless
        the last answers were overtaken by writes before they saved a run (a busy table: then it waits a
        few steps more before asking again, twice as many each time)."""
        kind = SWEEP_JOBS.get(job)
        if kind is None:
            return False
        name = kind.name
        if self.wait.get(name, 0) > 0:
            self.wait[name] -= 1
            return False
        tables = self.tables.get(name)
        return tables is None or self.versions(tables) == self.after_run.get(name)

    def _answered(self, name: str) -> None:
        """A new answer for `name`: how the previous one did decides when to ask again."""
        if self.saved.get(name, 1) == 0:
            self.backoff[name] = min(32, 2 * self.backoff.get(name, 1))
            self.wait[name] = self.backoff[name]
        else:
            self.backoff[name] = 1
        self.saved[name] = 0


@contextlib.contextmanager
def inline_sqlite() -> Iterator[None]:
    """aiosqlite without its worker thread, for as long as the block runs (then as it was)."""
    import aiosqlite.core as core

    saved = {name: getattr(core.Connection, name) for name in ("_execute", "_connect", "__await__", "stop")}

    async def _execute(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    async def _connect(self: Any) -> Any:
        if self._connection is None:
            self._connection = self._connector()
        return self

    def __await__(self: Any) -> Any:
        return self._connect().__await__()

    def stop(self: Any) -> None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    core.Connection._execute = _execute  # type: ignore[method-assign]
    core.Connection._connect = _connect  # type: ignore[method-assign]
    core.Connection.__await__ = __await__  # type: ignore[method-assign]
    core.Connection.stop = stop  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(core.Connection, name, value)


def no_fsync(app: App) -> None:
    """The simulation's database needs no durability: SQLite does not wait for the disk."""

    @event.listens_for(app.engine.sync_engine, "connect")
    def _pragma(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


def scratch_dir() -> str:
    """Where the SQLite files go: memory when the machine has /dev/shm."""
    shm = "/dev/shm"
    return tempfile.mkdtemp(prefix="simulate-", dir=shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None)
