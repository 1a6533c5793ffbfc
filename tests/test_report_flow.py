"""/report in chat: the manager picks a period and reads the month's numbers, with the picture; a rep
sees only their own; the chart's Chinese title is drawn with the CJK font shipped by mplfonts."""

from __future__ import annotations

from aiogram.methods import SendPhoto
from aiogram.types import BufferedInputFile

from bot.charts import CJK_FONT_FILE, ChartText, draw_report
from bot.factory import App
from bot.sandbox import Sandbox
from domain.team.model import Role
from tests.conftest import join
from tests.fakes import FakeClock
from tests.report_month import NOW, seed_month


async def seeded(app: App, clock: FakeClock) -> None:
    clock.set(NOW)
    async with app.uow() as uow:
        assert uow.session is not None
        await seed_month(uow.session)
        await uow.commit()


def photos(sandbox: Sandbox, chat_id: int) -> list[BufferedInputFile]:
    return [
        call.method.photo for call in sandbox.session.calls
        if isinstance(call.method, SendPhoto) and call.chat_id == chat_id and isinstance(call.method.photo, BufferedInputFile)
    ]


async def test_a_manager_reads_novembers_review_with_its_picture(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    await seeded(app, clock)
    lily = await join(app, sandbox, "lily", Role.MANAGER, team="华东")
    await lily.send("/report")
    assert "看哪段时间的复盘" in lily.last.text
    await lily.send("/report 2026-11-01 2026-11-30")
    text = lily.last.text
    assert "华东 · 复盘 11月1日–11月30日" in text
    assert "新线索 6 条，已赢单 1 条（线索→赢单 16.7%）" in text
    assert "赢单 1 单 ¥100,000.00 · 丢单 2 单 · 赢率 33.3%" in text
    assert "商机认定：5 → 3（60%）" in text and "方案报价：2 → 1（50%）" in text
    assert "线索→首次跟进：1 天 / 3 天（3 个），还有 2 条没跟进" in text
    assert "分配→接手确认：20 分钟 / 1.5 小时（2 个）" in text
    assert "🔴 沉默商机：1 · 1（提醒 2，升级 1）" in text
    assert "在谁手上：小王 1" in text
    assert "价格太高：1 单 ¥50,000.00" in text
    assert "官网：50%（1/2）" in text
    [picture] = photos(sandbox, lily.telegram_id)
    assert picture.data.startswith(b"\x89PNG") and len(picture.data) > 10_000
    # The period buttons are under the numbers: 本月 (December, nothing closed yet) replaces them in place.
    await lily.press("本月")
    assert lily.last.edited and "12月1日–12月31日" in lily.last.text and "新线索 1 条" in lily.last.text  # D5, at 00:30
    assert "🔴 沉默商机：1 · 0" in lily.last.text  # open now whatever the period
    assert len(photos(sandbox, lily.telegram_id)) == 2


async def test_a_rep_sees_only_their_own_numbers(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    await seeded(app, clock)
    await join(app, sandbox, "lily", Role.MANAGER, team="华东")
    zhao = await join(app, sandbox, "zhao", Role.REP, team="华东")
    await zhao.send("/report 11-01 11-30")
    assert "我的复盘 · 11月1日–11月30日" in zhao.last.text
    assert "新线索 0 条" in zhao.last.text and "赢单 0 单" in zhao.last.text
    assert "按销售" not in zhao.last.text and "🌐" not in str(zhao.last.buttons)


async def test_bad_days_get_an_example(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    await seeded(app, clock)
    lily = await join(app, sandbox, "lily", Role.MANAGER, team="华东")
    await lily.send("/report 11-31 12-01")
    assert "例如 /report 2026-11-01 2026-11-15" in lily.last.text
    await lily.send("/report 2026-11-30 2026-11-01")
    assert "结束日期不能早于开始日期" in lily.last.text


def test_the_chart_is_a_png_drawn_in_the_cjk_font() -> None:
    chart = draw_report(ChartText(
        title="华东销售部 · 11月复盘", funnel_title="销售漏斗", stages=["商机认定", "深度跟进", "赢单"],
        entered=[5, 3, 1], converted=[3, 2, 0], entered_label="进入", converted_label="推进",
        times_title="各阶段停留（天）", time_stages=["商机认定"], median_days=[1.0], p90_days=[19.1],
        median_label="中位数", p90_label="90%", days_label="天", empty="—",
    ))
    assert chart.png.startswith(b"\x89PNG") and len(chart.png) > 10_000
    assert chart.title_font.endswith(CJK_FONT_FILE)
