"""demo/reminders.txt: in the console a reminder fires, is snoozed, fires again and is marked done,
and the next morning's agenda comes before the nudge. Needs the outbox dispatcher (install_outbox),
which delivers what the sweeps queue."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_wait import ROOT, console


async def test_the_reminders_demo_shows_a_reminder_firing(tmp_path: Path) -> None:
    demo = (ROOT / "demo" / "reminders.txt").read_text(encoding="utf-8")
    text, _ = await console(tmp_path, demo)
    assert "Traceback" not in text and "出了点问题" not in text and "cannot press" not in text
    fired = "bot › ⏰ 提醒：给华东科技回电话\n    [1] ✅ 搞定了\n    [2] 💤 1小时后  [3] 💤 明天再说  [4] 💤 3天后"
    assert text.count(fired) == 2  # on time, and again an hour after the snooze
    assert "💤 好的，11月26日 周四 13:00 再提醒你。" in text
    assert "✅ 已完成，辛苦啦！" in text
    assert "bot (popup) › 这条提醒已经处理过了，不用再点 👌" in text
    assert text.index("☀️ 早上好！今天还有 1 条提醒：\n    • 10:00 准备报价单") < text.index("bot › ⏰ 提醒：准备报价单")
