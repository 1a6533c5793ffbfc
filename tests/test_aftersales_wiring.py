"""The after-sales wire-ups, on SQLite and PostgreSQL: a manager changes the team's service rules in
/policy (who owns a new ticket, the service person, an SLA limit, the survey link's validity) by buttons
and a typed number; a rep opens a ticket from a deal's card with the customer already filled in, and it
goes to the service person by the new rule."""

from __future__ import annotations

from bot.factory import App
from bot.sandbox import Sandbox
from domain.deals.model import Stage
from domain.team.model import Role
from handlers.pipeline_ui import DealAct, DealCb
from handlers.tickets.common import TicketAct, TicketCb
from tests.conftest import join
from tests.deal_support import alert, labels, move, seed_deal
from tests.quote_support import crew
from tests.ticket_support import ticket_row


async def test_a_manager_sets_the_service_rules_and_a_ticket_from_the_deal_card_follows_them(
    app: App, sandbox: Sandbox
) -> None:
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    await move(app, c.manager, deal_id, Stage.WON, override=True)

    await c.manager_p.send("/policy")
    await c.manager_p.press("售后规则")
    rules = c.manager_p.last.text
    assert "新工单给谁：商机负责人（没有商机时给售后专员）" in rules and "售后专员：未指定" in rules
    assert "P1 紧急：1 小时 / 12 小时" in rules and "满意度链接有效期：7 天" in rules

    calls = await c.manager_p.press("改为：一律给售后专员")  # nobody to give them to yet
    assert "先指定一位售后专员" in alert(calls)
    await c.manager_p.press("🧑\u200d🔧 售后专员")
    assert "小李" in labels(c.manager_p) and "不指定" in labels(c.manager_p)
    await c.manager_p.press("小李")
    assert "✅ 已保存。" in c.manager_p.last.text and "售后专员：小李" in c.manager_p.last.text
    await c.manager_p.press("改为：一律给售后专员")
    assert "新工单给谁：一律给售后专员" in c.manager_p.last.text

    await c.manager_p.press("P1 响应")
    assert "现在是 1 个工作小时" in c.manager_p.last.text
    await c.manager_p.press("+1")
    assert "现在是 2 个工作小时" in c.manager_p.last.text
    await c.manager_p.send("20")  # longer than the 12-hour resolution: refused, nothing lost
    assert "P1 的首次响应时限不能比解决时限还长" in c.manager_p.last.text
    await c.manager_p.send("3")
    assert "✅ 已保存。" in c.manager_p.last.text and "P1 紧急：3 小时 / 12 小时" in c.manager_p.last.text
    await c.manager_p.press("链接有效期")
    await c.manager_p.send("14")
    assert "满意度链接有效期：14 天" in c.manager_p.last.text

    await c.rep_p.send("/policy")
    assert "售后规则" not in " ".join(labels(c.rep_p))

    # The rep opens a ticket from the deal's card: the customer is known, three answers to go.
    await c.rep_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("工单")
    assert "新建售后工单</b> · 华东科技" in c.rep_p.last.text
    await c.rep_p.press("故障")
    await c.rep_p.press("P1 紧急")
    await c.rep_p.send("打印模块报错")
    assert "工单 T-00001 已创建，负责人：小李" in c.rep_p.last.text
    ticket = await ticket_row(app, 1)
    assert ticket.opportunity_id == deal_id and ticket.response_minutes == 180 and ticket.owner_id == c.other.id


async def test_the_deal_card_ticket_button_refuses_another_teams_deal(app: App, sandbox: Sandbox) -> None:
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    stranger = await join(app, sandbox, "外人", Role.REP, team="华南销售部")
    calls = await stranger.press_data(TicketCb(act=TicketAct.DEAL, id=deal_id).pack())
    assert "其他团队的数据" in alert(calls)
    assert "问题属于哪一类" not in stranger.last.text
