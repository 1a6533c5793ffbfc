"""The rep who brings a lead in follows its deal, read-only (issue 9): "/deals shows how it goes" holds.
Their 📥 list appears in /deals once they have such deals; the card opens without action buttons; a
press on an action is refused as read-only; a deal waiting for acceptance says whom it waits for."""

from __future__ import annotations

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Sandbox
from domain.team.model import Role
from handlers.pipeline_ui import DealAct, DealCb
from tests.conftest import join
from tests.deal_support import alert, labels, member, seed_deal, set_policy

LEAD_LINE = "张三 13800138000 华东科技有限公司 官网 预算50万 要一套CRM管销售线索 本月上线"


async def test_the_rep_who_brought_a_lead_in_follows_its_deal_read_only(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    await set_policy(app, await member(app, manager_p), assignment="least_loaded")
    await seed_deal(app, await member(app, li_p), "西湖软件")  # 小李 is busier: his next lead goes to 小王

    await li_p.send("/deals")
    assert "我录入的" not in " ".join(labels(li_p))  # nothing brought in for others yet: no such list
    await li_p.send(f"/lead {LEAD_LINE}")
    await li_p.press("确认")
    assert "已分配给 小王，等待 TA 确认。" in li_p.last.text and "下班" not in li_p.last.text  # working hours

    await li_p.send("/deals")
    await li_p.press("📥 我录入的")
    listed = li_p.last.text
    assert "我录入的商机</b>（共 1 个）" in listed and "华东科技有限公司" in listed and "待 小王 确认" in listed
    assert "西湖软件" not in listed  # his own deal is in 我的
    await li_p.press("1. 华东科技")
    card = li_p.last.text
    assert "负责人：待 小王 确认" in card and "暂无（在公海）" not in card
    assert "👀 这条线索是你录入的" in card and "张三" in card
    assert labels(li_p) == ["🕘 跟进记录", "⬅️ 返回列表"]  # no action buttons
    deal_id = DealCb.unpack(li_p.find_button("跟进记录")[1]).id

    # 小王 gets the card and accepts; 小李 sees the new owner, still read-only.
    await outbox_of(app).run_once()
    await wang_p.press("✅ 接手")
    await li_p.press("返回列表")
    assert "小王" in li_p.last.text
    await li_p.press("1. 华东科技")
    assert "负责人：小王" in li_p.last.text and labels(li_p) == ["🕘 跟进记录", "⬅️ 返回列表"]
    await li_p.press("跟进记录")
    assert "华东科技" in li_p.last.text

    # A press on an action (an old or forged button) is refused as read-only; nothing changes.
    refused = alert(await li_p.press_data(DealCb(act=DealAct.LOSE, id=deal_id, frm=0).pack()))
    assert "只能查看" in refused


async def test_a_rep_cannot_open_a_deal_they_neither_own_nor_brought_in(app: App, sandbox: Sandbox) -> None:
    await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "钱塘物流")
    refused = alert(await li_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack()))
    assert "不是你负责的" in refused
    refused = alert(await li_p.press_data(DealCb(act=DealAct.TIMELINE, id=deal_id).pack()))
    assert "不是你负责的" in refused


async def test_in_english_the_list_and_the_owner_line(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "Boss", Role.MANAGER, team="Berlin Sales", language_code="en",
                           timezone="Europe/Berlin")
    await join(app, sandbox, "Wang", Role.REP, team="Berlin Sales", language_code="en", timezone="Europe/Berlin")
    li_p = await join(app, sandbox, "Li", Role.REP, team="Berlin Sales", language_code="en", timezone="Europe/Berlin")
    await set_policy(app, await member(app, manager_p), assignment="least_loaded")
    await seed_deal(app, await member(app, li_p), "Müller GmbH")
    await seed_deal(app, await member(app, li_p), "Schmidt AG", keep=False)
    await li_p.send("/deals")
    await li_p.press("I brought in")
    assert "Deals I brought in</b> (1 in all)" in li_p.last.text and "waiting for Wang to accept" in li_p.last.text
    await li_p.press("1. Schmidt AG")
    assert "Owner: waiting for Wang to accept" in li_p.last.text and "You brought this lead in" in li_p.last.text
