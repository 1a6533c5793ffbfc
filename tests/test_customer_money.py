"""The customer card's money (客户卡片 · 合同与回款), on SQLite and PostgreSQL: each contract of the customer with
its status, amount, what was paid, what is outstanding and the next milestone due, a button to the contract's
screen; a rep sees the contracts of their own deals, not of a colleague's deal with the same customer."""

from __future__ import annotations

from datetime import date

from bot.factory import App
from bot.sandbox import Sandbox
from domain.contracts import services as contracts
from domain.contracts.model import PaymentMethod
from domain.money import Money
from domain.team.model import Role
from tests.conftest import join
from tests.deal_support import member, seed_deal
from tests.fakes import FakeClock
from tests.quote_support import another_deal_with
from tests.test_payment_reminders import contract_on, people, plan, sign


async def test_the_customer_card_lists_contracts_paid_outstanding_and_the_next_milestone(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    p = await people(app, sandbox)
    manager, rep, finance = p["经理"][1], p["销售"][1], p["财务"][1]
    rep_p = p["销售"][0]
    contract_id = await contract_on(app, manager, rep, amount=10_000_000)  # ¥100,000.00 on 客户10000000
    milestones = await plan(app, manager, contract_id, date(2026, 12, 1), date(2026, 12, 15), date(2027, 1, 15))
    await sign(app, manager, contract_id)
    async with app.uow() as uow:
        await contracts.record_payment(uow, actor=finance, contract_id=contract_id, amount=Money(3_333_000, "CNY"),
                                       paid_on=date(2026, 11, 26), method=PaymentMethod.BANK, now=clock.now(),
                                       milestone_id=milestones[0])
        await uow.commit()

    await rep_p.send("/customer 客户10000000")
    card = rep_p.last.text
    assert "💰 合同 1 份，待收合计 ¥66,670.00" in card, card
    assert "HT-2026-0001 · 回款中 · 合同 ¥100,000.00 · 已回款 ¥33,330.00 · 待收 ¥66,670.00" in card
    assert "下一笔：2. 第2期 ¥33,330.00，2026年12月15日 到期" in card
    await rep_p.press("📑 HT-2026-0001")
    assert "HT-2026-0001" in rep_p.last.text and "第2期" in rep_p.last.text

    # A colleague's deal with the same customer and its contract: the rep does not see it; finance does.
    other_p = await join(app, sandbox, "小赵", Role.REP)
    other = await member(app, other_p)
    async with app.uow() as uow:
        first = await uow.contracts.get(contract_id)
        assert first is not None
    theirs = await another_deal_with(app, other, first.opportunity_id)  # the same customer, 小赵's deal
    async with app.uow() as uow:
        deal = await uow.opportunities.get(theirs)
        assert deal is not None
        deal.amount = Money(5_000_000)
        await uow.commit()
    async with app.uow() as uow:
        await contracts.open_contract(uow, actor=manager, opportunity_id=theirs, now=clock.now())
        await uow.commit()
    await rep_p.send("/customer 客户10000000")
    assert "💰 合同 1 份" in rep_p.last.text and "HT-2026-0002" not in rep_p.last.text
    finance_p = p["财务"][0]
    await finance_p.send("/customer 客户10000000")
    assert "💰 合同 2 份" in finance_p.last.text and "HT-2026-0002 · 草稿" in finance_p.last.text
    assert "📑 HT-2026-0002" in [label for label, _ in finance_p.last.buttons]


async def test_a_customer_without_contracts_says_so(app: App, sandbox: Sandbox) -> None:
    rep_p = await join(app, sandbox, "小王", Role.REP)
    await seed_deal(app, await member(app, rep_p), "华东科技")
    await rep_p.send("/customer 华东科技")
    assert "💰 还没有合同。" in rep_p.last.text
