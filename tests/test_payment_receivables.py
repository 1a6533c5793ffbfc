"""/receivables and the morning agenda, on SQLite and PostgreSQL: what is owed on signed contracts, by age
bucket, by customer and by rep, matches the open milestones to the fen; a rep sees only their own; the XLSX
export has every open milestone and every payment; the morning agenda tells the owner of payments due today
and overdue, and finance of confirmations waiting."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

from aiogram.methods import SendDocument
from openpyxl import load_workbook

from bot.factory import App
from bot.sandbox import Sandbox
from bot.sweeps import run_digests
from domain.contracts import services as contracts
from domain.contracts.model import PaymentMethod
from domain.money import Money
from domain.team.model import Role, User
from tests.conftest import join
from tests.deal_support import member
from tests.fakes import FakeClock
from tests.test_payment_reminders import contract_on, plan, sign


async def confirmed(app: App, finance: User, contract_id: int, minor: int) -> None:
    async with app.uow() as uow:
        await contracts.record_payment(uow, actor=finance, contract_id=contract_id, amount=Money(minor),
                                       paid_on=date(2026, 11, 20), method=PaymentMethod.BANK, now=app.clock.now())
        await uow.commit()


async def book(app: App, sandbox: Sandbox) -> dict[str, Any]:
    """Today is Thursday 26 Nov 2026. 小王's ¥100,000.00 contract: 33.33% / 33.33% / 33.34% due 1 Dec (not due),
    10 Nov (16 days late) and 1 Sep (86 days late), ¥10,000.00 confirmed (on the first, by plan order).
    小李's ¥50,000.00 contract: all due 1 Jul (148 days late). A draft contract owes nothing yet."""
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    finance_p = await join(app, sandbox, "财务小陈", Role.FINANCE)
    manager, wang, li, finance = [await member(app, p) for p in (manager_p, wang_p, li_p, finance_p)]
    first = await contract_on(app, manager, wang, amount=10_000_000)
    await plan(app, wang, first, date(2026, 12, 1), date(2026, 11, 10), date(2026, 9, 1))
    await sign(app, wang, first)
    await confirmed(app, finance, first, 1_000_000)
    second = await contract_on(app, manager, li, amount=5_000_000)
    await plan(app, li, second, date(2026, 7, 1))
    await sign(app, li, second)
    draft = await contract_on(app, manager, li, amount=7_000_000)
    await plan(app, li, draft, date(2026, 12, 1))
    return {"manager_p": manager_p, "wang_p": wang_p, "li_p": li_p, "finance_p": finance_p, "wang": wang,
            "finance": finance, "first": first}


async def test_receivables_by_age_customer_and_rep_to_the_fen(app: App, sandbox: Sandbox) -> None:
    people = await book(app, sandbox)
    finance_p = people["finance_p"]
    await finance_p.send("/receivables")
    text = finance_p.last.text
    # ¥100,000.00 - ¥10,000.00 + ¥50,000.00 = ¥140,000.00; the draft owes nothing yet.
    assert "应收回款</b>：共 ¥140,000.00（4 期未回齐）" in text
    assert "• 未到期：¥23,330.00" in text  # the first third (¥33,330.00) less ¥10,000.00
    assert "• 逾期 1–30 天：¥33,330.00" in text and "• 逾期 61–90 天：¥33,340.00" in text
    assert "• 逾期 90 天以上：¥50,000.00" in text and "• 逾期 31–60 天：¥0.00" in text
    assert "• 小王：¥90,000.00" in text and "• 小李：¥50,000.00" in text
    assert "🔴 逾期 3 期" in text
    labels = [label for label, _ in finance_p.last.buttons]
    assert labels[0].startswith("HT-2026-0002") and any(label.startswith("HT-2026-0001") for label in labels)

    # A rep sees their own only.
    await people["wang_p"].send("/receivables")
    mine = people["wang_p"].last.text
    assert "我的应收</b>：共 ¥90,000.00（3 期未回齐）" in mine and "小李" not in mine and "按销售" not in mine

    # The export: every open milestone and every payment, the amounts as numbers.
    calls = await finance_p.press("导出 Excel")
    [sent] = [call.method for call in calls if isinstance(call.method, SendDocument)]
    workbook = load_workbook(io.BytesIO(sent.document.data))  # type: ignore[union-attr]
    open_rows = [row for row in workbook["应收"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(open_rows) == 4 and sum(row[7] for row in open_rows if row[7]) == 140_000
    totals = [row for row in workbook["应收"].iter_rows(values_only=True) if row[6] == "合计"]
    assert totals[0][7] == 140_000
    paid = list(workbook["回款记录"].iter_rows(min_row=2, values_only=True))
    assert paid == [("HT-2026-0001", "客户10000000", 10_000, 10_000, datetime(2026, 11, 20), "银行转账", "已确认",
                     "财务小陈")]


async def test_the_morning_agenda_tells_of_money(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    people = await book(app, sandbox)
    async with app.uow() as uow:
        milestones = await uow.contracts.milestones(people["first"])
        await contracts.report_payment(
            uow, actor=people["wang"], contract_id=people["first"], milestone_id=milestones[1].id or 0,
            amount=Money(500_000), paid_on=date(2026, 11, 26), method=PaymentMethod.WECHAT, receipt_file_id="r1",
            receipt_kind="photo", now=clock.now())
        await uow.commit()
    clock.set(datetime(2026, 12, 1, 1, 5, tzinfo=UTC))  # Tuesday 1 Dec, 09:05 in Shanghai
    await run_digests(app)
    from tests.deal_support import inbox

    [wang_agenda] = [text for text in await inbox(app, people["wang"]) if "早上好" in text]
    assert "💰 今天到期的回款 1 笔" in wang_agenda and "HT-2026-0001 客户10000000 1. 第1期 ¥23,330.00" in wang_agenda
    assert "🔴 逾期未回的款 2 笔" in wang_agenda and "3. 第3期 ¥33,340.00" in wang_agenda
    [finance_agenda] = [text for text in await inbox(app, people["finance"]) if "早上好" in text]
    assert "有 1 笔回款等你确认" in finance_agenda and "逾期未回" not in finance_agenda
