"""Renewal dates of won deals in storage."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.renewals.model import Renewal
from storage.sql import get_by_id, rowcount
from storage.tables import renewals


class SqlRenewals:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, renewal: Renewal) -> Renewal:
        self.session.add(renewal)
        await self.session.flush()
        return renewal

    async def get(self, renewal_id: int) -> Renewal | None:
        return await get_by_id(self.session, Renewal, renewal_id)

    async def for_deal(self, opportunity_id: int) -> Renewal | None:
        stmt = select(Renewal).where(renewals.c.opportunity_id == opportunity_id)
        return (await self.session.execute(stmt)).scalars().first()

    async def claim_nudge(self, renewal: Renewal, now: datetime) -> bool:
        stmt = (
            update(Renewal)
            .where(renewals.c.id == renewal.id, renewals.c.nudged_at.is_(None),
                   renewals.c.new_opportunity_id.is_(None))
            .values(nudged_at=now)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def link(self, renewal: Renewal, opportunity_id: int) -> bool:
        stmt = (
            update(Renewal)
            .where(renewals.c.id == renewal.id, renewals.c.new_opportunity_id.is_(None))
            .values(new_opportunity_id=opportunity_id)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Renewal]:
        stmt = (
            select(Renewal)
            .where(renewals.c.nudged_at.is_(None), renewals.c.new_opportunity_id.is_(None),
                   renewals.c.nudge_at <= now)
            .order_by(renewals.c.nudge_at, renewals.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if skip:
            stmt = stmt.where(renewals.c.id.not_in(list(skip)))
        return (await self.session.execute(stmt)).scalars().all()
