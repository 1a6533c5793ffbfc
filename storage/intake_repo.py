"""API keys and intake receipts in storage."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.intake.model import ApiKey, IntakeReceipt
from storage.sql import get_by_id
from storage.tables import api_keys, intake_receipts


class SqlApiKeys:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, key: ApiKey) -> ApiKey:
        self.session.add(key)
        await self.session.flush()
        return key

    async def get(self, key_id: int) -> ApiKey | None:
        return await get_by_id(self.session, ApiKey, key_id)

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        stmt = select(ApiKey).where(api_keys.c.key_hash == key_hash)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_form_slug(self, slug: str) -> ApiKey | None:
        stmt = select(ApiKey).where(api_keys.c.form_slug == slug)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def of_team(self, team_id: int) -> Sequence[ApiKey]:
        stmt = (
            select(ApiKey).where(api_keys.c.team_id == team_id, api_keys.c.revoked_at.is_(None)).order_by(api_keys.c.id)
        )
        return (await self.session.execute(stmt)).scalars().all()


class SqlReceipts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, api_key_id: int, idempotency_key: str) -> IntakeReceipt | None:
        stmt = select(IntakeReceipt).where(
            intake_receipts.c.api_key_id == api_key_id, intake_receipts.c.idempotency_key == idempotency_key
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add(self, receipt: IntakeReceipt) -> IntakeReceipt:
        self.session.add(receipt)
        await self.session.flush()
        return receipt
