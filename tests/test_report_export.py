"""📥 导出 Excel under a report: the period's deals, follow-ups and quotes as an XLSX, read back; a large
export shows its progress by editing one status message."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import pytest
from aiogram.methods import EditMessageText, SendDocument
from aiogram.types import BufferedInputFile
from openpyxl import load_workbook

from bot.factory import App
from bot.sandbox import Sandbox
from domain.reports import export as export_module
from domain.team.model import Role
from handlers import report as report_handlers
from tests.conftest import join
from tests.fakes import FakeClock
from tests.test_report_flow import seeded


def documents(sandbox: Sandbox, chat_id: int) -> list[BufferedInputFile]:
    return [
        call.method.document for call in sandbox.session.calls
        if isinstance(call.method, SendDocument) and call.chat_id == chat_id
        and isinstance(call.method.document, BufferedInputFile)
    ]


async def test_the_months_export_reads_back_with_numbers_and_local_times(
    app: App, sandbox: Sandbox, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "PAGE", 2)
    monkeypatch.setattr(report_handlers, "PROGRESS_EVERY", 2)
    await seeded(app, clock)
    lily = await join(app, sandbox, "lily", Role.MANAGER, team="华东")
    await lily.send("/report 2026-11-01 2026-11-30")
    await lily.press("📥 导出 Excel")
    [document] = documents(sandbox, lily.telegram_id)
    assert document.filename == "report-20261101-20261130.xlsx"
    book = load_workbook(io.BytesIO(document.data))
    assert book.sheetnames == ["商机", "跟进记录", "报价单"]
    deals = list(book["商机"].iter_rows(values_only=True))
    assert deals[0] == ("编号", "客户", "商机名称", "负责人", "阶段", "金额（元）", "来源", "创建时间", "丢单原因", "最近跟进")
    assert len(deals) == 1 + 5  # D1 D2 D3 D4 D6: not D5 (1 December local), not the October ones
    d1 = book["商机"]["A2":"J2"][0]
    assert d1[3].value == "小王" and d1[4].value == "赢单" and d1[6].value == "官网"
    assert Decimal(str(d1[5].value)) == Decimal("100000")
    assert d1[5].number_format == "#,##0.00"
    assert d1[7].value == datetime(2026, 11, 2, 10, 0) and d1[7].is_date  # local time, a date-time cell
    activities = list(book["跟进记录"].iter_rows(values_only=True))
    assert len(activities) == 1 + 5 and {row[3] for row in activities[1:]} == {"电话", "备注", "拜访", "微信/消息"}
    quotes = list(book["报价单"].iter_rows(values_only=True))
    assert [row[1] for row in quotes[1:]] == ["Q-2026-0001-v1", "Q-2026-0002-v1", "Q-2026-0003-v1"]
    assert quotes[3][4] == "客户已拒绝"
    # The status message: started, moved on as pages were written, then said what the file holds.
    edits = [c.method.text for c in sandbox.session.calls if isinstance(c.method, EditMessageText)
             and c.chat_id == lily.telegram_id and "导出" in (c.method.text or "")]
    assert any("正在导出" in text and "/ 13 行" in text for text in edits)
    assert "✅ 已导出 11月1日–11月30日：13 行（商机 5，跟进 5，报价 3）" in edits[-1]


async def test_a_period_with_nothing_says_so(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    await seeded(app, clock)
    lily = await join(app, sandbox, "lily", Role.MANAGER, team="华东")
    await lily.send("/report 2025-01-01 2025-01-31")
    calls = await lily.press("📥 导出 Excel")
    assert documents(sandbox, lily.telegram_id) == []
    assert any("没有可导出的" in (getattr(c.method, "text", None) or "") for c in calls)
