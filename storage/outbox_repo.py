"""Writing to the outbox: one row per notification, unique by dedupe key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.outbox.model import Notification, OutboxMessage
from storage.tables import notifications

if TYPE_CHECKING:
    from storage.uow import SqlUnitOfWork


class SqlOutbox:
    def __init__(self, session: AsyncSession, renderer: Any, uow: SqlUnitOfWork) -> None:
        self.session = session
        self.renderer = renderer
        self.uow = uow

    async def put(self, message: OutboxMessage) -> Notification | None:
        if self.renderer is None:
            raise RuntimeError("this unit of work has no renderer for notifications")
        existing = await self.session.execute(
            select(notifications.c.id).where(notifications.c.dedupe_key == message.dedupe_key)
        )
        if existing.first() is not None:
            return None
        row: Notification | None = await self.renderer(message, self.uow)
        if row is None:
            return None
        return await self.add(row)

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
        hook = getattr(self.uow, "outbox_hook", None)
        if hook is not None and hook not in self.uow.after_commit:
            self.uow.after_commit.append(hook)
        return row
