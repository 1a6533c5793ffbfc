"""Engine and session factory for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.sqlite_driver import OneTripConnection, one_trip_dbapi
from storage.tables import map_domain

log = logging.getLogger(__name__)


POOL_RECYCLE_SECONDS = 1800
SQLITE_MMAP_BYTES = 256 * 1024 * 1024


def normalise_url(url: str) -> str:
    """Accept the usual spellings and pick the async driver: sqlite:// -> sqlite+aiosqlite://."""
    parsed = make_url(url)
    driver = parsed.drivername
    if driver in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif driver in ("postgres", "postgresql", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    map_domain()
    url = normalise_url(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": 0}, module=one_trip_dbapi())
        gate_writes(engine)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=0")  # a locked database is waited for in asyncio (sqlite_driver.py)
            # Pages read through a memory map instead of a read() system call each: SQLite's own page cache
            # is 2 MB a connection and is dropped whenever another connection writes, so every statement of
            # a busy database went back to the file (a 90-day simulation spent a fifth of its time in the
            # kernel). The map costs address space, not memory: its pages are the OS's file cache.
            cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
            cursor.close()

        return engine
    # No pre-ping (a round trip before every checkout, on the hot path): connections are recycled
    # before a server or a proxy would drop them idle, and an update whose first statement finds its
    # connection dropped anyway is opened once more on a fresh one (bot/middlewares.py).
    return create_async_engine(url, echo=echo, pool_recycle=POOL_RECYCLE_SECONDS)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


class WriteGate:
    """SQLite takes one writer at a time, and one that finds the database locked sleeps and tries again
    (its busy handler: waits of up to 100 ms, however soon the lock is free), so under concurrency the
    updates and the outbox spend their time polling, and a writer can starve. The gate makes them take
    turns in the process instead: a connection waits for it (first come, first served) just before its
    first write statement, the moment SQLite would take its write lock (the driver begins a transaction
    with the first INSERT/UPDATE/DELETE), and lets go when it goes back to the pool, after its commit or
    rollback. A task that holds the gate on one connection and writes on a second is not made to wait
    for itself (it meets SQLite's own lock there, as without the gate)."""

    WAIT_SECONDS = 30.0  # as long as SQLite's busy timeout; then the write goes ahead and meets the lock

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.owner: asyncio.Task[Any] | None = None
        self.depth = 0

    def _current_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop, self.owner, self.depth = asyncio.Lock(), loop, None, 0
        return self._lock

    async def acquire(self) -> bool:
        lock = self._current_lock()
        task = asyncio.current_task()
        if self.owner is not None and self.owner is task:
            self.depth += 1
            return True
        if not lock.locked() and not self.waiting():  # free: taken at once
            await lock.acquire()
            self.owner, self.depth = task, 1
            return True
        try:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for runs the wait in a task of its own.
            async with asyncio.timeout(self.WAIT_SECONDS):
                await lock.acquire()
        except TimeoutError:
            log.warning("the SQLite write gate was not free for %.0f s; writing without it", self.WAIT_SECONDS)
            return False
        self.owner, self.depth = task, 1
        return True

    def waiting(self) -> int:
        """How many connections wait for the gate now."""
        waiters = getattr(self._lock, "_waiters", None) if self._lock is not None else None
        return len(waiters) if waiters else 0

    def release(self) -> None:
        if self._lock is None or not self._lock.locked():
            return
        self.depth -= 1
        if self.depth <= 0:
            self.owner, self.depth = None, 0
            self._lock.release()


_GATES: weakref.WeakKeyDictionary[Any, WriteGate] = weakref.WeakKeyDictionary()


def write_gate(engine: AsyncEngine) -> WriteGate | None:
    """The engine's WriteGate (SQLite), None on PostgreSQL."""
    return _GATES.get(engine.sync_engine)


def gate_writes(engine: AsyncEngine) -> WriteGate:
    """Installs a WriteGate on an SQLite engine (see WriteGate); returns it."""
    gate = WriteGate()
    sync = engine.sync_engine
    _GATES[sync] = gate

    @event.listens_for(sync.pool, "connect")
    def _gated_here(dbapi_conn, record):  # type: ignore[no-untyped-def]
        # The driver waits for the gate before a connection's first write (sqlite_driver.py, before_write)
        # and notes the hold in the pooled connection's info, which outlives a checkout.
        if isinstance(dbapi_conn, OneTripConnection):
            dbapi_conn.gate = (gate, record.info)

    def _let_go(record: Any) -> None:
        held = record.info.pop("gated", None) if record is not None else None
        if held is not None:
            held.release()

    @event.listens_for(sync.pool, "checkin")
    def _checked_in(_dbapi_conn, record):  # type: ignore[no-untyped-def]
        _let_go(record)

    @event.listens_for(sync.pool, "invalidate")
    def _invalidated(_dbapi_conn, record, _exc):  # type: ignore[no-untyped-def]
        _let_go(record)

    @event.listens_for(sync.pool, "close")
    def _closed(_dbapi_conn, record):  # type: ignore[no-untyped-def]
        _let_go(record)

    return gate
