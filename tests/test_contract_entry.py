"""The ways into a contract and into the payment stage, in chat, on SQLite and PostgreSQL: the customer's
acceptance of a quote offers 📑 起草合同 at once; moving a deal to 回款 by hand without a signed contract says
so before it asks to confirm (with the way to the contract), and says nothing when the contract is signed."""

from __future__ import annotations

import hashlib

from bot.factory import App
from bot.sandbox import Sandbox
from domain.contracts import services as contracts
from domain.contracts.plan import Template
from domain.contracts.ports import SignatureEvent
from domain.contracts.signature import IN_CHAT
from domain.deals.model import Stage
from domain.deals.services import change_stage
from domain.quotes import approvals
from domain.quotes import services as quotes
from handlers.pipeline_ui import DealAct, DealCb
from handlers.quotes.common import QAct, QuoteCb
from tests.deal_support import deal_row, has_button
from tests.quote_support import crew, deal_with_needs, seed_catalog

WARNING = "这单还没有已签署的合同"
LABELS = {"signing": "签约后", "delivery": "交付后", "acceptance": "验收后", "month": "第{n}期"}


async def test_accepting_a_quote_offers_the_contract_and_an_unsigned_deal_is_warned_before_payment(
    app: App, sandbox: Sandbox
) -> None:
    c = await crew(app, sandbox)
    products = await seed_catalog(app, c.manager)
    deal_id = await deal_with_needs(app, c.rep)
    async with app.uow() as uow:
        quote = await quotes.start_quote(uow, actor=c.rep, opportunity_id=deal_id, now=app.clock.now())
        assert quote.id is not None
        await quotes.add_product_line(uow, actor=c.rep, quote_id=quote.id, product_id=products[0].id or 0, quantity=10,
                                      now=app.clock.now())
        await approvals.submit(uow, actor=c.rep, quote_id=quote.id, now=app.clock.now())
        await uow.commit()

    # The customer accepts: the confirmation offers the contract at once.
    await c.rep_p.press_data(QuoteCb(act=QAct.OPEN, id=quote.id).pack())
    assert not has_button(c.rep_p, "起草合同")
    await c.rep_p.press("客户接受")
    assert "进入合同阶段" in c.rep_p.last.text and has_button(c.rep_p, "📑 起草合同")
    await c.rep_p.press("📑 起草合同")
    await c.rep_p.press("按报价 Q-2026-0001-v1 起草合同")
    assert "HT-2026-0001" in c.rep_p.last.text and "草稿" in c.rep_p.last.text

    # By hand into 回款 while the contract is a draft: the confirmation says why not, and where to go.
    await c.rep_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("推进到「回款」")
    assert WARNING in c.rep_p.last.text and "确定把" in c.rep_p.last.text
    assert has_button(c.rep_p, "📑 合同") and has_button(c.rep_p, "确认")
    await c.rep_p.press("📑 合同")
    assert "HT-2026-0001" in c.rep_p.last.text
    assert (await deal_row(app, deal_id)).stage is Stage.CONTRACT

    # Signed: the deal moves by itself; moved back a step and on again, nothing to warn about.
    async with app.uow() as uow:
        [contract] = await uow.contracts.for_deal(deal_id)
        assert contract.id is not None
        await contracts.apply_template(uow, actor=c.rep, contract_id=contract.id, template=Template.ON_SIGNING,
                                       labels=LABELS, now=app.clock.now())
        event = SignatureEvent(IN_CHAT, contract.id, "file-1", hashlib.sha256(b"signed").hexdigest(), "signed.pdf")
        await contracts.record_signature(uow, actor=c.rep, event=event, now=app.clock.now())
        await change_stage(uow, actor=c.manager, opportunity_id=deal_id, to=Stage.CONTRACT, now=app.clock.now())
        await uow.commit()
    await c.rep_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("推进到「回款」")
    assert "确定把" in c.rep_p.last.text and WARNING not in c.rep_p.last.text
