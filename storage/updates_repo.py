"""The updates already handled (processed_updates): Telegram delivers at least once, so each update id
is recorded in the transaction of its effects and looked up before handling. The table is kept for
a week (bot/sweeps.py prunes it); Telegram gives up redelivering an update within a day."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Insert, bindparam, delete, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.sql import rowcount, upsert
from storage.tables import processed_updates

# Every update runs these: built once (storage/sql.py says why), the values are bound at execution.
_SEEN = select(processed_updates.c.update_id).where(
    processed_updates.c.bot_id == bindparam("bot_id"), processed_updates.c.update_id == bindparam("update_id")
)
_RECORD = insert(processed_updates)


@cache
def _claim(dialect: str) -> Insert:
    claim: Insert = (
        upsert(dialect, processed_updates)
        .on_conflict_do_nothing(index_elements=["bot_id", "update_id"])
        .returning(processed_updates.c.update_id)
    )
    return claim


class SqlProcessedUpdates:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def claims_first(self) -> bool:
        """PostgreSQL: the update is claimed by its first statement (claim()), and a second delivery
        running at the same time waits on the row, then skips. SQLite: looked up first (seen()) and
        recorded last (record()), so that an update does not hold the database's one write lock from
        its first statement on (bot/middlewares.py)."""
        bind = self.session.get_bind()
        return bind.dialect.name == "postgresql"

    async def claim(self, bot_id: int, update_id: int, at: datetime) -> bool:
        """Records the update in one statement (INSERT … ON CONFLICT DO NOTHING RETURNING): False when it
        was recorded before (by an earlier delivery, or one committed meanwhile)."""
        stmt = _claim(self.session.get_bind().dialect.name)
        values = {"bot_id": bot_id, "update_id": update_id, "at": at}
        return (await self.session.execute(stmt, values)).first() is not None

    async def seen(self, bot_id: int, update_id: int) -> bool:
        found = await self.session.execute(_SEEN, {"bot_id": bot_id, "update_id": update_id})
        return found.first() is not None

    async def record(self, bot_id: int, update_id: int, at: datetime) -> None:
        """Raises IntegrityError (at once or at commit) when another run recorded it first."""
        await self.session.execute(_RECORD, {"bot_id": bot_id, "update_id": update_id, "at": at})

    async def prune(self, before: datetime, limit: int) -> int:
        """Deletes up to `limit` of the oldest rows recorded before `before` (on the `at` index); returns
        how many went."""
        oldest = (
            select(processed_updates.c.bot_id, processed_updates.c.update_id)
            .where(processed_updates.c.at < before)
            .order_by(processed_updates.c.at)
            .limit(limit)
        )
        keys = [tuple(row) for row in (await self.session.execute(oldest)).all()]
        if not keys:
            return 0
        gone = delete(processed_updates).where(
            tuple_(processed_updates.c.bot_id, processed_updates.c.update_id).in_(keys)
        )
        return rowcount(await self.session.execute(gone))
