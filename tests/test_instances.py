"""Two real instances (`python -m bot run` processes) in webhook mode on one PostgreSQL and one Redis,
behind a "load balancer" that feeds them Telegram's updates round-robin — and every update twice, as
Telegram does when an answer is lost. Each update acts once; every notice reaches its chat once."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from domain.team import onboarding
from domain.team.model import Role
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.conftest import _admin_execute, pg_dsn
from tests.fakeapi import FakeBotApi, update_with_text
from tests.outbox_support import TOKEN

ROOT = Path(__file__).resolve().parent.parent
SECRET = "two_instances_secret"
REDIS = "redis://127.0.0.1:6379/14"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def pg_url(pg_template: str) -> AsyncIterator[str]:
    name = f"loopbot_i_{uuid.uuid4().hex[:12]}"
    await _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    try:
        yield pg_dsn(name)
    finally:
        await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_two_instances_behind_a_webhook_act_once_and_send_once(pg_url: str, tmp_path: Path) -> None:
    people = 6
    codes = await invites(pg_url, [Role.MANAGER] + [Role.REP] * people)
    chats = [700_100 + n for n in range(people + 1)]
    async with FakeBotApi(TOKEN) as api:
        ports = [free_port(), free_port()]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "WEBHOOK_", "HTTP_"))}
        env.update(
            BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=api.base, DATABASE_URL=pg_url, REDIS_URL=REDIS, PYTHONPATH=str(ROOT),
            WEBHOOK_URL="https://bot.example.com/tg", WEBHOOK_SECRET=SECRET, LOG_LEVEL="WARNING",
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
                await asyncio.sleep(3)  # let anything sent twice arrive before counting
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
