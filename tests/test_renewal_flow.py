"""The second sale in chat, on SQLite and PostgreSQL, with a fake clock: the owner of a won deal sets its
renewal date from the card (a typed date, or one tap for a year on); the team's 30 days before it the
owner is nudged, and one tap on the nudge opens a new opportunity for the same customer, of source
"existing customer", linked to the old deal — once, however often it is tapped. A nudge still queued when
the renewal deal was opened never goes out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Sandbox
from bot.sweeps import run_sweeps
from domain.deals.model import Stage
from domain.leads.model import LeadSource
from domain.renewals import services as renewals
from domain.tickets import services as tickets
from domain.tickets import surveys
from handlers.pipeline_ui import DealAct, DealCb
from storage.tables import notifications, opportunities
from tests.deal_support import move, seed_deal
from tests.fakes import FakeClock
from tests.quote_support import buttons_of, crew, notes_to
from tests.ticket_support import open_ticket, shanghai


async def test_a_won_deal_gets_a_renewal_date_and_the_nudge_opens_a_linked_opportunity_in_one_tap(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    await move(app, c.manager, deal_id, Stage.WON, override=True)

    await c.rep_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("续约/复购")
    assert "华东科技</b> 的续约/复购日期" in c.rep_p.last.text and "还没设续约日期" in c.rep_p.last.text
    await c.rep_p.send("明年吧")
    assert "日期格式不对" in c.rep_p.last.text
    await c.rep_p.press("一年后")
    assert "续约日期定在 2027-11-26，到期前 30 天会提醒你" in c.rep_p.last.text
    await c.rep_p.press("续约/复购")
    assert "现在的续约日期：2027-11-26" in c.rep_p.last.text
    await c.rep_p.send("2027年6月30日")
    assert "续约日期定在 2027-06-30" in c.rep_p.last.text

    clock.set(datetime(2027, 5, 31, 0, 59, tzinfo=UTC))  # 08:59 in Shanghai, 30 days before
    await run_sweeps(app)
    assert await notes_to(app, c.rep, "renewal.due") == []
    clock.set(datetime(2027, 5, 31, 1, 0, tzinfo=UTC))
    await run_sweeps(app)
    await run_sweeps(app)
    [nudge] = await notes_to(app, c.rep, "renewal.due")
    assert "华东科技 的续约/复购日期是 2027-06-30，还有 30 天" in nudge["text"]

    reopen = buttons_of(nudge)["➕ 新建续约商机"]
    await c.rep_p.press_data(reopen, message_id=c.rep_p.last.message_id)
    assert "已为老客户新建续约商机" in c.rep_p.last.text and "华东科技" in c.rep_p.last.text
    await c.rep_p.press_data(reopen, message_id=c.rep_p.last.message_id)  # a second tap shows the same deal
    async with app.engine.connect() as conn:
        ids = [row[0] for row in await conn.execute(select(opportunities.c.id).order_by(opportunities.c.id))]
    assert len(ids) == 2
    async with app.uow() as uow:
        new = await uow.opportunities.get(ids[1])
        assert new is not None and new.owner_id == c.rep.id and new.stage is Stage.QUALIFIED
        lead = await uow.leads.get(new.lead_id)
        old = await uow.opportunities.get(deal_id)
        assert lead is not None and old is not None and lead.source is LeadSource.EXISTING
        assert lead.related_lead_id == old.lead_id
        renewal = await uow.renewals.for_deal(deal_id)
        assert renewal is not None and renewal.new_opportunity_id == new.id


async def test_only_the_owner_or_a_manager_sets_a_renewal_and_only_on_a_won_deal(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    async with app.uow() as uow:
        try:
            await renewals.set_renewal(uow, actor=c.rep, deal_id=deal_id, on=date(2027, 1, 1), now=clock.now())
            raise AssertionError("an open deal got a renewal date")
        except Exception as error:
            assert getattr(error, "code", "") == "error-renewal-not-won"
    await move(app, c.manager, deal_id, Stage.WON, override=True)
    async with app.uow() as uow:
        try:
            await renewals.set_renewal(uow, actor=c.other, deal_id=deal_id, on=date(2027, 1, 1), now=clock.now())
            raise AssertionError("another rep set the renewal")
        except Exception as error:
            assert getattr(error, "code", "") == "error-renewal-not-yours"


async def test_a_renewal_nudge_still_queued_when_the_renewal_deal_was_opened_never_goes_out(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    await move(app, c.manager, deal_id, Stage.WON, override=True)
    await outbox_of(app).run_once()
    clock.set(shanghai(26, 22))  # late: the nudge waits for the morning
    async with app.uow() as uow:
        renewal = await renewals.set_renewal(uow, actor=c.rep, deal_id=deal_id, on=date(2026, 12, 20), now=clock.now())
        await uow.commit()
    await run_sweeps(app)
    clock.set(shanghai(27, 8))
    async with app.uow() as uow:
        assert renewal.id is not None
        await renewals.reopen(uow, actor=c.manager, renewal_id=renewal.id, now=clock.now())
        await uow.commit()
    clock.set(shanghai(27, 9))
    await outbox_of(app).run_once()
    assert not any("续约/复购日期是" in (m.text or "") for m in c.rep_p.chat())
    async with app.engine.connect() as conn:
        rows = (await conn.execute(select(notifications.c.state).where(notifications.c.kind == "renewal.due"))).all()
    assert [str(getattr(r[0], "value", r[0])) for r in rows] == ["cancelled"]


async def test_the_customer_card_shows_deals_quotes_tickets_and_scores_as_the_viewer_may_see_them(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    won = await seed_deal(app, c.rep, "华东科技")
    await move(app, c.manager, won, Stage.WON, override=True)
    ticket = await open_ticket(app, c.rep, won)
    assert ticket.id is not None
    async with app.uow() as uow:
        await tickets.resolve(uow, actor=c.rep, ticket_id=ticket.id, now=clock.now())
        await surveys.record_phone_score(uow, actor=c.rep, ticket_id=ticket.id, score=4, comment=None, now=clock.now())
        await uow.commit()
    async with app.uow() as uow:  # the same customer's renewal deal, the manager's own
        renewal = await renewals.set_renewal(uow, actor=c.manager, deal_id=won, on=date(2027, 11, 1), now=clock.now())
        assert renewal.id is not None
        await renewals.reopen(uow, actor=c.manager, renewal_id=renewal.id, now=clock.now())
        await uow.commit()

    await c.rep_p.send("/customer 华东")
    card = c.rep_p.last.text
    assert "👥 <b>华东科技</b> 客户卡片" in card and "💼 商机 1 个" in card  # only their own deal
    assert "T-00001 华东科技" in card and "满意度平均 4.0 分（4/5）" in card
    assert "🛠 T-00001" in [label for label, _ in c.rep_p.last.buttons]

    await c.manager_p.send("/customer 华东科技")
    assert "💼 商机 2 个" in c.manager_p.last.text

    await c.rep_p.send("/customer 不存在的公司")
    assert "没找到这个客户" in c.rep_p.last.text
