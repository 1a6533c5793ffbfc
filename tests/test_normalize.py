"""Typed text is normalised at the edge (bot/normalize.py): NUL and other control characters dropped (a NUL
used to make PostgreSQL refuse the write), zero-width-only text empty (it was accepted as a company name),
NFC. On SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata

from sqlalchemy import select

from bot.factory import App
from bot.normalize import normalize_text
from bot.sandbox import Sandbox
from storage.tables import leads
from tests.test_flow_leads import labels, rep_in, walk_to_summary


def test_control_characters_go_line_breaks_and_tabs_stay() -> None:
    assert normalize_text("华东\x00科技") == "华东科技"
    assert normalize_text("a\x01b\x7fc\x1bd\u0085e") == "abcde"
    assert normalize_text("第一行\n第二行\tx") == "第一行\n第二行\tx"
    assert normalize_text("x\ud800y") == "xy"  # a lone surrogate


def test_zero_width_only_is_empty_and_a_joiner_inside_text_stays() -> None:
    for text in ("\u200b", "\u200b\u200c\u200d", " \ufeff \u2060 ", "\u00ad", "\x00"):
        assert normalize_text(text) == "", repr(text)
    family = "👨\u200d👩\u200d👧"
    assert normalize_text(f"{family} 客户") == f"{family} 客户"


def test_text_is_nfc() -> None:
    decomposed = "Cafe\u0301 Müller"
    assert normalize_text(decomposed) == unicodedata.normalize("NFC", decomposed) == "Café Müller"


async def company_names(app: App) -> list[str]:
    async with app.engine.connect() as conn:
        return [row[0] for row in await conn.execute(select(leads.c.company).order_by(leads.c.id))]


async def test_a_nul_in_a_company_name_is_dropped_and_the_lead_is_saved(app: App, sandbox: Sandbox) -> None:
    rep = await rep_in(app, sandbox)
    await walk_to_summary(rep, company="华东\x00科技\x07")
    assert "公司：华东科技" in rep.last.text
    await rep.press("确认保存")
    assert "线索已保存：<b>华东科技</b>" in rep.last.text, rep.last.text
    assert await company_names(app) == ["华东科技"]

    await rep.send("张三 13900139000 西湖\x00软件 官网 预算30万 本月上线 想上OA系统\x00管审批")  # quick capture
    assert "公司：西湖软件" in rep.last.text and "需求：想上OA系统管审批" in rep.last.text
    await rep.send("/find 西湖\x00")
    assert "出了点问题" not in rep.last.text


async def test_a_zero_width_company_name_is_refused_with_a_clear_message(app: App, sandbox: Sandbox) -> None:
    rep = await rep_in(app, sandbox)
    await rep.send("/lead")
    await rep.send("\u200b\u200b")
    assert "公司名称要 1 到 128 个字" in rep.last.text and "客户公司叫什么" in rep.last.text
    assert "第 1/10 步" in rep.last.text and "取消" in " ".join(labels(rep))
    await rep.send("\u200b华东科技\u200b")  # real text around them stays as it is
    assert "联系人怎么称呼" in rep.last.text
    assert await company_names(app) == []
