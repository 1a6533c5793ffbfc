"""The SQLite driver (storage/sqlite_driver.py): statements run on the event loop's thread; what would hold
the loop up does not. A write that finds the database locked by another process waits in asyncio (the
bot keeps answering meanwhile) and goes through once the lock is free, or fails as SQLite's own busy
timeout would; a SELECT that runs long is stopped and runs on the connection's thread, its transaction
intact, and so does the same statement from then on."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import sqlite_driver
from storage.db import create_engine

COUNT_TO = text(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :top) SELECT count(*) FROM n"
)


@pytest.fixture
async def engines(tmp_path: Path) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """Two engines on one file: two processes of the bot, each with its own pool and write gate."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first, second = create_engine(url), create_engine(url)
    async with first.begin() as conn:
        await conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield first, second
    await first.dispose()
    await second.dispose()


def remembered_long() -> bool:
    return any(sql.startswith("WITH RECURSIVE n(i)") for sql in sqlite_driver._off_loop)


class Ticker:
    """A task that stands for the rest of the bot: counts how often the loop let it run."""

    def __init__(self) -> None:
        self.ticks = 0
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            self.ticks += 1
            await asyncio.sleep(0.001)

    async def stop(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


async def rows(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.execute(text("SELECT body FROM notes ORDER BY id"))).scalars())


async def test_a_write_locked_by_another_process_waits_in_the_loop_and_goes_through(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    this, other = engines
    ticker = Ticker()
    async with other.connect() as holder:
        await holder.execute(text("INSERT INTO notes (body) VALUES ('other process')"))  # holds the write lock

        async def write() -> None:
            async with this.begin() as conn:
                await conn.execute(text("INSERT INTO notes (body) VALUES ('this process')"))

        waiting = asyncio.create_task(write())
        before = ticker.ticks
        for _ in range(20):
            await asyncio.sleep(0.001)
        assert ticker.ticks > before  # the loop went on while the write waited (no time is asserted)
        assert not waiting.done()
        await holder.commit()
    await waiting
    await ticker.stop()
    assert await rows(this) == ["other process", "this process"]


async def test_a_write_locked_for_too_long_fails_as_sqlites_busy_timeout_would(
    engines: tuple[AsyncEngine, AsyncEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_driver, "BUSY_SECONDS", 0.05)
    this, other = engines
    async with other.connect() as holder:
        await holder.execute(text("INSERT INTO notes (body) VALUES ('other process')"))
        with pytest.raises(OperationalError, match="database is locked"):
            async with this.begin() as conn:
                await conn.execute(text("INSERT INTO notes (body) VALUES ('this process')"))
        await holder.commit()
    assert await rows(this) == ["other process"]


async def test_a_long_select_runs_off_the_loop_and_keeps_its_transaction(
    engines: tuple[AsyncEngine, AsyncEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_driver, "INLINE_SECONDS", 0.0005)
    monkeypatch.setattr(sqlite_driver, "_off_loop", set())
    this, _ = engines
    ticker = Ticker()
    async with this.begin() as conn:
        await conn.execute(text("INSERT INTO notes (body) VALUES ('written first')"))
        before = ticker.ticks
        counted = (await conn.execute(COUNT_TO, {"top": 400_000})).scalar_one()
        assert counted == 400_000
        assert ticker.ticks > before  # it ran on the connection's thread: the loop was free meanwhile
        assert remembered_long()  # and the next one goes there at once
        assert (await conn.execute(COUNT_TO, {"top": 10})).scalar_one() == 10
    await ticker.stop()
    assert await rows(this) == ["written first"]  # the stopped SELECT did not roll the transaction back


async def test_an_update_cancelled_while_its_long_select_runs_off_the_loop_leaves_nothing_behind(
    engines: tuple[AsyncEngine, AsyncEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The task goes away (a timeout, a shutdown) while the connection's thread still runs its SELECT: what
    it wrote is rolled back once that SELECT is done, and the pooled connection serves the next ones."""
    monkeypatch.setattr(sqlite_driver, "INLINE_SECONDS", 0.0005)
    monkeypatch.setattr(sqlite_driver, "_off_loop", set())
    this, _ = engines

    async def update() -> None:
        async with this.begin() as conn:
            await conn.execute(text("INSERT INTO notes (body) VALUES ('never committed')"))
            await conn.execute(COUNT_TO, {"top": 3_000_000})

    task = asyncio.create_task(update())
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for n in range(3):
        async with this.begin() as conn:
            assert (await conn.execute(COUNT_TO, {"top": 5})).scalar_one() == 5
            await conn.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": f"next {n}"})
    assert await rows(this) == ["next 0", "next 1", "next 2"]


async def test_a_short_select_runs_on_the_loop(
    engines: tuple[AsyncEngine, AsyncEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_driver, "_off_loop", set())
    monkeypatch.setattr(sqlite_driver, "YIELD_SECONDS", 3600.0)  # however slow the machine
    monkeypatch.setattr(sqlite_driver, "INLINE_SECONDS", 3600.0)
    this, _ = engines
    ticker = Ticker()
    await asyncio.sleep(0)
    async with this.connect() as conn:
        await conn.execute(text("SELECT 1"))  # the pool's first connection: opened on the thread
        before = ticker.ticks
        for n in range(50):
            assert (await conn.execute(text("SELECT count(*) + :n FROM notes"), {"n": n})).scalar_one() == n
        assert ticker.ticks == before  # nothing awaited the loop: no trip to the thread and back
    await ticker.stop()
    assert not sqlite_driver._off_loop


async def test_many_statements_in_a_row_let_the_other_tasks_run(
    engines: tuple[AsyncEngine, AsyncEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep's batch or an import runs statement after statement on the loop: past YIELD_SECONDS the
    rest of the bot gets its turn (here every second statement: no time is measured)."""
    monkeypatch.setattr(sqlite_driver, "YIELD_SECONDS", 0.0)
    this, _ = engines
    turns = 0

    async def other_chat() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    async with this.connect() as conn:
        await conn.execute(text("SELECT 1"))
        other = asyncio.create_task(other_chat())
        await asyncio.sleep(0)
        before = turns
        for _ in range(40):
            assert (await conn.execute(COUNT_TO, {"top": 2})).scalar_one() == 2
        during = turns - before
        other.cancel()
        await asyncio.gather(other, return_exceptions=True)
    assert during >= 19


def test_only_a_busy_database_is_waited_for() -> None:
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = 5  # type: ignore[attr-defined]
    snapshot = sqlite3.OperationalError("database is locked")
    snapshot.sqlite_errorcode = 517  # type: ignore[attr-defined]  # SQLITE_BUSY_SNAPSHOT: a new transaction helps
    assert sqlite_driver._busy(locked)
    assert not sqlite_driver._busy(snapshot)
    assert not sqlite_driver._busy(sqlite3.OperationalError("no such table: notes"))
