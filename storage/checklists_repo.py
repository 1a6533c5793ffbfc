"""Delivery checklists and the teams' checklist templates in storage."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.delivery.model import AgendaItem, DeliveryItem, ItemKey, TemplateRow
from storage.sql import get_by_id, rowcount
from storage.tables import delivery_items, delivery_templates, leads, opportunities

DELIVERY = "delivery"


class SqlChecklists:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, item: DeliveryItem) -> DeliveryItem:
        self.session.add(item)
        await self.session.flush()
        return item

    async def get(self, item_id: int) -> DeliveryItem | None:
        return await get_by_id(self.session, DeliveryItem, item_id)

    async def for_deal(self, opportunity_id: int) -> Sequence[DeliveryItem]:
        stmt = (
            select(DeliveryItem).where(delivery_items.c.opportunity_id == opportunity_id)
            .order_by(delivery_items.c.position)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def update(self, item: DeliveryItem, *, open_only: bool, stage: int | None = None,
                     **changes: object) -> bool:
        conditions = [delivery_items.c.id == item.id]
        if open_only:
            conditions.append(delivery_items.c.done_at.is_(None))
        if stage is not None:
            conditions.append(delivery_items.c.nudge_stage == stage)
        stmt = (
            update(DeliveryItem).where(*conditions).values(**changes)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[DeliveryItem]:
        stmt = (
            select(DeliveryItem)
            .where(text("delivery_items.check_at IS NOT NULL"), delivery_items.c.check_at <= now,
                   delivery_items.c.done_at.is_(None))
            .order_by(delivery_items.c.check_at, delivery_items.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if skip:
            stmt = stmt.where(delivery_items.c.id.not_in(list(skip)))
        return (await self.session.execute(stmt)).scalars().all()

    async def agenda(self, team_id: int, until: datetime) -> Sequence[AgendaItem]:
        i = delivery_items.c
        stmt = (
            select(i.owner_id, i.id, i.key, i.name, leads.c.company, i.due_at)
            .select_from(delivery_items.join(opportunities, opportunities.c.id == i.opportunity_id)
                         .join(leads, leads.c.id == opportunities.c.lead_id))
            .where(i.team_id == team_id, i.done_at.is_(None), i.due_at < until, opportunities.c.stage == DELIVERY)
            .order_by(i.owner_id, i.due_at, i.id)
        )
        return [
            AgendaItem(int(row[0]), int(row[1]), ItemKey(row[2]), row[3], str(row[4]), _aware(row[5]))
            for row in (await self.session.execute(stmt)).all()
        ]

    async def template(self, team_id: int) -> Sequence[TemplateRow]:
        stmt = select(TemplateRow).where(delivery_templates.c.team_id == team_id).order_by(delivery_templates.c.position)
        return (await self.session.execute(stmt)).scalars().all()

    async def set_template(self, team_id: int, rows: Sequence[TemplateRow]) -> None:
        await self.session.execute(delete(delivery_templates).where(delivery_templates.c.team_id == team_id))
        self.session.add_all(rows)
        await self.session.flush()


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
