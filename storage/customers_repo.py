"""What the customer card reads: one company's deals and their current quotes."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.quotes.model import quote_number
from domain.renewals.model import CustomerDeal, CustomerQuote
from storage.tables import leads, opportunities, quotes


class SqlCustomers:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def deals_of(self, team_id: int, company_key: str) -> Sequence[CustomerDeal]:
        o = opportunities.c
        stmt = (
            select(o.id, o.title, o.stage, o.owner_id, o.amount_minor, o.currency)
            .join(leads, leads.c.id == o.lead_id)
            .where(o.team_id == team_id, leads.c.company_key == company_key)
            .order_by(o.created_at.desc(), o.id.desc())
            .limit(20)
        )
        return [
            CustomerDeal(int(r[0]), str(r[1]), str(getattr(r[2], "value", r[2])), r[3], r[4], str(r[5]))
            for r in (await self.session.execute(stmt)).all()
        ]

    async def quotes_of(self, team_id: int, opportunity_ids: Collection[int]) -> Sequence[CustomerQuote]:
        if not opportunity_ids:
            return []
        q = quotes.c
        stmt = (
            select(q.opportunity_id, q.year, q.seq, q.version, q.status, q.total_minor, q.currency)
            .where(q.team_id == team_id, q.opportunity_id.in_(list(opportunity_ids)), q.superseded_at.is_(None))
            .order_by(q.created_at.desc(), q.id.desc())
            .limit(20)
        )
        return [
            CustomerQuote(int(r[0]), quote_number(r[1], r[2], r[3]), str(getattr(r[4], "value", r[4])), int(r[5]),
                          str(r[6]))
            for r in (await self.session.execute(stmt)).all()
        ]
