"""Webhook mode: Telegram posts updates to WEBHOOK_URL on the HTTP API; a request without the secret
token gets 401 and does nothing; a redelivered update acts once. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.factory import App, build_app
from bot.sandbox import RecordingSession
from bot.web import WEBHOOK_KEY, build_web_app, webhook_secret
from tests.fakes import FakeClock

TOKEN = "123456:" + "A" * 35
CHAT = 777001


@pytest.fixture
async def hooked(db_url: str, clock: FakeClock) -> AsyncIterator[App]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db_url, bot_token=TOKEN, redis_url=None, throttle_per_second=1000.0,
        webhook_url="https://bot.example.com/telegram/hook",
    )
    application = build_app(settings, session=RecordingSession(), clock=clock)
    try:
        yield application
    finally:
        await application.close()


def start_update(update_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": int(datetime.now(UTC).timestamp()), "text": "/start",
            "chat": {"id": CHAT, "type": "private", "first_name": "小王"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "小王", "language_code": "zh-hans"},
        },
    }


async def handled(client: TestClient[Any, Any], session: RecordingSession) -> list[str]:
    """What the chat shows once every update posted so far has been handled (in the background)."""
    handler = client.server.app[WEBHOOK_KEY]
    await asyncio.gather(*list(handler._background_feed_update_tasks))
    return [sent.text for sent in session.messages(CHAT)]


async def test_only_telegram_with_the_secret_gets_in_and_a_redelivered_update_acts_once(hooked: App) -> None:
    session = hooked.bot.session
    assert isinstance(session, RecordingSession)
    async with TestClient(TestServer(build_web_app(hooked))) as client:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
            response = await client.post("/telegram/hook", json=start_update(1), headers=headers)
            assert response.status == 401
        assert session.messages(CHAT) == []

        secret = {"X-Telegram-Bot-Api-Secret-Token": webhook_secret(hooked.settings)}
        response = await client.post("/telegram/hook", json=start_update(2), headers=secret)
        assert response.status == 200
        first = await handled(client, session)
        assert len(first) == 1 and "邀请" in first[0], first  # a stranger is told how to join

        again = await client.post("/telegram/hook", json=start_update(2), headers=secret)  # Telegram retries
        assert again.status == 200
        await client.post("/telegram/hook", json=start_update(3), headers=secret)
        after = await handled(client, session)
        assert len(after) == 2, after  # update 2 answered once, update 3 once


def test_webhook_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="https"):
        Settings(_env_file=None, webhook_url="http://bot.example.com/hook")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="A-Z"):
        Settings(_env_file=None, webhook_secret="has space")  # type: ignore[call-arg]
    one = Settings(_env_file=None, bot_token=TOKEN)  # type: ignore[call-arg]
    other = Settings(_env_file=None, bot_token=TOKEN, http_port="")  # type: ignore[call-arg]
    assert webhook_secret(one) == webhook_secret(other) and TOKEN not in webhook_secret(one)
    assert Settings(_env_file=None, webhook_secret="s3cret_x").webhook_secret is not None  # type: ignore[call-arg]


async def test_a_sweep_runs_in_one_instance_at_a_time_and_another_takes_over(db_url: str, clock: FakeClock) -> None:
    from bot.app import Periodic
    from bot.scheduler import lease_ttl, timed

    settings = Settings(_env_file=None, database_url=db_url, bot_token=None)  # type: ignore[call-arg]
    first = build_app(settings, session=RecordingSession(), clock=clock)
    second = build_app(settings, session=RecordingSession(), clock=clock)
    ran: list[str] = []

    def job(who: str) -> Periodic:
        async def run() -> None:
            ran.append(who)

        return Periodic(name="sweep:test", seconds=30, run=run, leased=True)

    try:
        one, two = timed(first, job("first")), timed(second, job("second"))
        assert await one() and not await two()
        clock.advance(seconds=30)
        assert await one() and not await two()  # the holder renews every period
        clock.advance(seconds=lease_ttl(job("first")).total_seconds() + 1)  # the first instance stopped
        assert await two() and not await one()
        assert ran == ["first", "first", "second"]
    finally:
        await first.close()
        await second.close()
