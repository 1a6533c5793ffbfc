"""Writing to the outbox: one row per notification, unique by dedupe key. Rows arrive rendered (the
domain renders through the bot's renderer, domain/outbox/notify.py); this only stores them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.outbox.model import Notification
from storage.tables import notifications


class SqlOutbox:
    def __init__(self, session: AsyncSession, on_queued: Callable[[], None]) -> None:
        self.session = session
        # Called for every row inserted: the unit of work wakes the dispatcher after its commit.
        self.on_queued = on_queued

    async def queued(self, dedupe_key: str) -> bool:
        """The domain's early look for a dedupe key (domain/outbox/notify.py). Not asked of the database:
        add() inserts with ON CONFLICT DO NOTHING on the key and returns None for a notification queued
        before, which is the same answer, in one statement instead of two per notification."""
        return False

    async def add(self, row: Notification) -> Notification | None:
        """Insert unless a row with the same dedupe key exists (also against a concurrent writer)."""
        values = {
            c.name: getattr(row, c.name) for c in notifications.columns if c.name != "id"
        }
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        stmt: Any
        if dialect == "postgresql":
            stmt = pg_insert(notifications).values(**values).on_conflict_do_nothing(
                index_elements=["dedupe_key"]
            )
        elif dialect == "sqlite":
            stmt = sqlite_insert(notifications).values(**values).on_conflict_do_nothing(
                index_elements=["dedupe_key"]
            )
        else:  # pragma: no cover - other back ends are not supported
            stmt = insert(notifications).values(**values)
        result = await self.session.execute(stmt.returning(notifications.c.id))
        new_id = result.scalar_one_or_none()
        if new_id is None:
            return None
        row.id = new_id
        self.on_queued()
        return row
