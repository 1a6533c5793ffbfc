"""Leases on periodic jobs: one instance runs a sweep at a time; another takes over when the holder
stops renewing (it died, or was stopped)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sql import upsert
from storage.tables import scheduler_leases as leases


async def take(engine: AsyncEngine, name: str, owner: str, now: datetime, ttl: timedelta) -> bool:
    """True when `owner` holds the lease on `name` until now + ttl (taken, renewed, or taken over)."""
    values = upsert(engine.dialect.name, leases).values(name=name, owner=owner, until=now + ttl)
    stmt = values.on_conflict_do_update(
        index_elements=["name"],
        set_={"owner": values.excluded.owner, "until": values.excluded.until},
        where=(leases.c.owner == owner) | (leases.c.until < now),
    ).returning(leases.c.owner)
    async with engine.begin() as conn:
        row = (await conn.execute(stmt)).first()
    return row is not None and row[0] == owner
