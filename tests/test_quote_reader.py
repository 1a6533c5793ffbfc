"""Quotes in the reader's language (issue 11), on SQLite and PostgreSQL: an approval card, its reminder and the
documents name each product in the reader's language (the English name when the product has one, else the
Chinese one; a free line as it was typed) and show money the reader's way: ¥12,345.00 in Chinese,
CNY 12,345.00 in English (where ¥ could be read as yen). Each reader of one quote gets their own."""

from __future__ import annotations

import io

from aiogram.methods import SendDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.factory import App
from bot.sandbox import Sandbox
from domain.quotes import approvals
from domain.quotes import products as product_service
from domain.quotes import services as quote_service
from domain.team.model import Role, User
from handlers.quotes.common import QAct, QuoteCb
from tests.conftest import join
from tests.deal_support import member, seed_deal
from tests.quote_support import buttons_of, notes_to, seed_catalog, tap


async def english_quote(app: App, manager: User, rep: User, *, discount_bp: int) -> int:
    """A quote on the rep's deal: CRM Pro × 10, a product with no English name × 1, a free line; submitted."""
    products = {p.code: p for p in await seed_catalog(app, manager)}
    async with app.uow() as uow:
        plain = await product_service.add_product(
            uow, actor=manager, now=app.clock.now(),
            values={"code": "KIOSK", "name_zh": "自助终端", "unit": "台", "list_price_minor": 500_000, "cost_minor": 200_000},
        )
        await uow.commit()
    deal_id = await seed_deal(app, rep, "Pacific Trading")
    now = app.clock.now()
    async with app.uow() as uow:
        quote = await quote_service.start_quote(uow, actor=rep, opportunity_id=deal_id, now=now)
        qid = quote.id or 0
        await quote_service.add_product_line(uow, actor=rep, quote_id=qid, product_id=products["CRM-PRO"].id or 0,
                                             quantity=10, now=now)
        await quote_service.add_product_line(uow, actor=rep, quote_id=qid, product_id=plain.id or 0, quantity=1,
                                             now=now)
        await quote_service.add_free_line(uow, actor=rep, quote_id=qid, name="现场培训", unit_price_minor=200_000,
                                          quantity=1, now=now)
        await quote_service.set_quote_discount(uow, actor=rep, quote_id=qid, discount_bp=discount_bp, now=now)
        await approvals.submit(uow, actor=rep, quote_id=qid, now=now)
        await uow.commit()
    return qid


async def test_each_approver_reads_the_card_in_their_language_and_the_documents_follow_the_rep(
    app: App, sandbox: Sandbox
) -> None:
    manager_p = await join(app, sandbox, "Li", Role.MANAGER, language_code="en")
    rep_p = await join(app, sandbox, "Wang", Role.REP, language_code="en")
    admin_p = await join(app, sandbox, "王总", Role.ADMIN)
    manager, rep, admin = [await member(app, p) for p in (manager_p, rep_p, admin_p)]
    qid = await english_quote(app, manager, rep, discount_bp=2500)  # 25%: both levels

    [card] = await notes_to(app, manager, "quote.approval")
    text = card["text"]
    assert "1. CRM Pro × 10 @ CNY 12,800.00 = CNY 96,000.00 ⚠️" in text  # the English name, money in English
    assert "2. 自助终端 × 1 @ CNY 5,000.00" in text and "3. 现场培训 × 1 @ CNY 2,000.00" in text  # no English name
    assert "¥" not in text and "CRM 专业版" not in text
    await tap(manager_p, buttons_of(card)["✅ Approve"])
    [admin_card] = await notes_to(app, admin, "quote.approval")
    assert "1. CRM 专业版 × 10 @ ¥12,800.00 = ¥96,000.00 ⚠️" in admin_card["text"] and "CNY" not in admin_card["text"]
    await tap(admin_p, buttons_of(admin_card)["✅ 批准"])
    approved = (await notes_to(app, rep, "quote.status"))[-1]
    assert "total CNY" in approved["text"]

    await tap(rep_p, QuoteCb(act=QAct.OPEN, id=qid).pack())
    screen = rep_p.last.text
    assert "CRM Pro × 10" in screen and "Total (with tax): CNY 114,307.50" in screen and "¥" not in screen
    calls = await rep_p.press("PDF")
    [pdf] = [c.method for c in calls if isinstance(c.method, SendDocument)]
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.document.data)).pages)  # type: ignore[union-attr]
    for expected in ("CRM Pro (CRM-PRO)", "自助终端 (KIOSK)", "现场培训", "CNY 96,000.00", "CNY 114,307.50"):
        assert expected in pdf_text, (expected, pdf_text)
    assert "¥" not in pdf_text
    calls = await rep_p.press("Excel")
    [xlsx] = [c.method for c in calls if isinstance(c.method, SendDocument)]
    sheet = load_workbook(io.BytesIO(xlsx.document.data)).active  # type: ignore[union-attr]
    cells = [[c for c in row if c not in (None, "")] for row in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]
    assert any(row[:2] == ["1", "CRM Pro (CRM-PRO)"] and "CNY 12,800.00" in row for row in cells), cells
    assert any(row[:2] == ["2", "自助终端 (KIOSK)"] for row in cells)
