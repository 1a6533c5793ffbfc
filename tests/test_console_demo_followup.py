"""demo/followup.txt: in the console a rep logs a call in a few taps (with a typed note), moves the deal
on as the hint offers, finds it again by a phone fragment and reads its timeline."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_wait import ROOT, console


async def test_the_followup_demo_logs_finds_and_shows_the_timeline(tmp_path: Path) -> None:
    demo = (ROOT / "demo" / "followup.txt").read_text(encoding="utf-8")
    text, _ = await console(tmp_path, demo)
    assert "Traceback" not in text and "出了点问题" not in text and "cannot press" not in text
    assert "✅ 跟进已记录 · 华东科技\n    📞 电话 · 需要方案报价\n    备注：客户想先看案例，下周给答复" in text
    assert "🗓 下次跟进：11月27日 周五 09:00 · 跟进客户，到时提醒你。" in text
    assert "✅ 已进入「深度跟进」阶段。" in text
    assert "🔎 「8001」找到 1 个商机" in text
    assert "🕘 跟进记录 · 华东科技（共 1 条）\n    \n    1. 11月26日 周四 10:00 · 小王 · 📞 电话 · 需要方案报价" in text
    assert "👍 全队没有沉默或逾期的商机" in text
