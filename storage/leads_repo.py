"""Leads in storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.leads.model import Lead
from storage.tables import (
    leads,
)


class SqlLeads:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, lead: Lead) -> Lead:
        self.session.add(lead)
        await self.session.flush()
        return lead

    async def get(self, lead_id: int) -> Lead | None:
        return await self.session.get(Lead, lead_id)

    async def matching(
        self, *, phone: str | None, email: str | None, company_key: str | None, limit: int
    ) -> Sequence[Lead]:
        conditions = []
        if phone:
            conditions.append(leads.c.phone == phone)
        if email:
            conditions.append(leads.c.email == email)
        if company_key:
            conditions.append(leads.c.company_key == company_key)
        if not conditions:
            return []
        stmt = select(Lead).where(or_(*conditions)).order_by(leads.c.id.desc()).limit(limit)
        return (await self.session.execute(stmt)).scalars().all()

    async def captured_since(self, user_id: int, since: datetime) -> int:
        # On ix_leads_created_by (created_by, created_at): the per-person capture cap.
        stmt = select(func.count()).select_from(leads).where(leads.c.created_by == user_id, leads.c.created_at > since)
        return int((await self.session.execute(stmt)).scalar_one())
