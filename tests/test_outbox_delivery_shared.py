"""Two dispatchers (two instances' worth) on one PostgreSQL database and one Redis, against the fake Bot
API: together they keep the bot's and each chat's limits as one bot, and a 429 one of them gets pauses both.
The server only records here (enforce=False), so what is counted is what reached it."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as aioredis

from bot.factory import App
from bot.outbox import OutboxDispatcher
from bot.pacing import Limits, Window
from bot.shared_limits import SharedLimits
from domain.clock import SystemClock
from tests.fakeapi import Cap, FakeBotApi
from tests.outbox_support import TOKEN, dispatcher, outbox_app, queue, rows
from tests.test_pacing_shared import BOT, REDIS_URL

# The bot is told 8/s and 0.8/s per person; Telegram (the fake server) counts 10/s and 1/s. The gap is
# the room a busy machine's scheduling needs; two instances pacing alone would send 16/s.
LIMITS = Limits(overall=Window(8, 1.0), private=Window(1, 1.25), group=Window(20, 60.0))


def pair(first: App, second: App, shared: tuple[SharedLimits, SharedLimits], **kwargs: Any) -> list[OutboxDispatcher]:
    """Two dispatchers that each hold only a few rows at a time, so both have work all along."""
    both = [
        dispatcher(app, LIMITS, owner=f"instance-{n}", shared=limits, **kwargs)
        for n, (app, limits) in enumerate(zip((first, second), shared, strict=True))
    ]
    for outbox in both:
        outbox.capacity = 6
    return both


@pytest.fixture
async def redis_pair() -> AsyncIterator[tuple[SharedLimits, SharedLimits]]:
    namespace = f"t{uuid.uuid4().hex[:10]}"
    first, second = aioredis.from_url(REDIS_URL), aioredis.from_url(REDIS_URL)
    try:
        yield SharedLimits(first, LIMITS, BOT, namespace=namespace), SharedLimits(second, LIMITS, BOT, namespace=namespace)
    finally:
        keys = [k async for k in first.scan_iter(f"{namespace}:*")]
        if keys:
            await first.delete(*keys)
        await first.aclose()
        await second.aclose()


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_two_dispatchers_keep_the_limits_as_one_bot(db_url: str, redis_pair) -> None:  # type: ignore[no-untyped-def]
    a, b = redis_pair
    async with FakeBotApi(TOKEN, global_cap=Cap(10, 1.0), private_cap=Cap(1, 1.0), enforce=False) as api:
        async with outbox_app(db_url, api, SystemClock()) as first, outbox_app(db_url, api, SystemClock()) as second:
            await queue(first, [(30_000 + c, f"#{k} for {c}") for k in range(2) for c in range(16)])

            one, other = await asyncio.gather(*(outbox.run_once() for outbox in pair(first, second, redis_pair)))

            assert one.sent > 0 and other.sent > 0  # both did their share
            assert one.sent + other.sent == 32 and {r.state for r in await rows(first)} == {"sent"}
            assert set(Counter(r.text for r in api.delivered()).values()) == {1}
            # Counted at the server: no second with more than 10, no person with two messages within a second.
            assert api.violations() == {"global": 0, "private": 0, "group": 0}
            assert a.granted + b.granted >= 32


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_a_429_to_one_dispatcher_pauses_the_other(db_url: str, redis_pair) -> None:  # type: ignore[no-untyped-def]
    async with FakeBotApi(TOKEN) as api:
        async with outbox_app(db_url, api, SystemClock()) as first, outbox_app(db_url, api, SystemClock()) as second:
            await queue(first, [(31_000 + c, f"m{c}") for c in range(24)])
            api.fail_next("429:2")

            # One request at a time each: when the 429 comes back, at most one request of the other instance
            # is on its way (or booked), and nothing else may reach the server for two seconds.
            both = pair(first, second, redis_pair, max_in_flight=1)
            one, other = await asyncio.gather(*(outbox.run_once() for outbox in both))

            assert one.rate_limited + other.rate_limited == 1 and one.sent + other.sent == 24
            assert one.sent > 0 and other.sent > 0
            refused = next(r for r in api.records if r.outcome == "injected_429")
            early = [r for r in api.records if refused.at < r.at < refused.at + 2.0]
            assert len(early) <= 1, [(round(r.at - refused.at, 3), r.chat_id) for r in early]
            retried = next(r for r in await rows(first) if r.text == refused.text)
            assert (retried.state, retried.attempts) == ("sent", 0)
