"""The updates already handled (processed_updates): Telegram delivers at least once, so each update id
is recorded in the transaction of its effects and looked up before handling. The table is kept for
a week (bot/sweeps.py prunes it); Telegram gives up redelivering an update within a day."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.sql import rowcount
from storage.tables import processed_updates


class SqlProcessedUpdates:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def seen(self, bot_id: int, update_id: int) -> bool:
        found = await self.session.execute(
            select(processed_updates.c.update_id).where(
                processed_updates.c.bot_id == bot_id, processed_updates.c.update_id == update_id
            )
        )
        return found.first() is not None

    async def record(self, bot_id: int, update_id: int, at: datetime) -> None:
        """Raises IntegrityError (at once or at commit) when another run recorded it first."""
        await self.session.execute(insert(processed_updates).values(bot_id=bot_id, update_id=update_id, at=at))

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
