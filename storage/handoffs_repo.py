"""Hand-offs in storage."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.handoffs.model import Handoff, HandoffState
from storage.sql import get_by_id, insert_new, rowcount
from storage.tables import (
    PENDING_SQL,
    handoffs,
)


class SqlHandoffs:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, handoff: Handoff) -> Handoff:
        self.session.add(handoff)
        await self.session.flush()
        return handoff

    async def add_many(self, new: Sequence[Handoff]) -> Sequence[Handoff]:
        await insert_new(self.session, handoffs, new)
        return new

    async def get(self, handoff_id: int) -> Handoff | None:
        return await get_by_id(self.session, Handoff, handoff_id)

    async def pending_for(self, opportunity_id: int) -> Handoff | None:
        stmt = select(Handoff).where(handoffs.c.opportunity_id == opportunity_id, text("handoffs." + PENDING_SQL))
        return (await self.session.execute(stmt)).scalars().first()

    async def for_opportunity(self, opportunity_id: int) -> Sequence[Handoff]:
        stmt = select(Handoff).where(handoffs.c.opportunity_id == opportunity_id).order_by(handoffs.c.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Handoff]:
        stmt = (
            select(Handoff)
            .where(text("handoffs." + PENDING_SQL), handoffs.c.deadline_at <= now)
            .order_by(handoffs.c.deadline_at, handoffs.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if skip:
            stmt = stmt.where(handoffs.c.id.not_in(list(skip)))
        return (await self.session.execute(stmt)).scalars().all()

    async def transition(self, handoff: Handoff, *, expect: Collection[HandoffState], **changes: object) -> bool:
        stmt = (
            update(Handoff)
            .where(handoffs.c.id == handoff.id, handoffs.c.state.in_(list(expect)))
            .values(**changes)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1
