"""Shared by the outbox tests: an App wired to the fake Bot API server, and rows queued in bulk."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from bot.config import Settings
from bot.factory import App, build_app
from bot.outbox import Limits, OutboxDispatcher, Window
from domain.clock import Clock
from storage.tables import notifications
from tests.fakeapi import Cap, FakeBotApi

# A made-up token of the real shape: digits, a colon, a 35-character secret.
TOKEN = "123456:AAHfakeSecretForTests0123456789abcd"
assert len(TOKEN.partition(":")[2]) == 35


def cap(w: Window) -> Cap:
    return Cap(w.limit, w.seconds)


def fake_api(limits: Limits, **kwargs: Any) -> FakeBotApi:
    """A server enforcing exactly the caps the dispatcher is told to keep."""
    return FakeBotApi(TOKEN, global_cap=cap(limits.overall), private_cap=cap(limits.private), group_cap=cap(limits.group), **kwargs)


def settings_for(db_url: str, api_base: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": db_url, "bot_token": TOKEN, "telegram_api_base": api_base, "redis_url": None,
        "throttle_per_second": 1000.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def outbox_app(db_url: str, api: FakeBotApi, clock: Clock | None = None, **overrides: Any) -> AsyncIterator[App]:
    app = build_app(settings_for(db_url, api.base, **overrides), clock=clock)
    try:
        yield app
    finally:
        await app.close()


def dispatcher(app: App, limits: Limits, **kwargs: Any) -> OutboxDispatcher:
    # Generous: a send that is merely slow on a busy machine must not look failed and be sent twice.
    kwargs.setdefault("send_timeout", 10.0)
    return OutboxDispatcher(app, limits=limits, **kwargs)


async def queue(app: App, messages: Iterable[tuple[int, str]], *, prefix: str = "t", **fields: Any) -> None:
    """Pending rows as the renderer would write them: (chat_id, html text), due now."""
    now = app.clock.now()
    rows = [
        {
            "kind": "test", "chat_id": chat_id, "text": text, "urgent": False, "not_before": now,
            "dedupe_key": f"{prefix}:{i}", "state": "pending", "attempts": 0, "next_attempt_at": now,
            "created_at": now, "reply_markup": None, "recipient_id": None, "team_id": None, **fields,
        }
        for i, (chat_id, text) in enumerate(messages)
    ]
    async with app.engine.begin() as conn:
        for start in range(0, len(rows), 2000):
            await conn.execute(insert(notifications), rows[start : start + 2000])


@dataclass
class Row:
    id: int
    chat_id: int
    text: str
    state: str
    attempts: int
    last_error: str | None
    dedupe_key: str
    message_id: int | None
    lease_owner: str | None


async def rows(app: App) -> list[Row]:
    n = notifications
    stmt = select(
        n.c.id, n.c.chat_id, n.c.text, n.c.state, n.c.attempts, n.c.last_error, n.c.dedupe_key, n.c.message_id,
        n.c.lease_owner,
    ).order_by(n.c.id)
    async with app.engine.connect() as conn:
        return [
            Row(r.id, r.chat_id, r.text, str(r.state.value if hasattr(r.state, "value") else r.state), r.attempts,
                r.last_error, r.dedupe_key, r.message_id, r.lease_owner)
            for r in (await conn.execute(stmt)).all()
        ]
