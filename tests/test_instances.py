"""Two real instances (`python -m bot run` processes) in webhook mode on one PostgreSQL and one Redis,
behind a "load balancer" that feeds them Telegram's updates round-robin — and every update twice, as
Telegram does when an answer is lost. Each update acts once; every notice reaches its chat once; and a
burst of notices for many chats, sent by both, keeps Telegram's limits as one bot (the rate limit shared
through Redis), counted at the fake Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import insert

from domain.team import onboarding
from domain.team.model import Role
from storage.db import create_engine, session_factory
from storage.tables import notifications
from storage.uow import SqlUnitOfWork
from tests.conftest import PgClones, pg_dsn
from tests.fakeapi import Cap, FakeBotApi, update_with_text
from tests.outbox_support import TOKEN

ROOT = Path(__file__).resolve().parent.parent
SECRET = "two_instances_secret"
REDIS = "redis://127.0.0.1:6379/14"
# The instances are told 8/s for the bot and 0.8/s per person; the fake Bot API counts Telegram's caps,
# 10/s and 1/s: the difference is room for a busy machine's scheduling, not for a second instance
# (two instances pacing alone would send up to 16/s).
RATES = {"RATE_GLOBAL_PER_SECOND": "8", "RATE_PRIVATE_PER_SECOND": "0.8"}
TELEGRAM_CAPS = {"global_cap": Cap(10, 1.0), "private_cap": Cap(1, 1.0)}
BURST_CHATS, BURST_EACH = 40, 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def pg_url(pg_clones: PgClones) -> AsyncIterator[str]:
    name = pg_clones.take()
    try:
        yield pg_dsn(name)
    finally:
        pg_clones.drop(name)


async def invites(url: str, roles: list[Role]) -> list[str]:
    engine = create_engine(url)
    try:
        async with SqlUnitOfWork(session_factory(engine)) as uow:
            team = await onboarding.ensure_team(uow, name="华东销售部", timezone="Asia/Shanghai", now=_now())
            assert team.id is not None
            codes = []
            for role in roles:
                code, _ = await onboarding.create_invite(uow, actor=None, role=role, team_id=team.id, now=_now())
                codes.append(code)
            await uow.commit()
        return codes
    finally:
        await engine.dispose()


async def queue_burst(url: str) -> None:
    """Notices for many chats at once (as a digest job or an import would queue them), several per chat."""
    now = _now()
    rows: list[dict[str, Any]] = [
        {
            "kind": "test", "chat_id": 710_000 + chat, "text": f"burst {k} for {chat}", "urgent": False,
            "not_before": now, "dedupe_key": f"burst:{chat}:{k}", "state": "pending", "attempts": 0,
            "next_attempt_at": now, "created_at": now, "reply_markup": None, "recipient_id": None, "team_id": None,
        }
        for k in range(BURST_EACH) for chat in range(BURST_CHATS)
    ]
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(notifications), rows)
    finally:
        await engine.dispose()


def sent_by(metrics: str) -> float:
    for line in metrics.splitlines():
        if line.startswith("loopbot_outbox_sent_total "):
            return float(line.split()[1])
    return 0.0


def busiest_second(times: list[float]) -> int:
    """The most arrivals within any one second (a sliding window ending at each arrival)."""
    return max((sum(1 for s in times if t - 1.0 < s <= t) for t in times), default=0)


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_two_instances_behind_a_webhook_act_once_and_send_once(pg_url: str, tmp_path: Path) -> None:
    people = 6
    codes = await invites(pg_url, [Role.MANAGER] + [Role.REP] * people)
    chats = [700_100 + n for n in range(people + 1)]
    # Record only (no 429s): every message that reached the server is counted against the caps.
    async with FakeBotApi(TOKEN, enforce=False, **TELEGRAM_CAPS) as api:
        ports = [free_port(), free_port()]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "WEBHOOK_", "HTTP_"))}
        env.update(
            BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=api.base, DATABASE_URL=pg_url, REDIS_URL=REDIS, PYTHONPATH=str(ROOT),
            WEBHOOK_URL="https://bot.example.com/tg", WEBHOOK_SECRET=SECRET, LOG_LEVEL="WARNING", **RATES,
        )
        procs = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=tmp_path, env={**env, "HTTP_PORT": str(port)},
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            for port in ports
        ]
        try:
            async with aiohttp.ClientSession() as http:
                deadline = time.monotonic() + 300  # generous: two start-ups on a busy machine
                for port in ports:
                    while True:
                        assert time.monotonic() < deadline, "an instance did not come up"
                        for proc in procs:
                            assert proc.returncode is None, (await proc.stderr.read()).decode()  # type: ignore[union-attr]
                        try:
                            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                                if response.status == 200:
                                    break
                        except aiohttp.ClientError:
                            pass
                        await asyncio.sleep(0.2)

                async def deliver(update_id: int, chat: int, text: str) -> None:
                    update = update_with_text(update_id, chat, text, first_name=f"P{chat % 100}")
                    for copy in range(2):  # round-robin, and every update twice
                        port = ports[(update_id + copy) % 2]
                        async with http.post(
                            f"http://127.0.0.1:{port}/tg", json=update,
                            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                        ) as response:
                            assert response.status == 200

                update_id = 1
                for chat, code in zip(chats, codes, strict=True):
                    await deliver(update_id, chat, f"/start {code}")
                    update_id += 1
                for n, chat in enumerate(chats[1:]):  # each rep brings a hot lead; the policy hands it to another
                    await deliver(update_id, chat, f"/lead 张{n} 1390013{n:04d} 客户{n}号科技 官网 预算50万 本月上线")
                    update_id += 1

                def greeted() -> int:
                    return sum(1 for r in api.delivered() if "欢迎加入" in r.text)

                def cards() -> list[str]:
                    return [r.text for r in api.delivered() if "客户" in r.text and "号科技" in r.text]

                while greeted() < len(chats) or len({c for c in cards()}) < people:
                    assert time.monotonic() < deadline, (greeted(), len(cards()))
                    await asyncio.sleep(0.2)
                # A burst of notices for many chats: both instances deliver it, holding the limits as one bot.
                await queue_burst(pg_url)

                def burst() -> list[str]:
                    return [r.text for r in api.delivered() if r.text.startswith("burst ")]

                while len(set(burst())) < BURST_CHATS * BURST_EACH:
                    assert time.monotonic() < deadline + 120, len(burst())
                    await asyncio.sleep(0.2)
                await asyncio.sleep(3)  # let anything sent twice arrive before counting
                shares = []
                for port in ports:
                    async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
                        shares.append(sent_by(await response.text()))
        finally:
            for proc in procs:
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    await asyncio.wait_for(proc.communicate(), 120)
                except TimeoutError:
                    proc.kill()
        per_chat_text = Counter((r.chat_id, r.text) for r in api.delivered())
        assert [pair for pair, count in per_chat_text.items() if count > 1] == []
        assert sum(1 for r in api.delivered() if "欢迎加入" in r.text) == len(chats)
        assert {"setWebhook"} <= {method for _, method in api.calls}
        assert "getUpdates" not in {method for _, method in api.calls}  # webhook mode: nobody polls
        # The burst: sent once each, by both instances, and never more than Telegram's caps in any second.
        assert sorted(Counter(burst()).values()) == [1] * BURST_CHATS * BURST_EACH
        assert all(share > 0 for share in shares), shares
        # Counted from the burst's first arrival on (the replies to people's own messages before it are not
        # paced by the outbox: they answer a message that just came in).
        start = min(r.at for r in api.delivered() if r.text.startswith("burst "))
        during = [r for r in api.delivered() if r.at >= start]
        assert busiest_second([r.at for r in during]) <= TELEGRAM_CAPS["global_cap"].limit
        for chat in range(710_000, 710_000 + BURST_CHATS):
            times = sorted(r.at for r in during if r.chat_id == chat)
            assert len(times) == BURST_EACH
            assert all(later - earlier >= 1.0 for earlier, later in pairwise(times)), (chat, times)
