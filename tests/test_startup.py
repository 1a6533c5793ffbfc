"""Start-up when the Bot API can't be reached: getMe is retried with growing pauses for
STARTUP_RETRY_SECONDS, then the bot exits with one line naming where it tried and TELEGRAM_API_BASE
(exit code 1, no traceback, never the token)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramServerError, TelegramUnauthorizedError
from aiogram.methods import GetMe, TelegramMethod

from bot.config import Settings
from bot.runner import StartupError, whoami
from bot.sandbox import SANDBOX_BOT_USERNAME, RecordingSession
from tests.outbox_support import TOKEN

ROOT = Path(__file__).resolve().parent.parent
SECRET = TOKEN.partition(":")[2]


class FakeTime:
    """monotonic() and sleep() for whoami: sleeping moves the time, nothing waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.pauses: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"bot_token": TOKEN, "database_url": "sqlite:///unused.db", "redis_url": None}
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


def bot_failing(times: int, error: type[Exception] = TelegramNetworkError, message: str = "") -> tuple[Bot, list[str]]:
    """A Bot whose first `times` getMe calls fail with `error`; records each attempt."""
    session = RecordingSession()
    attempts: list[str] = []

    def respond(method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            attempts.append("getMe")
            if len(attempts) <= times:
                raise error(method=method, message=message or f"ClientConnectorError: cannot connect ({TOKEN})")
        return None

    session.responder = respond
    return Bot(token=TOKEN, session=session), attempts


async def test_getme_is_retried_with_growing_pauses_until_telegram_answers() -> None:
    bot, attempts = bot_failing(5)
    clock = FakeTime()
    me = await whoami(bot, settings(startup_retry_seconds=60), sleep=clock.sleep, monotonic=clock.monotonic)
    assert me.username == SANDBOX_BOT_USERNAME
    assert len(attempts) == 6 and clock.pauses == [1, 2, 4, 8, 10]


async def test_server_errors_are_retried_too() -> None:
    bot, attempts = bot_failing(2, TelegramServerError, "Internal Server Error")
    clock = FakeTime()
    await whoami(bot, settings(), sleep=clock.sleep, monotonic=clock.monotonic)
    assert len(attempts) == 3


async def test_after_the_window_one_line_names_the_bot_api_server_and_hides_the_token() -> None:
    bot, attempts = bot_failing(1000)
    clock = FakeTime()
    with pytest.raises(StartupError) as raised:
        await whoami(
            bot, settings(startup_retry_seconds=30, telegram_api_base="http://127.0.0.1:8081"),
            sleep=clock.sleep, monotonic=clock.monotonic,
        )
    line = str(raised.value)
    assert "\n" not in line and "http://127.0.0.1:8081" in line and "TELEGRAM_API_BASE" in line
    assert "after 7 attempts in 30 s" in line and TOKEN not in line and SECRET not in line
    assert sum(clock.pauses) == 30 and clock.pauses == [1, 2, 4, 8, 10, 5]  # the last pause ends at the window
    assert len(attempts) == 7


async def test_without_a_bot_api_server_the_line_says_telegram_and_the_network() -> None:
    bot, _ = bot_failing(1000)
    clock = FakeTime()
    with pytest.raises(StartupError, match=r"Cannot reach Telegram at https://api\.telegram\.org .*network"):
        await whoami(bot, settings(startup_retry_seconds=5), sleep=clock.sleep, monotonic=clock.monotonic)


async def test_a_refused_token_is_not_retried() -> None:
    bot, attempts = bot_failing(1000, TelegramUnauthorizedError, "Unauthorized")
    clock = FakeTime()
    with pytest.raises(StartupError, match=r"does not accept the bot token .*BOT_TOKEN"):
        await whoami(bot, settings(), sleep=clock.sleep, monotonic=clock.monotonic)
    assert len(attempts) == 1 and clock.pauses == []


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends: nobody listens there


async def test_bot_exits_with_one_clear_line_when_the_bot_api_port_is_closed(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_USERNAME", "REDIS_URL", "DATABASE_URL")}
    env.update(
        BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=base, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        STARTUP_RETRY_SECONDS="2", LOG_LEVEL="INFO", PYTHONPATH=str(ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 300)
    printed = out.decode() + err.decode()
    assert process.returncode == 1, printed
    assert "Traceback" not in printed and TOKEN not in printed and SECRET not in printed
    last = err.decode().strip().splitlines()[-1]
    assert last.startswith(f"Cannot reach the Bot API server at {base} (TELEGRAM_API_BASE) after "), last
    assert "trying again in" in printed  # it did retry before giving up
