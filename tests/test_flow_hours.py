"""/hours: everyone sees the team's working hours; managers change them, and quiet hours follow."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from aiogram.methods import AnswerCallbackQuery

from bot.factory import App
from bot.sandbox import Sandbox
from domain.team.model import Role
from domain.worktime import parse_working_hours
from handlers.hours import HoursCb
from tests.conftest import join


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-18:00 周一至周五", (time(9), time(18), "01234")),
        ("9点到18点 周一到周六", (time(9), time(18), "012345")),
        ("８：３０－１７：３０ 工作日", (time(8, 30), time(17, 30), "01234")),
        ("8:30-17:30 Mon - Fri", (time(8, 30), time(17, 30), "01234")),
        ("9-21 每天", (time(9), time(21), "0123456")),
        ("10-19 周六至周一", (time(10), time(19), "056")),
        ("9-18", (time(9), time(18), "012345")),  # days unchanged
    ],
)
def test_working_hours_as_managers_type_them(text: str, expected: tuple[time, time, str]) -> None:
    assert parse_working_hours(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "18-9", "9-18 周八", "9-18 sometimes", "25-26", "9:75-18"])
def test_unreadable_working_hours(text: str) -> None:
    assert parse_working_hours(text) is None


async def test_manager_changes_hours_by_preset_and_by_typing(app: App, sandbox: Sandbox) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/hours")
    assert "「华东销售部」的工作时间：周一至周六 09:00–21:00（Asia/Shanghai）" in rep.last.text
    assert rep.last.markup is None
    await rep.send("/hours 9-18")
    assert "只有销售经理或管理员" in rep.last.text

    await manager.send("/hours")
    assert [b for b, _ in manager.last.buttons] == ["周一至周五 09:00–18:00", "周一至周五 08:30–17:30"]
    _, preset = manager.find_button("周一至周五 09:00–18:00")
    await manager.press("周一至周五 09:00–18:00")
    assert manager.last.edited and "工作时间改为 周一至周五 09:00–18:00" in manager.last.text
    calls = await manager.press_data(preset)
    alerts = [c.method for c in calls if isinstance(c.method, AnswerCallbackQuery)]
    assert alerts and "没有变化" in (alerts[0].text or "")

    await manager.send("/hours 随便")
    assert "没看懂这个工作时间" in manager.last.text
    await manager.send("/hours 8:30-17:30 周一到周五")
    assert "工作时间改为 周一至周五 08:30–17:30" in manager.last.text
    calls = await rep.press_data(HoursCb(start="0000", end="2359", days="0123456").pack())
    alerts = [c.method for c in calls if isinstance(c.method, AnswerCallbackQuery)]
    assert alerts and "只有销售经理或管理员" in (alerts[0].text or "")

    async with app.uow() as uow:
        team = await uow.teams.by_name("华东销售部")
        assert team is not None and (team.work_start, team.work_end, team.work_days) == (time(8, 30), time(17, 30), "01234")
        # A system-scheduled message on Friday at 18:00 now waits for Monday 08:30.
        from domain.worktime import next_working_moment

        friday_evening = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
        assert next_working_moment(friday_evening, team) == datetime(2026, 11, 30, 0, 30, tzinfo=UTC)
        events = await uow.audit.for_entity("team", team.id or 0)
        assert [e.action for e in events].count("team.working_hours") == 2
