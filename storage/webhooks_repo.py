"""Webhook endpoints and deliveries in storage: the unit of work's repository, and the worker's store
(claims with a lease, so two instances never send one delivery at the same time)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.webhooks.model import DeliveryState, WebhookDelivery, WebhookEndpoint
from storage.preload import Preloaded
from storage.sql import get_by_id
from storage.tables import webhook_deliveries as d
from storage.tables import webhook_endpoints as e

PENDING = DeliveryState.PENDING.value


class SqlWebhooks:
    def __init__(self, session: AsyncSession, preloaded: Preloaded | None = None) -> None:
        self.session = session
        self.preloaded = preloaded

    async def add(self, endpoint: WebhookEndpoint) -> WebhookEndpoint:
        self.session.add(endpoint)
        await self.session.flush()
        if self.preloaded is not None:
            self.preloaded.hooked.pop(endpoint.team_id, None)
        return endpoint

    async def get(self, endpoint_id: int) -> WebhookEndpoint | None:
        return await get_by_id(self.session, WebhookEndpoint, endpoint_id)

    async def of_team(self, team_id: int) -> Sequence[WebhookEndpoint]:
        stmt = select(WebhookEndpoint).where(e.c.team_id == team_id).order_by(e.c.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def listening(self, team_id: int, event: str) -> Sequence[WebhookEndpoint]:
        if self.preloaded is not None and self.preloaded.hooked.get(team_id) is False:
            return []  # the update's context found the team has no endpoint (SqlUsers.current)
        # A team has a handful of endpoints at most: filter the events list here, the same on both databases.
        stmt = select(WebhookEndpoint).where(e.c.team_id == team_id).order_by(e.c.id)
        return [ep for ep in (await self.session.execute(stmt)).scalars().all() if event in ep.events]

    async def remove(self, endpoint: WebhookEndpoint) -> None:
        await self.session.execute(delete(d).where(d.c.endpoint_id == endpoint.id))
        await self.session.delete(endpoint)
        await self.session.flush()

    async def queue(self, delivery: WebhookDelivery) -> None:
        self.session.add(delivery)


@dataclass(frozen=True)
class Claimed:
    id: int
    endpoint_id: int
    url: str
    secret: str
    event: str
    event_id: str
    payload: dict[str, Any]
    attempts: int


class WebhookStore:
    """What the delivery worker (bot/webhooks.py) reads and writes, each in its own short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def claim(self, now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
        due = (
            select(d.c.id)
            .join(e, e.c.id == d.c.endpoint_id)
            .where(
                d.c.state == PENDING, d.c.next_attempt_at <= now, e.c.active.is_(True),
                (d.c.lease_until.is_(None)) | (d.c.lease_until < now),
            )
            .order_by(d.c.next_attempt_at, d.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=d)
        )
        async with self.engine.begin() as conn:
            ids = [row[0] for row in await conn.execute(due)]
            if not ids:
                return []
            await conn.execute(update(d).where(d.c.id.in_(ids)).values(lease_until=now + lease))
            rows = await conn.execute(
                select(d.c.id, d.c.endpoint_id, e.c.url, e.c.secret, d.c.event, d.c.event_id, d.c.payload, d.c.attempts)
                .join(e, e.c.id == d.c.endpoint_id)
                .where(d.c.id.in_(ids))
                .order_by(d.c.next_attempt_at, d.c.id)
            )
            return [Claimed(**dict(row._mapping)) for row in rows]

    async def sent(self, delivery_id: int, endpoint_id: int, now: datetime) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                update(d).where(d.c.id == delivery_id).values(
                    state=DeliveryState.SENT.value, sent_at=now, attempts=d.c.attempts + 1, lease_until=None,
                    last_error=None,
                )
            )
            await conn.execute(update(e).where(e.c.id == endpoint_id).values(failures=0))

    async def failed(
        self, delivery_id: int, endpoint_id: int, error: str, retry_at: datetime | None
    ) -> int:
        """The attempt failed: retry at `retry_at` (None: dead). Returns the endpoint's failures in a row."""
        async with self.engine.begin() as conn:
            values: dict[str, Any] = {"attempts": d.c.attempts + 1, "last_error": error[:500], "lease_until": None}
            if retry_at is None:
                values["state"] = DeliveryState.DEAD.value
            else:
                values["next_attempt_at"] = retry_at
            await conn.execute(update(d).where(d.c.id == delivery_id).values(**values))
            await conn.execute(update(e).where(e.c.id == endpoint_id).values(failures=e.c.failures + 1))
            return int((await conn.execute(select(e.c.failures).where(e.c.id == endpoint_id))).scalar_one_or_none() or 0)
