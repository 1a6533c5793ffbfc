"""Leads in storage."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import (
    Select,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.leads.model import Lead
from storage.sql import get_by_id, insert_new
from storage.tables import (
    leads,
)

IN_CHUNK = 500  # values per IN (...) list

# Every capture runs these (the duplicate check, the per-person cap): built once (storage/sql.py says why).
_MATCH_COLUMNS = ("phone", "email", "company_key")


@cache
def _matching(by: tuple[str, ...]) -> Select[Lead]:
    """Leads sharing any of the `by` columns with the values bound under the columns' names."""
    wanted = or_(*(leads.c[name] == bindparam(name) for name in by))
    return select(Lead).where(wanted).order_by(leads.c.id.desc()).limit(bindparam("limit"))


_CAPTURED_SINCE = (
    select(func.count())
    .select_from(leads)
    .where(leads.c.created_by == bindparam("user_id"), leads.c.created_at > bindparam("since"))
)


class SqlLeads:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, lead: Lead) -> Lead:
        await insert_new(self.session, leads, [lead])
        return lead

    async def add_many(self, new: Sequence[Lead]) -> Sequence[Lead]:
        await insert_new(self.session, leads, new)
        return new

    async def get(self, lead_id: int) -> Lead | None:
        return await get_by_id(self.session, Lead, lead_id)

    async def matching(
        self, *, phone: str | None, email: str | None, company_key: str | None, limit: int
    ) -> Sequence[Lead]:
        values = {
            name: value for name, value in zip(_MATCH_COLUMNS, (phone, email, company_key), strict=True) if value
        }
        if not values:
            return []
        found = await self.session.execute(_matching(tuple(values)), {**values, "limit": limit})
        return found.scalars().all()

    async def in_team_matching(
        self, team_id: int, *, phones: Collection[str], emails: Collection[str], company_keys: Collection[str]
    ) -> Sequence[Lead]:
        # One statement for a batch of an import (up to IN_CHUNK values a column), a few for a whole file.
        found: dict[int, Lead] = {}
        lists = [
            (column, sorted({value for value in values if value}))
            for column, values in ((leads.c.phone, phones), (leads.c.email, emails), (leads.c.company_key, company_keys))
        ]
        longest = max(len(wanted) for _, wanted in lists)
        for start in range(0, longest, IN_CHUNK):
            conditions = [
                column.in_(wanted[start : start + IN_CHUNK]) for column, wanted in lists if wanted[start : start + IN_CHUNK]
            ]
            stmt = select(Lead).where(leads.c.team_id == team_id, or_(*conditions))
            for lead in (await self.session.execute(stmt)).scalars():
                assert lead.id is not None
                found[lead.id] = lead
        return [found[key] for key in sorted(found)]

    async def captured_since(self, user_id: int, since: datetime) -> int:
        # On ix_leads_created_by (created_by, created_at): the per-person capture cap.
        found = await self.session.execute(_CAPTURED_SINCE, {"user_id": user_id, "since": since})
        return int(found.scalar_one())
