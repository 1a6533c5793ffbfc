"""demo/reports.txt: in the console a rep captures two leads and logs a follow-up; the manager opens
/report for this month (the numbers, the chart as a picture, the Excel export with its progress) and for
typed days; the next morning the team digest arrives by itself, and on Monday the weekly review comes as
the funnel chart with the week's numbers under it."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_wait import ROOT, console


async def test_the_reports_demo_shows_numbers_chart_export_and_the_digest(tmp_path: Path) -> None:
    demo = (ROOT / "demo" / "reports.txt").read_text(encoding="utf-8")
    text, _ = await console(tmp_path, demo)
    assert "Traceback" not in text and "出了点问题" not in text and "cannot press" not in text
    assert "📊 看哪段时间的复盘？" in text
    assert "华东销售部 · 复盘" in text and "新线索 2 条" in text
    assert "🖼 report-" in text and ".png" in text
    assert "📎 report-" in text and ".xlsx" in text
    assert "✅ 已导出 11月1日–11月30日：2 行（商机 1，跟进 1，报价 0）" in text
    assert "bot › ☀️ 团队早报\n    昨天新线索：2 条" in text
    assert "bot › 🖼 report-20261123-20261129.png" in text
    assert ".png (" in text and "bytes)\n  bot › 📊 上周复盘 11月23日–11月29日\n    新线索 2 条（比前一周 +2）" in text
