"""What the customer card reads: one company's deals, their current quotes and their contracts."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.contracts.model import contract_number
from domain.quotes.model import quote_number
from domain.renewals.model import CustomerContract, CustomerDeal, CustomerQuote
from storage.tables import contract_milestones, contracts, leads, opportunities, quotes


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

    async def contracts_of(self, team_id: int, opportunity_ids: Collection[int]) -> Sequence[CustomerContract]:
        if not opportunity_ids:
            return []
        c, m = contracts.c, contract_milestones.c
        stmt = (
            select(c.id, c.opportunity_id, c.year, c.seq, c.status, c.amount_minor, c.paid_minor, c.currency)
            .where(c.team_id == team_id, c.opportunity_id.in_(list(opportunity_ids)))
            .order_by(c.created_at.desc(), c.id.desc())
            .limit(20)
        )
        found = (await self.session.execute(stmt)).all()
        if not found:
            return []
        open_ms = (
            select(m.contract_id, m.position, m.label, m.due_on, m.amount_minor, m.paid_minor)
            .where(m.contract_id.in_([int(r[0]) for r in found]), m.paid_minor < m.amount_minor)
            .order_by(m.contract_id, m.position)
        )
        first: dict[int, tuple[int, str, date, int]] = {}
        for r in (await self.session.execute(open_ms)).all():
            first.setdefault(int(r[0]), (int(r[1]), str(r[2]), r[3], int(r[4]) - int(r[5])))
        lines = []
        for r in found:
            status = str(getattr(r[4], "value", r[4]))
            step = first.get(int(r[0])) if status != "cancelled" else None
            lines.append(CustomerContract(
                int(r[0]), int(r[1]), contract_number(int(r[2]), int(r[3])), status, int(r[5]), int(r[6]), str(r[7]),
                next_label=step[1] if step else None, next_position=step[0] if step else None,
                next_due=step[2] if step else None, next_outstanding_minor=step[3] if step else None,
            ))
        return lines
