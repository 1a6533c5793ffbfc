"""The console's `!wait`: the sandbox clock moves and the scheduler's jobs run along the way, so
reminders fire and the morning agenda goes out at the team's local times."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bot.config import Settings
from bot.console import run_console
from domain.clock import OffsetClock
from storage.db import create_engine
from storage.tables import notifications
from tests.fakes import START

ROOT = Path(__file__).resolve().parent.parent

LINES = """\
!invite rep 华东销售部
/start $code
/remind
#1
给华东科技回电话
/remind
明天 10点
准备报价单
!wait 2h
!wait soon
!wait 2h30
!wait 1d
"""


def shanghai(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour - 8, 0, tzinfo=UTC)


async def console(tmp_path: Path, lines: str) -> tuple[str, str]:
    url = f"sqlite:///{tmp_path / 'console.db'}"
    settings = Settings(_env_file=None, database_url=url, bot_token=None, redis_url=None)  # type: ignore[call-arg]
    out = io.StringIO()
    clock = OffsetClock(START - datetime.now(UTC))  # Thursday 10:00 in Shanghai, whenever the test runs
    assert await run_console(settings, stdin=io.StringIO(lines), out=out, clock=clock) == 0
    return out.getvalue(), url


async def test_wait_moves_the_clock_and_runs_the_jobs(tmp_path: Path) -> None:
    text, url = await console(tmp_path, LINES)
    assert "11月26日 周四 11:00 提醒你" in text and "11月27日 周五 10:00 提醒你" in text
    assert "(time is now 11月26日 周四 12:00, Asia/Shanghai)" in text
    assert "(time is now 11月27日 周五 12:00, Asia/Shanghai)" in text
    assert text.count("usage: !wait") == 2  # "soon" and "2h30" are not durations
    assert "Traceback" not in text and "出了点问题" not in text

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(select(notifications).order_by(notifications.c.not_before))).mappings().all()
    finally:
        await engine.dispose()
    assert [(r["kind"], r["text"], r["not_before"].replace(second=0, microsecond=0)) for r in rows] == [
        ("reminder", "⏰ 提醒：给华东科技回电话", shanghai(26, 11)),
        ("digest.agenda", "☀️ 早上好！今天还有 1 条提醒：\n• 10:00 准备报价单", shanghai(27, 9)),
        ("reminder", "⏰ 提醒：准备报价单", shanghai(27, 10)),
    ]
