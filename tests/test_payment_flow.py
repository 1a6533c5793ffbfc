"""Contracts and payments in chat, on SQLite and PostgreSQL: the customer accepts the quote → the rep drafts
the contract from the deal card, picks the 30/60/10 plan, sends it for signature and sends the bot the signed
PDF (the deal moves to the payment stage) → the rep reports the first payment with a receipt → finance
confirms from the card in one tap; a rep and another team's finance forging the press are refused and a
repeated press confirms once → the rest comes in and the deal moves to delivery. Webhooks hear
contract.signed and payment.confirmed."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select

from bot.factory import App
from bot.sandbox import Person, Sandbox
from domain.contracts.model import ContractStatus, PaymentState
from domain.deals.model import Stage
from domain.quotes import approvals, lifecycle
from domain.quotes import services as quotes
from domain.team.model import Role, User
from handlers.pipeline_ui import DealAct, DealCb
from storage.tables import audit_events, payments, webhook_deliveries
from tests.conftest import join
from tests.deal_support import alert, deal_row, has_button, member, screen
from tests.fakes import FakeClock
from tests.quote_support import buttons_of, crew, deal_with_needs, notes_to, seed_catalog

SIGNED_PDF = b"%PDF-1.4 signed by both parties"
RECEIPT = b"%PDF-1.4 bank slip"


async def tap(person: Person, data: str) -> Any:
    return await person.press_data(data, message_id=person.last.message_id)


async def accepted_quote(app: App, rep: User, deal_id: int, product_id: int) -> None:
    """The quote the customer accepted: CRM-PRO × 10 at list price, ¥144,640.00 with tax."""
    async with app.uow() as uow:
        now = app.clock.now()
        quote = await quotes.start_quote(uow, actor=rep, opportunity_id=deal_id, now=now)
        assert quote.id is not None
        await quotes.add_product_line(uow, actor=rep, quote_id=quote.id, product_id=product_id, quantity=10, now=now)
        await approvals.submit(uow, actor=rep, quote_id=quote.id, now=now)
        await lifecycle.mark_accepted(uow, actor=rep, quote_id=quote.id, now=now)
        await uow.commit()


async def contract_of(app: App, deal_id: int) -> Any:
    async with app.uow() as uow:
        [contract] = await uow.contracts.for_deal(deal_id)
        milestones = list(await uow.contracts.milestones(contract.id or 0))
    return contract, milestones


async def report(rep_p: Person, deal_id: int, *, milestone: str, amount: str | None = None) -> None:
    """The rep's taps: deal card → 📑 合同 → the contract → 💰 报回款 → the milestone → amount → today → bank →
    the receipt."""
    await tap(rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await rep_p.press("📑 合同")
    await rep_p.press("HT-2026-0001")
    await rep_p.press("💰 报回款")
    await rep_p.press(milestone)
    if amount is None:
        await rep_p.press("全额")
    else:
        await rep_p.send(amount)
    await rep_p.press("今天")
    await rep_p.press("银行转账")
    assert "请发回单照片或 PDF" in rep_p.last.text
    await rep_p.send_document("回单.pdf", RECEIPT)


async def test_from_accepted_quote_to_confirmed_final_payment(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    c = await crew(app, sandbox)
    finance_p = await join(app, sandbox, "财务小陈", Role.FINANCE)
    finance = await member(app, finance_p)
    south_p = await join(app, sandbox, "华南财务", Role.FINANCE, team="华南销售部")
    products = await seed_catalog(app, c.manager)
    deal_id = await deal_with_needs(app, c.rep)
    await accepted_quote(app, c.rep, deal_id, products[0].id or 0)
    assert (await deal_row(app, deal_id)).stage is Stage.CONTRACT

    # The deal card offers the contract; drafted from the accepted quote.
    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("📑 合同")
    assert "还没有合同" in c.rep_p.last.text
    await c.rep_p.press("按报价 Q-2026-0001-v1 起草合同")
    screen = c.rep_p.last.text
    assert "HT-2026-0001" in screen and "草稿" in screen and "合同额 ¥144,640.00" in screen
    assert "签署截止：2026年12月2日" in screen  # Thursday 11-26 + 5 working days (Mon–Sat)
    assert not has_button(c.rep_p, "上传签署件")  # the plan comes first
    await c.rep_p.press("🗓 回款计划")
    await c.rep_p.press("30% 签约")
    screen = c.rep_p.last.text
    assert "1. 签约后 · ¥43,392.00" in screen and "2. 交付后 · ¥86,784.00" in screen
    assert "3. 验收后 · ¥14,464.00" in screen
    await c.rep_p.press("已发客户签署")
    assert "待签署" in c.rep_p.last.text

    # A double press on "draft" opens nothing new.
    async with app.uow() as uow:
        assert len(await uow.contracts.for_deal(deal_id)) == 1

    # The signed PDF: on file by file id and hash; the deal moves to the payment stage.
    await c.rep_p.press("上传签署件")
    await c.rep_p.send("签好了")  # text is not the document: asked again, nothing lost
    assert "请发 PDF 或照片" in c.rep_p.last.text
    await c.rep_p.send_document("HT-2026-0001-签署版.pdf", SIGNED_PDF)
    assert "已签署，签署件已存档" in c.rep_p.last.text
    contract, milestones = await contract_of(app, deal_id)
    assert contract.status is ContractStatus.SIGNED
    assert contract.document_hash == hashlib.sha256(SIGNED_PDF).hexdigest() and contract.document_file_id
    assert (await deal_row(app, deal_id)).stage is Stage.PAYMENT

    # Back goes one step back with the answers kept.
    await c.rep_p.press("💰 报回款")
    await c.rep_p.press("2. 交付后")
    await c.rep_p.press("⬅️ 返回")
    assert "这笔钱是哪一期的" in c.rep_p.last.text
    await c.rep_p.press("✖️ 取消")

    # The rep reports the first 30% with the bank slip; finance gets the card.
    await report(c.rep_p, deal_id, milestone="1. 签约后")
    from handlers.contracts.common import PAct, PayCb

    stale = await tap(c.rep_p, PayCb(act=PAct.METHOD, arg="bank").pack())  # a button of the finished flow
    assert "过期" in alert(stale) or "失效" in alert(stale)
    assert "已提交 ¥43,392.00，等财务确认" in c.rep_p.chat()[-1].text
    [card] = await notes_to(app, finance, "payment.card")
    assert "回款待确认" in card["text"] and "¥43,392.00" in card["text"] and "小王" in card["text"]
    buttons = buttons_of(card)
    assert list(buttons) == ["✅ 确认到账", "❌ 驳回", "✏️ 金额不符", "🧾 看回单"]

    # Forged: the rep, the manager, and another team's finance cannot confirm.
    assert "只有本团队的财务" in alert(await tap(c.rep_p, buttons["✅ 确认到账"]))
    assert "只有本团队的财务" in alert(await tap(c.manager_p, buttons["✅ 确认到账"]))
    assert "其他团队" in alert(await tap(south_p, buttons["✅ 确认到账"]))
    async with app.engine.connect() as conn:
        states = (await conn.execute(select(payments.c.state))).scalars().all()
    assert states == [PaymentState.REPORTED.value]

    await tap(finance_p, buttons["✅ 确认到账"])
    assert "已确认到账 ¥43,392.00，还差 ¥101,248.00" in finance_p.last.text
    assert "已经处理过了" in alert(await tap(finance_p, buttons["✅ 确认到账"]))  # a double press confirms once
    contract, milestones = await contract_of(app, deal_id)
    assert contract.status is ContractStatus.ACTIVE and contract.paid_minor == 4_339_200
    assert [m.paid_minor for m in milestones] == [4_339_200, 0, 0]
    told = await notes_to(app, c.rep, "payment.decided")
    assert len(told) == 1 and "由 财务小陈 确认到账" in told[0]["text"]
    assert await notes_to(app, c.manager, "payment.decided")
    assert (await deal_row(app, deal_id)).stage is Stage.PAYMENT

    # The rest in one transfer, reported on milestone 2: it settles 2, then 3; the deal moves to delivery.
    await report(c.rep_p, deal_id, milestone="2. 交付后", amount="101248")
    [_, card2] = await notes_to(app, finance, "payment.card")
    await tap(finance_p, buttons_of(card2)["✅ 确认到账"])
    assert "全部回齐" in finance_p.last.text
    contract, milestones = await contract_of(app, deal_id)
    assert contract.status is ContractStatus.COMPLETED and contract.outstanding.minor == 0
    assert all(m.settled for m in milestones)
    assert (await deal_row(app, deal_id)).stage is Stage.DELIVERY

    # Every step is in the audit trail, with before and after.
    async with app.engine.connect() as conn:
        actions = (await conn.execute(select(audit_events.c.action).order_by(audit_events.c.id))).scalars().all()
    for action in ("contract.opened", "contract.plan", "contract.sent", "contract.signed", "payment.reported",
                   "payment.confirmed"):
        assert action in actions, action
    assert actions.count("payment.confirmed") == 2


async def test_finance_rejects_with_a_reason_and_corrects_an_amount(app: App, sandbox: Sandbox) -> None:
    c = await crew(app, sandbox)
    finance_p = await join(app, sandbox, "财务小陈", Role.FINANCE)
    finance = await member(app, finance_p)
    products = await seed_catalog(app, c.manager)
    deal_id = await deal_with_needs(app, c.rep)
    await accepted_quote(app, c.rep, deal_id, products[0].id or 0)
    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("📑 合同")
    await c.rep_p.press("起草合同")
    await c.rep_p.press("🗓 回款计划")
    await c.rep_p.press("一次付清")
    await c.rep_p.press("上传签署件")
    await c.rep_p.send_document("signed.pdf", SIGNED_PDF)

    await report(c.rep_p, deal_id, milestone="1. 签约后")
    [card] = await notes_to(app, finance, "payment.card")
    await tap(finance_p, buttons_of(card)["❌ 驳回"])
    await finance_p.send("银行流水里没有这笔")
    assert "已驳回" in finance_p.last.text
    [told] = await notes_to(app, c.rep, "payment.decided")
    assert "被 财务小陈 驳回：银行流水里没有这笔" in told["text"]
    assert "已经处理过了" in alert(await tap(finance_p, buttons_of(card)["✅ 确认到账"]))

    # Reported again; finance says the amount differs: ¥100,000.00 came in, the rest stays open.
    await report(c.rep_p, deal_id, milestone="1. 签约后")
    [_, card2] = await notes_to(app, finance, "payment.card")
    await tap(finance_p, buttons_of(card2)["✏️ 金额不符"])
    await finance_p.send("十万")  # unreadable: the question again, nothing lost
    assert "没看懂这个金额" in finance_p.last.text
    await finance_p.send("10万")
    assert "已确认到账 ¥100,000.00，还差 ¥44,640.00" in finance_p.last.text
    contract, milestones = await contract_of(app, deal_id)
    assert contract.paid_minor == 10_000_000 and milestones[0].outstanding.minor == 4_464_000
    assert (await deal_row(app, deal_id)).stage is Stage.PAYMENT

    # Finance records the rest straight from the bank statement; the rep is told.
    await tap(finance_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await finance_p.press("📑 合同")
    await finance_p.press("HT-2026-0001")
    await finance_p.press("登记到账")
    await finance_p.send("第一期")  # a button is expected: said so, the flow stays
    assert "请点上面的按钮" in finance_p.last.text
    await finance_p.press("1. 签约后")
    await finance_p.press("全额")
    await finance_p.press("昨天")
    await finance_p.press("承兑汇票")
    await finance_p.press("确认登记")
    assert "全部回齐" in screen(finance_p)  # the flow's message, edited in place above the hint
    assert (await deal_row(app, deal_id)).stage is Stage.DELIVERY
    assert len(await notes_to(app, c.rep, "payment.decided")) == 3  # rejected, corrected, recorded


async def test_webhooks_hear_contract_signed_and_payment_confirmed(app: App, sandbox: Sandbox) -> None:
    from domain.webhooks import services as hooks

    c = await crew(app, sandbox)
    finance_p = await join(app, sandbox, "财务小陈", Role.FINANCE)
    finance = await member(app, finance_p)
    async with app.uow() as uow:
        await hooks.add_endpoint(uow, actor=c.admin, url="https://oa.example.com/hook",
                                 events=["contract.signed", "payment.confirmed"], now=app.clock.now())
        await uow.commit()
    products = await seed_catalog(app, c.manager)
    deal_id = await deal_with_needs(app, c.rep)
    await accepted_quote(app, c.rep, deal_id, products[0].id or 0)
    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("📑 合同")
    await c.rep_p.press("起草合同")
    await c.rep_p.press("🗓 回款计划")
    await c.rep_p.press("一次付清")
    await c.rep_p.press("上传签署件")
    await c.rep_p.send_document("signed.pdf", SIGNED_PDF)
    await report(c.rep_p, deal_id, milestone="1. 签约后")
    [card] = await notes_to(app, finance, "payment.card")
    await tap(finance_p, buttons_of(card)["✅ 确认到账"])
    async with app.engine.connect() as conn:
        rows = (await conn.execute(select(webhook_deliveries.c.event, webhook_deliveries.c.payload)
                                   .order_by(webhook_deliveries.c.id))).all()
    events = [row.event for row in rows]
    assert events == ["contract.signed", "payment.confirmed"]
    signed, confirmed = rows[0].payload, rows[1].payload
    assert signed["data"]["number"] == "HT-2026-0001" and signed["data"]["amount_minor"] == 14_464_000
    assert confirmed["data"]["amount_minor"] == 14_464_000 and confirmed["data"]["status"] == "completed"
    assert confirmed["previous"]["state"] == "reported"


async def test_a_manager_drafts_without_a_quote_changes_the_amount_and_cancels(app: App, sandbox: Sandbox) -> None:
    from tests.deal_support import seed_deal

    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华南制造", amount_minor=5_000_000)
    # The rep has no accepted quote: no contract for them.
    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    assert not has_button(c.rep_p, "📑 合同")
    # The manager drafts one on the deal's amount from the deal card.
    await tap(c.manager_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.manager_p.press("📑 合同")
    await c.manager_p.press("按商机金额 ¥50,000.00 起草合同")
    assert "合同额 ¥50,000.00" in c.manager_p.last.text
    await c.manager_p.press("🗓 回款计划")
    await c.manager_p.press("一次付清")
    await c.manager_p.press("改金额")
    await c.manager_p.send("六万")  # unreadable: asked again, nothing changed
    assert "没看懂这个金额" in c.manager_p.last.text
    await c.manager_p.send("60000")  # no reason: refused
    assert "改金额要写原因" in c.manager_p.last.text
    await c.manager_p.send("60000 客户追加移动端模块")
    assert "金额已改为 ¥60,000.00" in c.manager_p.last.text and "还没有回款计划" in c.manager_p.last.text
    contract, milestones = await contract_of(app, deal_id)
    assert contract.amount_minor == 6_000_000 and contract.amount_reason == "客户追加移动端模块" and not milestones
    # A rep who owns the deal may not change the amount or cancel.
    from handlers.contracts.common import CAct, ContractCb

    assert "只有销售经理可以改合同金额" in alert(await tap(c.rep_p, ContractCb(act=CAct.AMOUNT, id=contract.id).pack()))
    assert "只有销售经理可以作废合同" in alert(await tap(c.rep_p, ContractCb(act=CAct.CANCEL, id=contract.id).pack()))
    await c.manager_p.press("作废合同")
    await c.manager_p.send("客户改用别家")
    assert "已作废" in c.manager_p.last.text
    contract, _ = await contract_of(app, deal_id)
    assert contract.status is ContractStatus.CANCELLED and contract.check_at is None
