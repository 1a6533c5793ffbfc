"""The rate limit shared through Redis (bot/shared_limits.py), against the real Redis: two "instances" (two
clients) book slots for one bot; the bot's pace, each chat's window and a 429's pause hold across both.
Without Redis (REDIS_URL unset, or Redis not answering) each process paces alone."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from itertools import pairwise

import pytest
import redis.asyncio as aioredis

from bot.outbox import OutboxDispatcher
from bot.pacing import Limits, Window
from bot.shared_limits import SharedLimits
from tests.fakeapi import FakeBotApi
from tests.fakes import FakeClock
from tests.outbox_support import TOKEN, dispatcher, outbox_app, queue, rows

REDIS_URL = "redis://127.0.0.1:6379/13"  # 14: tests/test_instances.py, 15: tests/test_flow_resilience.py
BOT = 123456


@pytest.fixture
async def namespace() -> AsyncIterator[str]:
    name = f"t{uuid.uuid4().hex[:10]}"
    yield name
    client = aioredis.from_url(REDIS_URL)
    try:
        keys = [k async for k in client.scan_iter(f"{name}:*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture
async def clients() -> AsyncIterator[tuple[aioredis.Redis, aioredis.Redis]]:
    first, second = aioredis.from_url(REDIS_URL), aioredis.from_url(REDIS_URL)
    try:
        yield first, second
    finally:
        await first.aclose()
        await second.aclose()


def two(clients: tuple[aioredis.Redis, aioredis.Redis], limits: Limits, namespace: str) -> tuple[SharedLimits, SharedLimits]:
    return SharedLimits(clients[0], limits, BOT, namespace=namespace), SharedLimits(clients[1], limits, BOT, namespace=namespace)


async def slots(shared: SharedLimits, chat_id: int) -> list[float]:
    """The slots booked for a chat, in Redis milliseconds."""
    return [score for _, score in await shared.redis.zrange(shared.chat_key(chat_id), 0, -1, withscores=True)]


async def test_two_instances_book_one_evenly_spaced_pace_for_the_bot(clients, namespace: str) -> None:  # type: ignore[no-untyped-def]
    limits = Limits(overall=Window(10, 1.0), private=Window(1, 1.0), safety=0.03)
    a, b = two(clients, limits, namespace)
    booked = []
    for n in range(10):  # ten chats, the two instances taking turns, as fast as they can ask
        grant = await (a if n % 2 else b).acquire(5000 + n)
        assert grant is not None and grant.granted, grant
        booked += await slots(a, 5000 + n)
    # One pace for both: every slot at least 103 ms after the one before (100 ms, 3% margin), so no
    # second holds more than ten, whichever instance booked them.
    assert all(later - earlier >= 103.0 - 1e-3 for earlier, later in pairwise(booked))
    assert all(sum(1 for s in booked if t - 1000 < s <= t) <= 10 for t in booked)
    assert a.granted + b.granted == 10


async def test_nobody_books_far_ahead_the_asker_is_told_how_long_to_wait(clients, namespace: str) -> None:  # type: ignore[no-untyped-def]
    a, b = two(clients, Limits(overall=Window(1, 10.0), private=Window(5, 1.0), safety=0.0), namespace)
    first = await a.acquire(1)
    assert first is not None and first.granted and first.delay < 0.5
    later = await b.acquire(2)  # the bot's next slot is ten seconds away: more than a second ahead
    assert later is not None and not later.granted and later.reason == "bot"
    assert 8.0 < later.wait <= 9.0  # until that slot is within a second
    assert await slots(a, 2) == []  # a refusal books nothing


async def test_a_chat_written_to_by_one_instance_waits_on_the_other(clients, namespace: str) -> None:  # type: ignore[no-untyped-def]
    limits = Limits(overall=Window(1000, 1.0), private=Window(1, 10.0), group=Window(3, 60.0), safety=0.0)
    a, b = two(clients, limits, namespace)
    assert (await a.acquire(42)).granted  # type: ignore[union-attr]
    refused = await b.acquire(42)
    assert refused is not None and not refused.granted and refused.reason == "chat"
    assert 9.0 < refused.wait <= 10.01  # (the slot may lie a gap of 1 ms ahead of Redis's clock)
    assert (await b.acquire(43)).granted  # type: ignore[union-attr]  # another chat is free
    # A group takes three in its minute, from either instance, then waits for the first to leave the window.
    assert [(await s.acquire(-100500)).granted for s in (a, b, a)] == [True, True, True]  # type: ignore[union-attr]
    fourth = await b.acquire(-100500)
    assert fourth is not None and (fourth.granted, fourth.reason) == (False, "chat") and 59.0 < fourth.wait <= 60.01


async def test_a_429_seen_by_one_instance_pauses_the_other(clients, namespace: str) -> None:  # type: ignore[no-untyped-def]
    a, b = two(clients, Limits(overall=Window(30, 1.0), safety=0.03), namespace)
    await a.pause(5)
    refused = await b.acquire(7)
    assert refused is not None and (refused.granted, refused.reason) == (False, "paused")
    assert 4.0 < refused.wait <= 5.0
    # And the bot's next slot moved past the pause, for when it ends.
    seconds, micros = await b.redis.time()
    assert float(await b.redis.get(b.slot_key)) >= seconds * 1000 + micros / 1000 + 4000  # type: ignore[arg-type]
    await a.pause(1)  # a shorter pause never shortens a longer one
    assert 3.0 < (await b.acquire(7)).wait  # type: ignore[union-attr]


async def test_redis_not_answering_means_pacing_alone(namespace: str) -> None:
    down = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    try:
        shared = SharedLimits(down, Limits(), BOT, namespace=namespace)
        assert await shared.acquire(1) is None
        assert await shared.acquire(2) is None  # not asked again at once: alone for a while
        await shared.pause(3)  # a 429 then pauses this process only, and raises nothing
    finally:
        await down.aclose()


async def test_delivery_goes_on_when_redis_is_down(db_url: str, clock: FakeClock, namespace: str) -> None:
    limits = Limits(overall=Window(50, 1.0), private=Window(5, 1.0), safety=0.08)
    down = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    async with FakeBotApi(TOKEN) as api, outbox_app(db_url, api, clock) as app:
        try:
            await queue(app, [(8000 + c, f"m{c}") for c in range(5)])
            shared = SharedLimits(down, limits, BOT, namespace=namespace)
            report = await dispatcher(app, limits, shared=shared).run_once()
        finally:
            await down.aclose()
        assert report.sent == 5 and {r.state for r in await rows(app)} == {"sent"}


async def test_the_limit_is_shared_only_when_redis_is_configured(db_url: str, clock: FakeClock) -> None:
    async with FakeBotApi(TOKEN) as api:
        async with outbox_app(db_url, api, clock) as alone:  # REDIS_URL unset: the single-process default
            assert OutboxDispatcher(alone).shared is None
        async with outbox_app(db_url, api, clock, redis_url=REDIS_URL) as scaled:
            shared = OutboxDispatcher(scaled).shared
            assert shared is not None and shared.redis is scaled.dp.storage.redis  # type: ignore[attr-defined]
            assert shared.prefix == f"loopbot:{{{BOT}}}:"  # per bot: every instance with this token shares it
            assert abs(shared.gap_ms - 1000 / 30 * 1.03) < 1e-9  # 30/s, less the safety margin
        async with outbox_app(db_url, api, clock, redis_url=REDIS_URL, bot_token=None) as sandbox:
            assert OutboxDispatcher(sandbox).shared is None  # nothing to pace without Telegram behind
