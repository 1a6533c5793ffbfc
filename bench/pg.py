"""A throw-away PostgreSQL database for a benchmark run (BENCH_POSTGRES_URL names the server)."""

from __future__ import annotations

import os
import uuid

import asyncpg

PG_URL = os.environ.get(
    "BENCH_POSTGRES_URL", os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
)


async def _execute(sql: str) -> None:
    conn = await asyncpg.connect(PG_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def create_database() -> tuple[str, str]:
    """A new empty database: its URL and its name (for drop_database)."""
    name = f"loopbot_bench_{uuid.uuid4().hex[:8]}"
    await _execute(f'CREATE DATABASE "{name}"')
    return f"{PG_URL.rpartition('/')[0]}/{name}", name


async def drop_database(name: str) -> None:
    await _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
