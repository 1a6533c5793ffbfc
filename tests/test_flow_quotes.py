"""Quotes in chat, on SQLite and PostgreSQL: a rep builds a quote from the catalog on the deal card, checks
the needs and submits; the manager approves from the notification in one tap; a 25% discount goes to the
manager, then an admin; forged presses by a rep and by another team are refused and a repeated press acts
once; the SLA reminds, then escalates, with a fake clock; a counter-offer is taken with one tap; the PDF
and XLSX read back; accepting sets the deal's amount and moves it to the contract stage."""

from __future__ import annotations

import io

from aiogram.methods import SendDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.factory import App
from bot.sandbox import Sandbox
from bot.sweeps import run_sweeps
from domain.deals.model import Stage
from domain.quotes.model import QuoteStatus, StepState
from domain.team.model import Role
from handlers.quotes.common import ApprovalAct, ApprovalCb
from tests.conftest import join
from tests.deal_support import alert, deal_row, has_button, member, seed_deal
from tests.fakes import FakeClock
from tests.quote_support import (
    another_deal_with,
    build,
    buttons_of,
    crew,
    deal_with_needs,
    latest_quote,
    notes_to,
    quote_row,
    seed_catalog,
    submit,
    tap,
)


async def test_a_rep_builds_checks_needs_submits_and_the_manager_approves_from_the_card(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    deal_id = await deal_with_needs(app, c.rep)

    await build(c.rep_p, deal_id)
    screen = c.rep_p.last.text
    assert "Q-2026-0001-v1" in screen and "草稿" in screen
    assert "1. CRM 专业版 × 10 套 @ ¥12,800.00 = <b>¥108,800.00</b>（折扣 15%）" in screen
    assert "小计（标价）：¥128,000.00" in screen and "折扣：-¥19,200.00（15%）" in screen
    assert "税额：¥14,144.00" in screen and "合计（含税）：¥122,944.00" in screen
    assert "毛利：¥68,800.00（63.2%，折前 68.8%）" in screen
    assert "需要审批：销售经理（折扣达到审批线）" in screen
    assert "需求覆盖：0/2" in screen and "未覆盖：想上一套 CRM 系统" in screen

    await c.rep_p.press("需求核对")
    assert "覆盖了哪些需求" in c.rep_p.last.text
    await c.rep_p.press("想上一套 CRM 系统")
    assert "✅ 想上一套 CRM 系统" in next(label for label, _ in c.rep_p.last.buttons)
    await c.rep_p.press("完成")
    assert "需求覆盖：1/2" in c.rep_p.last.text and "未覆盖：需要移动端" in c.rep_p.last.text

    await c.rep_p.press("折扣说明")
    await c.rep_p.send("竞品报价更低")
    await submit(c.rep_p)
    assert "已提交审批" in c.rep_p.last.text and "等待 销售经理 审批" in c.rep_p.last.text
    quote = await latest_quote(app, deal_id)
    assert quote.status is QuoteStatus.PENDING and (await deal_row(app, deal_id)).quote_status == "pending"

    [card] = await notes_to(app, c.manager, "quote.approval")
    text = card["text"]
    assert "折扣审批" in text and "Q-2026-0001-v1" in text and "华东科技" in text and "小王" in text
    assert "合计：¥122,944.00 · 折扣：15%" in text and "毛利：68.8% → 63.2%" in text
    assert "1. CRM 专业版 × 10 @ ¥12,800.00 −15% = ¥108,800.00" in text
    assert "• 需要移动端" in text and "销售说明：竞品报价更低" in text
    buttons = buttons_of(card)
    assert list(buttons) == ["✅ 批准", "❌ 驳回", "💬 还价"]
    assert not await notes_to(app, c.admin, "quote.approval")  # 15%: the manager alone

    # Forged presses: the rep on their own quote, another rep, and the deal card's owner cannot approve.
    assert "不能审批自己的报价单" in alert(await tap(c.rep_p, buttons["✅ 批准"]))
    assert "你不能审批这一级" in alert(await tap(c.other_p, buttons["✅ 批准"]))
    await tap(c.manager_p, buttons["✅ 批准"])
    assert "已批准 Q-2026-0001-v1" in c.manager_p.last.text
    assert "已经由 李经理 批准了" in alert(await tap(c.manager_p, buttons["✅ 批准"]))  # a repeated press acts once
    assert (await quote_row(app, quote.id or 0)).status is QuoteStatus.APPROVED
    assert "已由 李经理 批准，合计 ¥122,944.00" in (await notes_to(app, c.rep, "quote.status"))[-1]["text"]

    # The documents, read back.
    from domain.quotes.services import may_start  # noqa: F401  (the builder's own module is loaded)
    from handlers.quotes.common import QAct, QuoteCb

    calls = await tap(c.rep_p, QuoteCb(act=QAct.OPEN, id=quote.id or 0).pack())
    assert has_button(c.rep_p, "PDF") and has_button(c.rep_p, "标记已发送"), [x.method for x in calls]
    assert "团队 90 天中位" not in c.rep_p.last.text  # a quote is not its own price history
    calls = await c.rep_p.press("PDF")
    [pdf] = [call.method for call in calls if isinstance(call.method, SendDocument)]
    assert pdf.document.filename == "Q-2026-0001-v1.pdf"  # type: ignore[union-attr]
    reader = PdfReader(io.BytesIO(pdf.document.data))  # type: ignore[union-attr]
    pdf_text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("华东销售部 报价单", "Q-2026-0001-v1", "华东科技", "CRM 专业版", "¥108,800.00", "¥14,144.00", "¥122,944.00"):
        assert expected in pdf_text, (expected, pdf_text)
    calls = await c.rep_p.press("Excel")
    [xlsx] = [call.method for call in calls if isinstance(call.method, SendDocument)]
    sheet = load_workbook(io.BytesIO(xlsx.document.data)).active  # type: ignore[union-attr]
    cells = [[cell for cell in row if cell not in (None, "")] for row in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]
    assert ["报价单号", "Q-2026-0001-v1"] in cells and ["客户", "华东科技"] in cells
    assert ["1", "CRM 专业版 (CRM-PRO)", "10 套", "¥12,800.00", "15%", "13%", "¥108,800.00", 108800] in cells, cells[8:14]
    assert ["含税总计", "¥122,944.00"] in cells

    # Sent, then accepted: the deal's amount is the quote's total and it is in the contract stage.
    await c.rep_p.press("标记已发送")
    assert "已标记为已发送" in c.rep_p.last.text and (await deal_row(app, deal_id)).stage is Stage.PROPOSAL
    await c.rep_p.press("客户接受")
    deal = await deal_row(app, deal_id)
    assert "商机金额已更新为 ¥122,944.00" in c.rep_p.last.text
    assert deal.amount_minor == 12_294_400 and deal.stage is Stage.CONTRACT and deal.quote_status == "accepted"


async def test_a_25_percent_discount_goes_to_the_manager_then_an_admin_and_other_teams_are_refused(
    app: App, sandbox: Sandbox
) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    deal_id = await deal_with_needs(app, c.rep)
    await build(c.rep_p, deal_id, discount="20%")
    await c.rep_p.press("整单折扣")
    await c.rep_p.press("−5%")
    # 20% on the line, then 5% on the whole: 24% in all, and under the floor price (¥97,280 < ¥98,000).
    assert "折扣：-¥30,720.00（24%）" in c.rep_p.last.text and "其中整单折扣 5%" in c.rep_p.last.text
    assert "需要审批：销售经理 → 管理员（折扣达到审批线，有产品低于底价）" in c.rep_p.last.text
    await c.rep_p.press("📤 提交")  # no reason yet: the bot asks for one line for the approvers first
    assert "这份报价要 销售经理 → 管理员 审批。写一句折扣说明" in c.rep_p.last.text
    assert [label for label, _ in c.rep_p.last.buttons] == ["📤 不写了，直接提交", "⬅️ 返回"]
    await c.rep_p.send("客户承诺三年合同")
    assert "已提交审批" in c.rep_p.last.text and "💬 折扣说明：客户承诺三年合同" in c.rep_p.last.text
    [card] = await notes_to(app, c.manager, "quote.approval")
    assert "销售说明：客户承诺三年合同" in card["text"] and "审批原因：折扣达到审批线" in card["text"]
    step_one = buttons_of(card)["✅ 批准"]

    south_p = await join(app, sandbox, "华南经理", Role.MANAGER, team="华南销售部")
    assert "你不能审批这一级" in alert(await tap(south_p, step_one)) or "其他团队" in alert(
        await tap(south_p, step_one)
    )
    await tap(c.manager_p, step_one)
    assert "已转下一级审批" in c.manager_p.last.text
    assert "李经理 已批准，现在等 管理员 审批" in (await notes_to(app, c.rep, "quote.status"))[-1]["text"]
    [admin_card] = await notes_to(app, c.admin, "quote.approval")
    assert "（管理员）" in admin_card["text"] and "折扣：24%" in admin_card["text"] and "⚠️" in admin_card["text"]
    step_two = buttons_of(admin_card)["✅ 批准"]
    assert "你不能审批这一级" in alert(await tap(c.manager_p, step_two))  # the manager cannot do the admin's step

    await c.admin_p.send("/approvals")
    assert "等你审批的报价（1 份" in c.admin_p.last.text and "Q-2026-0001-v1 · 华东科技 · 小王 · 管理员" in c.admin_p.last.text
    await tap(c.admin_p, step_two)
    quote = await latest_quote(app, deal_id)
    assert quote.status is QuoteStatus.APPROVED
    async with app.uow() as uow:
        steps = await uow.quotes.steps(quote.id or 0)
        events = [e.action for e in await uow.audit.for_entity("quote_approval", steps[0].id or 0)]
    assert [(s.level.value, s.state) for s in steps] == [("manager", StepState.APPROVED), ("admin", StepState.APPROVED)]
    assert events == ["quote.approval.approved"]
    await c.admin_p.send("/approvals")
    assert "没有等你审批的报价" in c.admin_p.last.text


async def test_the_sla_reminds_then_escalates_and_the_rep_hears_where_it_stands(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    deal_id = await deal_with_needs(app, c.rep)
    await build(c.rep_p, deal_id, discount="10%")
    await submit(c.rep_p)
    await run_sweeps(app)
    assert not await notes_to(app, c.manager, "quote.approval")[1:] if False else True
    clock.advance(hours=3, minutes=59)
    await run_sweeps(app)
    assert len(await notes_to(app, c.manager, "quote.approval")) == 1  # the card only: still in time

    clock.advance(minutes=2)  # past 4 working hours (Thursday 10:00 → 14:00)
    await run_sweeps(app)
    manager_notes = await notes_to(app, c.manager, "quote.approval")
    assert "还在等你审批，已超过时限" in manager_notes[-1]["text"] and "✅ 批准" in buttons_of(manager_notes[-1])
    status = await notes_to(app, c.rep, "quote.status")
    assert "已超过审批时限，已提醒 李经理" in status[-1]["text"]
    await run_sweeps(app)  # nothing more until the next deadline
    assert len(await notes_to(app, c.manager, "quote.approval")) == 2

    clock.advance(hours=4, minutes=1)
    await run_sweeps(app)
    [escalated] = await notes_to(app, c.admin, "quote.approval")
    assert "审批超时升级" in escalated["text"] and "李经理 还没处理报价 Q-2026-0001-v1" in escalated["text"]
    assert "已升级给管理员" in (await notes_to(app, c.rep, "quote.status"))[-1]["text"]
    await tap(c.admin_p, buttons_of(escalated)["✅ 批准"])  # an admin may decide the manager's step
    assert (await latest_quote(app, deal_id)).status is QuoteStatus.APPROVED


async def test_reject_with_a_reason_and_a_counter_offer_taken_with_one_tap(app: App, sandbox: Sandbox) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    deal_id = await deal_with_needs(app, c.rep)
    await build(c.rep_p, deal_id, discount="15%")
    await submit(c.rep_p)
    [card] = await notes_to(app, c.manager, "quote.approval")
    await tap(c.manager_p, buttons_of(card)["❌ 驳回"])
    assert "驳回 Q-2026-0001-v1 的原因" in c.manager_p.last.text
    await c.manager_p.send("先把实施服务加上")
    assert "已驳回" in c.manager_p.last.text
    assert "被 李经理 驳回：先把实施服务加上" in (await notes_to(app, c.rep, "quote.status"))[-1]["text"]
    quote = await latest_quote(app, deal_id)
    assert quote.status is QuoteStatus.DRAFT

    from handlers.quotes.common import QAct, QuoteCb

    await tap(c.rep_p, QuoteCb(act=QAct.OPEN, id=quote.id or 0).pack())
    await c.rep_p.press("自定义服务")
    await c.rep_p.send("上门培训 2000 x2")
    assert "2. 上门培训 × 2 项 @ ¥2,000.00 = <b>¥4,000.00</b> 🛠" in c.rep_p.last.text
    await submit(c.rep_p)
    cards = await notes_to(app, c.manager, "quote.approval")
    await tap(c.manager_p, buttons_of(cards[-1])["💬 还价"])
    assert "你能接受多少" in c.manager_p.last.text
    await c.manager_p.press("12%")
    assert "已还价" in c.manager_p.last.text
    [offer] = [n for n in await notes_to(app, c.rep, "quote.status") if "还价" in n["text"]]
    assert "总折扣 12%" in offer["text"]
    await tap(c.rep_p, buttons_of(offer)["✅ 接受还价"])
    assert "已接受还价，报价单已生效" in c.rep_p.last.text
    quote = await latest_quote(app, deal_id)
    assert quote.status is QuoteStatus.APPROVED and quote.discount_bp == 1200
    assert "李经理 已经还过价了" in alert(await tap(c.manager_p, buttons_of(cards[-1])["✅ 批准"]))


async def test_templates_earlier_quotes_revisions_and_price_history(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    first_deal = await deal_with_needs(app, c.rep)
    await build(c.rep_p, first_deal, discount="5%", qty="5")
    await submit(c.rep_p)  # under 10%: approved at once
    assert "无需审批，报价单已生效" in c.rep_p.last.text
    await c.rep_p.press("客户接受")

    # The manager keeps it as a template.
    quote = await latest_quote(app, first_deal)
    from handlers.quotes.common import QAct, QuoteCb

    await tap(c.manager_p, QuoteCb(act=QAct.OPEN, id=quote.id or 0).pack())
    await c.manager_p.press("存为模板")
    await c.manager_p.send("CRM 五套装")
    assert "已存为模板「CRM 五套装」" in c.manager_p.last.text

    # A second deal with the same customer: from the earlier quote, with the customer's last price shown.
    clock.advance(days=1)
    second_deal = await another_deal_with(app, c.rep, first_deal)
    from handlers.pipeline_ui import DealAct, DealCb

    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=second_deal).pack())
    await c.rep_p.press("📄 报价")
    await c.rep_p.press("从模板/历史方案")
    labels = [label for label, _ in c.rep_p.last.buttons]
    assert "📋 CRM 五套装" in labels and any(label.startswith("🔁 Q-2026-0001-v1") for label in labels)
    await c.rep_p.press("🔁 Q-2026-0001-v1")
    screen = c.rep_p.last.text
    assert "Q-2026-0002-v1" in screen and "CRM 专业版 × 5 套" in screen
    assert "↩ 该客户上次 ¥12,160.00" in screen and "≈ 团队 90 天中位 ¥12,160.00（1 笔）" in screen

    # Revising an approved quote makes v2; v1 stays readable.
    await submit(c.rep_p)
    await c.rep_p.press("修改报价")
    assert "已生成新版本 Q-2026-0002-v2" in c.rep_p.last.text and "草稿" in c.rep_p.last.text
    v1 = await quote_row(app, (await latest_quote(app, second_deal)).parent_id or 0)
    assert v1.number == "Q-2026-0002-v1" and v1.superseded_at is not None and v1.status is QuoteStatus.APPROVED

    # Another rep starts from the template on their own deal.
    li_deal = await seed_deal(app, c.other, "西湖软件")
    await tap(c.other_p, DealCb(act=DealAct.OPEN, id=li_deal).pack())
    await c.other_p.press("📄 报价")
    await c.other_p.press("从模板/历史方案")
    await c.other_p.press("CRM 五套装")
    assert "CRM 专业版 × 5 套" in c.other_p.last.text and "（折扣 5%）" in c.other_p.last.text


async def test_the_contract_stage_waits_for_a_quote_and_expiry_nudges_then_expires(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    deal_id = await deal_with_needs(app, c.rep)
    from tests.deal_support import move

    await move(app, c.rep, deal_id, Stage.FOLLOWING_UP)
    await move(app, c.rep, deal_id, Stage.PROPOSAL)
    from handlers.pipeline_ui import DealAct, DealCb

    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    assert not has_button(c.rep_p, "推进到「合同签署」")  # no agreed quote yet
    await build(c.rep_p, deal_id, discount="")
    await submit(c.rep_p)
    await c.rep_p.press("标记已发送")
    quote = await latest_quote(app, deal_id)
    assert quote.valid_until.isoformat() == "2026-12-11"  # 15 days
    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    assert has_button(c.rep_p, "推进到「合同签署」")

    clock.advance(days=12, hours=23)  # Wednesday 9 Dec 09:00 in Shanghai: two working days before Friday
    await run_sweeps(app)
    [nudge] = await notes_to(app, c.rep, "quote.expiry")
    assert "Q-2026-0001-v1（华东科技）2026-12-11 到期" in nudge["text"]
    await run_sweeps(app)
    assert len(await notes_to(app, c.rep, "quote.expiry")) == 1
    clock.advance(days=3)
    await run_sweeps(app)
    assert "已过期" in (await notes_to(app, c.rep, "quote.expiry"))[-1]["text"]
    assert (await quote_row(app, quote.id or 0)).status is QuoteStatus.EXPIRED
    assert (await deal_row(app, deal_id)).quote_status == "expired"


async def test_a_rep_may_not_open_the_catalog_and_a_finance_member_may_not_quote(app: App, sandbox: Sandbox) -> None:
    c = await crew(app, sandbox)
    await c.rep_p.send("/products")
    assert "只有销售经理和管理员可以维护产品目录" in c.rep_p.last.text
    finance_p = await join(app, sandbox, "财务小陈", Role.FINANCE)
    await finance_p.send("/quote")
    assert "只有销售、经理和管理员可以做报价" in finance_p.last.text
    rep = await member(app, c.rep_p)
    assert rep.role is Role.REP
    forged = ApprovalCb(act=ApprovalAct.APPROVE, id=999).pack()
    assert "找不到这个审批" in alert(await tap(c.manager_p, forged))


async def test_a_manager_sets_the_teams_quote_policy_and_routing_follows_it(app: App, sandbox: Sandbox) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    await c.manager_p.send("/quotepolicy")
    assert "10% 起：销售经理审批" in c.manager_p.last.text and "4 个工作小时" in c.manager_p.last.text
    await c.manager_p.send("/quotepolicy 20 10 15 4 15")
    assert "经理审批线不能高于管理员审批线" in c.manager_p.last.text
    await c.manager_p.send("/quotepolicy 5 15 15 2 30")
    assert "✅ 已更新" in c.manager_p.last.text and "2 个工作小时" in c.manager_p.last.text
    await c.rep_p.send("/quotepolicy 1 2 3 4 5")
    assert "只有销售经理和管理员可以修改报价审批规则" in c.rep_p.last.text
    deal_id = await deal_with_needs(app, c.rep)
    await build(c.rep_p, deal_id, discount="5%")
    assert "需要审批：销售经理（折扣达到审批线）" in c.rep_p.last.text  # 5% is the team's manager tier now
    assert "有效期至：2026年12月26日" in c.rep_p.last.text  # 30 days


def test_every_quote_button_fits_in_64_bytes_even_with_large_ids() -> None:
    from handlers.products import ProdAct, ProdCb
    from handlers.quotes.common import QAct, QuoteCb

    big = 2**31 - 1
    for act in QAct:
        assert len(QuoteCb(act=act, id=big, line=big, arg=f"{big}-1000000").pack().encode()) <= 64, act
    for approval_act in ApprovalAct:
        assert len(ApprovalCb(act=approval_act, id=big, arg="10000").pack().encode()) <= 64
    for prod_act in ProdAct:
        assert len(ProdCb(act=prod_act, id=big, page=9999, arg="1").pack().encode()) <= 64
