"""Figures /healthz and /metrics read: the outbox's backlog, its oldest due row, the dead letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.outbox.model import NotificationState
from storage.tables import NOTIFICATIONS_PENDING
from storage.tables import notifications as n


@dataclass(frozen=True)
class OutboxHealth:
    backlog: int
    oldest_due_seconds: float
    dead: int


async def outbox_health(conn: AsyncConnection, now: datetime) -> OutboxHealth:
    # On the partial index ix_notifications_due (pending rows only).
    due = await conn.execute(
        select(func.count(), func.min(n.c.next_attempt_at)).select_from(n).where(NOTIFICATIONS_PENDING, n.c.next_attempt_at <= now)
    )
    count, oldest = due.one()
    dead = await conn.execute(select(func.count()).select_from(n).where(n.c.state == NotificationState.DEAD.value))
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
    return OutboxHealth(backlog=int(count or 0), oldest_due_seconds=round(age, 1), dead=int(dead.scalar_one() or 0))
