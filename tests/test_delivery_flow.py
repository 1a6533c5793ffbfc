"""Delivery checklists in chat, on SQLite and PostgreSQL, with a fake clock: a deal reaching delivery gets
the team's default checklist (启动会, 安装部署, 培训, 验收签字) due in working days; the owner hands an item to
a colleague, who hears of it; owners see their items in the morning agenda and are nudged on the due day;
an item still open when its day ends reaches the manager; a done item's queued nudge never goes out; the
acceptance sign-off (with its document) closes delivery, moves the deal on to after-sales, records
`delivery.accepted` and gives the owner the survey link."""

from __future__ import annotations

from sqlalchemy import select

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Sandbox
from bot.sweeps import run_digests, run_sweeps
from domain.deals.model import Stage
from domain.delivery import services as delivery
from domain.delivery.signoff import sign_acceptance
from handlers.pipeline_ui import DealAct, DealCb
from storage.tables import audit_events, notifications
from tests.deal_support import alert, deal_row, move, seed_deal
from tests.fakes import FakeClock
from tests.quote_support import buttons_of, crew, notes_to
from tests.ticket_support import shanghai, survey_payload


async def items_of(app: App, deal_id: int):  # type: ignore[no-untyped-def]
    async with app.uow() as uow:
        return list(await uow.checklists.for_deal(deal_id))


async def test_a_deal_in_delivery_gets_its_checklist_nudges_and_the_sign_off_moves_it_to_after_sales(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    await move(app, c.manager, deal_id, Stage.DELIVERY, override=True)  # Thursday 26th, 10:00

    await c.rep_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("交付清单")
    checklist = c.rep_p.last.text
    assert "交付清单</b> · 华东科技" in checklist
    assert "⬜ 1. 启动会 — 小王 · 截止 11月27日 周五 21:00" in checklist  # one working day
    assert "⬜ 2. 安装部署 — 小王 · 截止 12月2日 周三 21:00" in checklist  # five: Sunday is off
    assert "⬜ 4. 验收签字 — 小王 · 截止 12月8日 周二 21:00" in checklist

    # The installation goes to the implementation engineer (小李), who hears of it.
    await c.rep_p.press("2. 安装部署")
    await c.rep_p.press("换负责人")
    await c.rep_p.press("小李")
    assert "负责人：小李" in c.rep_p.last.text
    [given] = await notes_to(app, c.other, "delivery.item")
    assert "小王 把 华东科技 的交付事项「安装部署」交给你负责" in given["text"]
    assert "📦 打开交付清单" in buttons_of(given)
    calls = await c.other_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())  # not his deal's card...
    await c.other_p.press_data(buttons_of(given)["📦 打开交付清单"])  # ... but his item's checklist
    assert "2. 安装部署 — 小李" in c.other_p.last.text
    calls = await c.other_p.press("1. 启动会")
    assert "完成" not in " ".join(label for label, _ in c.other_p.last.buttons)  # not his item

    # Friday 09:00: the kick-off is due today: the morning agenda and the nudge.
    clock.set(shanghai(27, 9))
    await run_digests(app)
    [agenda] = await notes_to(app, c.rep, "digest.agenda")
    assert "📦 交付事项 1 件：华东科技·启动会（11月27日 周五 21:00 截止）" in agenda["text"]
    await run_sweeps(app)
    [due] = await notes_to(app, c.rep, "delivery.item")
    assert "华东科技 的交付事项「启动会」今天到期" in due["text"]
    await c.rep_p.press_data(buttons_of(due)["📦 打开交付清单"])
    await c.rep_p.press("1. 启动会")
    await c.rep_p.press("完成")
    assert "✅ 「启动会」已完成。" in c.rep_p.last.text and "✅ 1. 启动会 — 小王 · 完成于" in c.rep_p.last.text
    clock.set(shanghai(27, 22))
    await run_sweeps(app)
    assert await notes_to(app, c.manager, "delivery.item") == []  # done in time: nothing to report

    # Wednesday 2nd: the installation is due; still open at 21:00, it reaches the manager.
    clock.set(shanghai(30, 9) + (shanghai(28, 9) - shanghai(26, 9)))
    await run_sweeps(app)
    assert "「安装部署」今天到期" in (await notes_to(app, c.other, "delivery.item"))[-1]["text"]
    clock.advance(hours=12)
    await run_sweeps(app)
    await run_sweeps(app)  # a second run says nothing more
    [late] = await notes_to(app, c.manager, "delivery.item")
    assert "「安装部署」已逾期" in late["text"] and "负责人：小李" in late["text"]

    # The customer signs: the form as a file; delivery closes, the deal moves on, the owner gets the link.
    await c.rep_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("交付清单")
    calls = await c.rep_p.press("4. 验收签字")
    await c.rep_p.press("✍️ 验收签字")
    assert "把签好字的验收单拍照或发文件过来" in c.rep_p.last.text
    await c.rep_p.send("签好了")
    assert "请发验收单的照片或文件" in c.rep_p.last.text
    await c.rep_p.send_document("验收单.pdf", b"%PDF-1.4")
    texts = [m.text or "" for m in c.rep_p.chat()[-3:]]
    assert any("华东科技 已验收签字，交付完成，商机转入售后" in text for text in texts)
    assert any("?start=s_" in text and "给这次交付打个分" in text for text in texts)
    assert len(survey_payload(c.rep_p)) >= 20
    assert (await deal_row(app, deal_id)).stage is Stage.AFTER_SALES
    acceptance = (await items_of(app, deal_id))[3]
    assert acceptance.done and (acceptance.document or "").startswith("file:")
    async with app.engine.connect() as conn:
        actions = [row[0] for row in await conn.execute(select(audit_events.c.action))]
    assert actions.count("delivery.accepted") == 1

    # A second sign-off (an old button) changes nothing.
    calls = await c.rep_p.press_data(f"dlv:sign:{acceptance.id}:0")
    assert "已经验收签字过了" in alert(calls)


async def test_a_nudge_still_queued_when_the_item_is_done_never_goes_out(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    """The owner's due-day nudge and the manager's overdue alert are queued; the item is done (or the
    acceptance signed by a manager) before the dispatcher sends them: neither phone gets them."""
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    await move(app, c.manager, deal_id, Stage.DELIVERY, override=True)
    await outbox_of(app).run_once()
    kickoff, _, _, acceptance = await items_of(app, deal_id)
    clock.set(shanghai(27, 9))
    await run_sweeps(app)  # the kick-off's nudge, queued
    async with app.uow() as uow:
        await delivery.complete_item(uow, actor=c.rep, item_id=kickoff.id, now=clock.now())
        await uow.commit()
    clock.set(shanghai(8, 9).replace(month=12))
    await run_sweeps(app)  # the acceptance is due today, then overdue: both queued
    clock.advance(hours=12, minutes=1)
    await run_sweeps(app)
    async with app.uow() as uow:
        await sign_acceptance(uow, actor=c.manager, item_id=acceptance.id, document=None, now=clock.now())
        await uow.commit()
    await outbox_of(app).run_once()
    assert not any("今天到期" in (m.text or "") for m in c.rep_p.chat())
    assert not any("已逾期" in (m.text or "") for m in c.manager_p.chat())
    async with app.engine.connect() as conn:
        rows = (await conn.execute(select(notifications.c.notice, notifications.c.state).where(
            notifications.c.subject_kind == "delivery_item"))).all()
    states = {str(getattr(state, "value", state)) for notice, state in rows if notice != "delivery-item-assigned"}
    assert states == {"cancelled"}, rows
    # The owner hears that the manager signed (in the morning), with the survey link a tap away.
    clock.advance(hours=12)
    await outbox_of(app).run_once()
    accepted = [m.text or "" for m in c.rep_p.chat() if "已为 华东科技 办理验收签字" in (m.text or "")]
    assert accepted
