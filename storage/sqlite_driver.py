"""SQLAlchemy's aiosqlite adapter, with statements run on the event loop's thread.

aiosqlite runs every call on the connection's own thread and hands its result back to the event loop.
Each trip costs CPU on both threads (a queue, a thread wake-up, a future, the loop's self-pipe) and a
greenlet switch, about 50 us; the statements of the hot path take a few microseconds in SQLite itself
(an indexed read or a one-row write; `bench/leads.py` ran 22 a lead, and the trips were a third of its
CPU). So a statement runs where SQLAlchemy asks for it, on the loop's thread, in one go (executed, read
to the end, its cursor closed), and what the DBAPI cursor reports afterwards (description, rowcount,
lastrowid, rows) is kept and answered from memory. What would hold up the loop runs on the
connection's own thread, as before:

- a commit that writes (SQLite syncs the log to disk there), and executemany (bulk writes);
- a SELECT that takes more than INLINE_SECONDS of CPU (CPU, not wall time, which a busy machine
  stretches): SQLite's progress handler stops it and it runs again on the thread (a read stopped this
  way leaves its transaction as it was; a write would roll the whole transaction back, so writes are
  not stopped); and any statement whose text once took that long, from then on (a report's query, a
  sweep's bulk UPDATE).

A rollback, and a commit of a transaction that wrote nothing, are instant and stay on the loop.

A statement never waits for a lock on a thread either: SQLite's busy timeout is 0, and a statement that
finds the database locked by another process (SQLITE_BUSY) is tried again after an asyncio sleep
(1 ms, doubling up to 100 ms) for up to BUSY_SECONDS, then fails as SQLite's own timeout would. Within
one process writers do not meet the lock: they take turns at the write gate (storage/db.py).

A statement on the loop does not give the loop to other tasks, so a task that runs many in a row (a
sweep's batch, an import) would hold up every chat: after YIELD_SECONDS of statements without a pause,
the next one lets the other tasks run first (an update's few statements never get there).
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
import time
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT, await_only

BUSY_SECONDS = 30.0  # how long a statement tries again while another process holds the database's lock
INLINE_SECONDS = 0.004  # CPU a statement may take on the loop's thread (not wall time: a busy machine pauses it)
PROGRESS_STEPS = 1000  # SQLite VM instructions between two looks at the clock of a SELECT on the loop
OFF_LOOP_TEXTS = 2000  # statement texts remembered as long (a longer list starts again)
YIELD_SECONDS = 0.02  # statements run on the loop for this long in a row, then let the other tasks in

_SQLITE_INTERRUPT = 9
_BUSY = frozenset({5, 261, 773})  # SQLITE_BUSY, _RECOVERY, _TIMEOUT (not _SNAPSHOT: only a new transaction helps)

_off_loop: set[str] = set()  # texts of statements that took longer than INLINE_SECONDS on the loop


class _Turns:
    """Whether statements on the loop have held it for YIELD_SECONDS since it last ran its other tasks: the
    first statement of a stretch notes the time and asks the loop to call back when it next gets round
    to its ready tasks and callbacks (any await that waits, a trip to the thread, a yield here)."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def _ran(self) -> None:
        self.since = None

    def overdue(self) -> bool:
        now = time.perf_counter()
        loop = asyncio.get_running_loop()
        if self.since is None or self.loop is not loop:
            self.since, self.loop = now, loop
            loop.call_soon(self._ran)
            return False
        return now - self.since > YIELD_SECONDS


_turns = _Turns()


Outcome = tuple[Any, int, Any, list[Any]]


def _run(conn: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """The whole statement, as the DBAPI cursor would have answered it (on either thread)."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, [] if parameters is None else parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


async def _nothing() -> None:
    return None


class _TooLong(Exception):
    """A SELECT stopped on the loop's thread for running past INLINE_SECONDS: it runs again off the loop."""


def _off_the_loop(operation: str) -> None:
    if len(_off_loop) >= OFF_LOOP_TEXTS:
        _off_loop.clear()
    _off_loop.add(operation)


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def reads_only(operation: str) -> bool:
    """A SELECT, or a WITH … SELECT (a statement that changes nothing when stopped halfway, and takes no
    write lock: storage/db.py's write gate lets it by). A WITH naming any write word counts as a write."""
    head = operation.lstrip()[:6].upper()
    if head == "SELECT":
        return True
    if not head.startswith("WITH"):
        return False
    upper = operation.upper()
    return not any(word in upper for word in _WRITES)


_NO_LOCK = ("PRAGMA", "EXPLAIN")


def takes_no_write_lock(operation: str) -> bool:
    """A read (reads_only), a PRAGMA or an EXPLAIN: the write gate lets it by (storage/db.py)."""
    return reads_only(operation) or operation.lstrip()[:7].upper().startswith(_NO_LOCK)


def _run_inline(conn: sqlite3.Connection, operation: str, parameters: Any) -> Outcome:
    started = time.thread_time()
    deadline = started + INLINE_SECONDS
    stoppable = reads_only(operation)
    if stoppable:
        conn.set_progress_handler(lambda: time.thread_time() > deadline, PROGRESS_STEPS)
    try:
        return _run(conn, operation, parameters, False)
    except sqlite3.OperationalError as error:
        if stoppable and error.sqlite_errorcode == _SQLITE_INTERRUPT and time.thread_time() > deadline:
            _off_the_loop(operation)
            raise _TooLong from error
        raise
    finally:
        if stoppable:
            conn.set_progress_handler(None, 0)
        elif time.thread_time() > deadline:
            _off_the_loop(operation)


def _busy(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError) and getattr(error, "sqlite_errorcode", None) in _BUSY


async def _until_free(attempt: Any) -> Any:
    """`attempt()` (a coroutine function), again after a sleep while the database is locked elsewhere."""
    delay, deadline = 0.001, time.monotonic() + BUSY_SECONDS
    while True:
        try:
            return await attempt()
        except sqlite3.OperationalError as error:
            left = deadline - time.monotonic()
            if not _busy(error) or left <= 0:
                raise
        await asyncio.sleep(min(delay, left))
        delay = min(delay * 2, 0.1)


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:  # no cursor opened here
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: Any = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    async def _async_soft_close(self) -> None:
        return None  # nothing stays open

    def close(self) -> None:
        self._rows.clear()

    def _keep(self, outcome: Outcome) -> None:
        self._description, self._rowcount, self._lastrowid, rows = outcome
        self._rows = collections.deque(rows)

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._adapt_connection.before_write(operation)  # type: ignore[attr-defined]
        # On the loop's thread, without a coroutine or a greenlet switch, when the connection is free here.
        if operation not in _off_loop and not self._adapt_connection._execute_mutex.locked():
            try:
                self._keep(_run_inline(self._connection._conn, operation, parameters))
                if _turns.overdue():
                    # Many statements in a row (a sweep's batch, an import): the other tasks' turn.
                    await_only(asyncio.sleep(0))
                else:
                    # SQLAlchemy's AsyncConnection.execute insists that a statement awaited something:
                    # this awaits nothing (no trip to the loop), for two greenlet switches.
                    await_only(_nothing())
                return None
            except _TooLong:
                pass  # runs again below, off the loop
            except Exception as error:
                if not _busy(error):
                    self._adapt_connection._handle_exception(error)
        try:
            await_only(self._execute_async(operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        return None

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._adapt_connection.before_write(operation)  # type: ignore[attr-defined]
        return super().executemany(operation, seq_of_parameters)

    async def _trip(self, operation: Any, parameters: Any, many: bool) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]

        async def attempt() -> Outcome:
            if not many and operation not in _off_loop:
                try:
                    return _run_inline(connection._conn, operation, parameters)
                except _TooLong:
                    pass
            # A rollback after this goes through the thread too: it then waits for this job, even if the
            # task that awaits it was cancelled.
            self._adapt_connection._threaded = True  # type: ignore[attr-defined]
            return await connection._execute(_run, connection._conn, operation, parameters, many)  # type: ignore[no-untyped-call, no-any-return]

        async with self._adapt_connection._execute_mutex:
            self._keep(await _until_free(attempt))

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._trip(operation, parameters, False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> None:
        await self._trip(operation, seq_of_parameters, True)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_threaded", "gate")
    _cursor_cls = OneTripCursor  # type: ignore[assignment]

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._threaded = False  # a statement of this transaction went to the connection's thread
        # The engine's write gate and the pooled connection's info, where the hold is noted (set when the
        # pool connects it: storage/db.py, gate_writes).
        self.gate: tuple[Any, dict[str, Any]] | None = None

    def before_write(self, operation: str) -> None:
        """Waits for the engine's write gate before this connection's first write (storage/db.py says
        why): here, where every statement passes, rather than in a SQLAlchemy event, whose listener makes
        every statement of the engine take SQLAlchemy's slower path with events (~25 µs each)."""
        if self.gate is None:
            return
        gate, info = self.gate
        if info.get("gated") or takes_no_write_lock(operation):
            return
        if await_only(gate.acquire()):
            info["gated"] = gate

    def _raw(self) -> sqlite3.Connection | None:
        return self._connection._connection  # type: ignore[no-any-return]

    def rollback(self) -> None:
        raw = self._raw()
        if raw is None:
            return
        if self._threaded:
            self._threaded = False
            super().rollback()  # queued behind the thread's jobs
        elif raw.in_transaction:
            try:
                raw.rollback()  # WAL: the transaction's pages are dropped, nothing is written
            except Exception as error:
                self._handle_exception(error)

    def commit(self) -> None:
        raw = self._raw()
        threaded, self._threaded = self._threaded, False
        if raw is None or not (raw.in_transaction or threaded):
            return  # nothing begun: sqlite3's commit would do nothing either
        try:
            await_only(_until_free(self._connection.commit))
        except Exception as error:
            self._handle_exception(error)


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    """Passed as `module=` to create_async_engine: connections that run statements on the loop's thread."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def one_trip_dbapi() -> OneTripDbapi:
    return OneTripDbapi(aiosqlite, sqlite3)
