"""What one statement and one transaction cost in CPU, by the path they take to SQLite.

    .venv/bin/python bench/statements.py              # 2,000 of each, three rounds

One connection, one process, the app's own engine (`storage/db.py`: the one-trip driver, the write gate),
on a migrated database in a temporary folder. Printed in µs of CPU (process time) each:

- an INSERT of one row into processed_updates inside one open transaction, sent through the ORM
  Session (`AsyncSession.execute`), through Core (`AsyncConnection.execute`), as text through Core
  (`exec_driver_sql`), and straight to sqlite3 on the same connection;
- a whole short transaction through the Session: checkout, BEGIN, one read by primary key, commit,
  close, checkin; and the same with one write instead, whose commit syncs the log to disk (on the
  connection's own thread).

The figures are the floor under the update path's SQL layer (`bench/leads.py --layers` says how much of a
lead that layer takes): a statement's cost in a tight loop, with its code and SQLite's pages warm.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.db import create_engine, session_factory
from storage.tables import processed_updates

N = 2000
ROUNDS = 3
INSERT_TEXT = "INSERT INTO processed_updates (bot_id, update_id, at) VALUES (?, ?, ?)"


async def per_statement(engine: AsyncEngine, ids: Iterator[int]) -> dict[str, float]:
    sessions = session_factory(engine)
    stmt = insert(processed_updates)
    now = datetime.now(UTC)
    figures: dict[str, float] = {}

    async def timed(label: str, run: Callable[[], Awaitable[None]]) -> None:
        started = time.process_time()
        await run()
        figures[label] = (time.process_time() - started) / N * 1e6

    async with sessions() as session, session.begin():
        async def orm() -> None:
            for _ in range(N):
                await session.execute(stmt, {"bot_id": 1, "update_id": next(ids), "at": now})
        await timed("ORM Session", orm)
    async with engine.connect() as conn, conn.begin():
        async def core() -> None:
            for _ in range(N):
                await conn.execute(stmt, {"bot_id": 1, "update_id": next(ids), "at": now})

        async def text() -> None:
            for _ in range(N):
                await conn.exec_driver_sql(INSERT_TEXT, (1, next(ids), now.isoformat()))
        await timed("Core", core)
        await timed("Core, exec_driver_sql", text)
        raw = (await conn.get_raw_connection()).dbapi_connection
        sqlite = raw._connection._conn  # type: ignore[union-attr]  # aiosqlite's sqlite3 connection

        async def driver() -> None:
            for _ in range(N):
                sqlite.execute(INSERT_TEXT, (1, next(ids), now.isoformat())).close()
        await timed("sqlite3 itself", driver)
    return figures


async def per_transaction(engine: AsyncEngine, ids: Iterator[int]) -> dict[str, float]:
    """After per_statement: the first row it wrote is read back by its primary key."""
    sessions = session_factory(engine)
    read = select(processed_updates.c.at).where(processed_updates.c.bot_id == 1, processed_updates.c.update_id == 1)
    now = datetime.now(UTC)
    figures: dict[str, float] = {}
    started = time.process_time()
    for _ in range(N):
        async with sessions() as session, session.begin():
            (await session.execute(read)).first()
    figures["a read"] = (time.process_time() - started) / N * 1e6
    started = time.process_time()
    for _ in range(N):
        async with sessions() as session, session.begin():
            await session.execute(insert(processed_updates), {"bot_id": 2, "update_id": next(ids), "at": now})
    figures["a write (its commit syncs)"] = (time.process_time() - started) / N * 1e6
    return figures


async def main() -> int:
    folder = tempfile.mkdtemp(prefix="statements-bench-")
    engine = create_engine(f"sqlite:///{folder}/bench.db")
    try:
        await migrate.upgrade(engine)
        ids = itertools.count(1)
        print(f"statement bench: SQLite, one connection, {N:,} of each, {ROUNDS} rounds (µs of CPU each)")
        for round_ in range(1, ROUNDS + 1):
            statements = await per_statement(engine, ids)
            transactions = await per_transaction(engine, ids)
            print(f"round {round_}: one INSERT in an open transaction: "
                  + " · ".join(f"{label} {us:.0f}" for label, us in statements.items()))
            print("         one transaction through the Session (checkout to checkin) with "
                  + " · ".join(f"{label} {us:.0f}" for label, us in transactions.items()))
    finally:
        await engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
