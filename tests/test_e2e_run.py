"""End to end: `python -m bot run` against a fake Bot API server, the way it runs in production.

The operator creates an invite with `python -m bot invite`; the person opens it (the fake server hands
the bot a `/start <code>` update through getUpdates); the greeting comes back over HTTP. The token
never shows in anything the processes print, even at DEBUG level.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from pathlib import Path

from tests.fakeapi import FakeBotApi, update_with_text
from tests.outbox_support import TOKEN

ROOT = Path(__file__).resolve().parent.parent
CHAT = 555_001


async def run_cli(env: dict[str, str], cwd: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def test_bot_runs_against_a_bot_api_server_and_greets_an_invited_rep(tmp_path: Path) -> None:
    async with FakeBotApi(TOKEN) as api:
        env = {
            key: value for key, value in os.environ.items()
            if key not in ("BOT_USERNAME", "REDIS_URL", "DATABASE_URL", "TELEGRAM_API_BASE", "BOT_TOKEN")
        }
        env.update(
            BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=api.base, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
            LOG_LEVEL="DEBUG", PYTHONPATH=str(ROOT),
        )

        invite = await run_cli(env, tmp_path, "invite", "--role", "rep", "--team", "X")
        out, err = await asyncio.wait_for(invite.communicate(), 300)
        assert invite.returncode == 0, err.decode()
        printed = out.decode() + err.decode()
        code = re.search(r"^code: (\S+)$", out.decode(), re.M)
        assert code is not None, printed
        assert f"https://t.me/loop_fake_bot?start={code.group(1)}" in printed  # asked getMe for the name

        api.add_update(update_with_text(1, CHAT, f"/start {code.group(1)}"))
        bot = await run_cli(env, tmp_path, "run")
        try:
            deadline = time.monotonic() + 300  # generous: start-up is slow on a busy machine
            while not any("欢迎加入" in r.text or "Welcome" in r.text for r in api.delivered(CHAT)):
                assert bot.returncode is None, (await bot.stderr.read()).decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "no greeting within 300 s"
                await asyncio.sleep(0.05)
        finally:
            if bot.returncode is None:
                bot.send_signal(signal.SIGTERM)
            try:
                out, err = await asyncio.wait_for(bot.communicate(), 120)
            except TimeoutError:
                bot.kill()
                out, err = await bot.communicate()

        greeting = next(r.text for r in api.delivered(CHAT) if "欢迎加入" in r.text)
        assert "「X」" in greeting and "销售" in greeting
        methods = {method for _, method in api.calls}
        assert {"getMe", "getUpdates", "setMyCommands", "sendMessage"} <= methods
        assert bot.returncode == 0  # a clean shutdown on SIGTERM
        printed += out.decode() + err.decode()
        assert "running as @loop_fake_bot" in printed
        secret = TOKEN.partition(":")[2]
        assert TOKEN not in printed and secret not in printed
