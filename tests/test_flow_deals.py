"""/deals and /assign in chat: the list with its filters and pages, the deal card, advancing with a
confirmation, a manager's skip, marking lost with a reason, reassigning (both reps told), and forged or
repeated presses refused politely. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from bot.factory import App
from bot.render import markup_json
from bot.sandbox import Sandbox
from domain.deals.model import Stage
from domain.outbox.model import Action
from domain.team.model import Language, Role
from handlers.pipeline_ui import STAGES, DealAct, DealCb
from tests.conftest import join
from tests.deal_support import (
    alert,
    deal_row,
    has_button,
    inbox,
    labels,
    member,
    move,
    screen,
    seed_deal,
    set_policy,
)
from tests.fakes import FakeClock

COMPANIES = ("华东科技", "西湖软件", "钱塘物流", "江南制造", "苏州电子", "宁波港务", "杭州医药", "无锡纺织", "常州机械", "嘉兴食品")


async def test_a_rep_pages_and_filters_their_deals(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    await join(app, sandbox, "小李", Role.REP)
    wang, manager = await member(app, wang_p), await member(app, manager_p)
    first = await seed_deal(app, wang, COMPANIES[0])
    clock.advance(days=8)  # the first deal has been quiet for longer than the team's 7 recycle days
    ids = [first] + [await seed_deal(app, wang, name) for name in COMPANIES[1:]]
    await move(app, wang, ids[1], Stage.FOLLOWING_UP)
    await move(app, wang, ids[2], Stage.FOLLOWING_UP)

    await wang_p.send("/deals")
    assert "我的商机</b>（共 10 个）" in wang_p.last.text and "第 1/2 页" in wang_p.last.text
    deal_buttons = [label for label, _ in wang_p.last.buttons if label[0].isdigit()]
    assert len(deal_buttons) == 8 and deal_buttons[0].startswith("1. ")
    assert not has_button(wang_p, "团队")  # a rep has no team toggle

    await wang_p.press("下一页")
    assert "第 2/2 页" in wang_p.last.text and "9. " in wang_p.last.text and "1. " not in wang_p.last.text
    await wang_p.press("上一页")
    assert "第 1/2 页" in wang_p.last.text

    await wang_p.press("按阶段")
    assert "看哪个阶段" in wang_p.last.text
    await wang_p.press("深度跟进")
    assert "（共 2 个）" in wang_p.last.text and "筛选：深度跟进" in wang_p.last.text
    assert "西湖软件" in wang_p.last.text and "钱塘物流" in wang_p.last.text
    await wang_p.press("清除筛选")
    assert "（共 10 个）" in wang_p.last.text

    await wang_p.press("停滞")
    assert "（共 1 个）" in wang_p.last.text and "华东科技" in wang_p.last.text and "✅ 💤 停滞" in labels(wang_p)
    await wang_p.press("停滞")  # the same button again turns the filter off
    assert "（共 10 个）" in wang_p.last.text

    async with app.uow() as uow:
        from domain.deals import queries as deal_queries
        from domain.handoffs import services as handoff_service

        li = next(u for u in await deal_queries.team_reps(uow, viewer=manager) if u.name == "小李")
        await handoff_service.reassign(uow, actor=manager, opportunity_id=ids[3], to_user_id=li.id or 0, reason="平衡工作量", now=clock.now())
        await uow.commit()
    await wang_p.press("待接手")
    assert "（共 1 个）" in wang_p.last.text and "江南制造" in wang_p.last.text and "⏳ 待接手" in wang_p.last.text


async def test_a_manager_sees_the_team_and_switches_to_mine(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    await seed_deal(app, await member(app, wang_p), "华东科技")
    await seed_deal(app, await member(app, li_p), "西湖软件")

    await manager_p.send("/deals")
    text = manager_p.last.text
    assert "团队商机</b>（共 2 个）" in text and "华东科技" in text and " · 小王" in text and " · 小李" in text
    await manager_p.press("我的")
    assert "我的商机</b>（共 0 个）" in manager_p.last.text and "/pool" in manager_p.last.text
    await manager_p.press("团队")
    assert "（共 2 个）" in manager_p.last.text


async def test_the_deal_card_shows_facts_score_and_history_in_the_team_timezone(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    await seed_deal(app, wang, "华东科技", amount_minor=50_000_000, close=date(2026, 12, 31), email="zhang@hd-tech.cn")

    await wang_p.send("/deals")
    assert "¥500,000.00" in wang_p.last.text
    await wang_p.press("1. 华东科技")
    card = wang_p.last.text
    assert "💼 <b>华东科技</b>" in card and "公司：华东科技" in card
    assert "联系人：张总 · +86138001" in card and "zhang@hd-tech.cn" in card
    assert "金额：¥500,000.00" in card and "预计成交：2026年12月31日" in card
    assert "负责人：小王" in card and "阶段：商机认定" in card
    assert "评分：10/10（" in card and "决策人 +2" in card and "预算 +2" in card
    # Captured at 02:00 UTC: 10:00 in Shanghai.
    assert "• 11月26日 周四 10:00 小王：新建 → 商机认定" in card
    labels = [label for label, _ in wang_p.last.buttons]
    assert labels == ["➡️ 推进到「深度跟进」", "❌ 标记丢单", "📞 记录跟进", "🕘 跟进记录", "📄 报价", "🤝 求助同事", "⬅️ 返回列表"]
    await wang_p.press("返回列表")
    assert "我的商机" in wang_p.last.text


async def test_a_rep_advances_a_stage_after_confirming_and_a_second_tap_changes_nothing(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    await wang_p.send("/deals")
    await wang_p.press("1. 华东科技")
    clock.advance(hours=1)
    await wang_p.press("推进到「深度跟进」")
    assert "确定把「华东科技」从「商机认定」推进到「深度跟进」吗？" in wang_p.last.text
    confirm_message, confirm = wang_p.find_button("确认推进")
    await wang_p.press("确认推进")
    assert "✅ 已进入「深度跟进」阶段。" in wang_p.last.text
    assert "• 11月26日 周四 11:00 小王：商机认定 → 深度跟进" in wang_p.last.text
    assert has_button(wang_p, "推进到「方案报价」")

    calls = await wang_p.press_data(confirm, message_id=confirm_message.message_id)
    assert "已经在「深度跟进」阶段了" in alert(calls)
    assert (await deal_row(app, deal_id)).stage is Stage.FOLLOWING_UP


async def test_skipping_stages_is_refused_for_a_rep_and_a_managers_override(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "华东科技")

    await wang_p.send("/deals")
    await wang_p.press("1. 华东科技")
    assert not has_button(wang_p, "跳过阶段")
    forged = DealCb(act=DealAct.SKIP_CONFIRMED, id=deal_id, frm=STAGES.index(Stage.QUALIFIED), to=STAGES.index(Stage.CONTRACT))
    assert "不能跳过" in alert(await wang_p.press_data(forged.pack()))
    assert "请找销售经理" in alert(await wang_p.press_data(DealCb(act=DealAct.SKIP, id=deal_id, frm=0).pack()))
    assert (await deal_row(app, deal_id)).stage is Stage.QUALIFIED

    await manager_p.send("/deals")
    await manager_p.press("1. 华东科技")
    await manager_p.press("跳过阶段")
    assert "现在在「商机认定」，直接移到哪个阶段？" in manager_p.last.text
    targets = [label for label, _ in manager_p.last.buttons]
    assert targets[0] == "方案报价" and "深度跟进" not in targets and "赢单" in targets
    await manager_p.press("合同签署")
    assert "直接移到「合同签署」吗？中间的阶段会被跳过" in manager_p.last.text
    await manager_p.press("确认跳过")
    assert "✅ 已进入「合同签署」阶段。" in manager_p.last.text
    assert "李经理：商机认定 → 合同签署（经理跳过阶段）" in manager_p.last.text
    assert (await deal_row(app, deal_id)).stage is Stage.CONTRACT
    assert "李经理 把「华东科技」从「商机认定」改到了「合同签署」" in (await inbox(app, wang))[-1]


async def test_marking_lost_needs_a_reason_takes_an_optional_note_and_a_confirmation(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    await wang_p.send("/deals")
    await wang_p.press("1. 华东科技")

    forged = DealCb(act=DealAct.LOSE_CONFIRMED, id=deal_id)
    assert "过期" in alert(await wang_p.press_data(forged.pack()))  # no reason chosen: nothing happens

    await wang_p.press("标记丢单")
    assert "「华东科技」为什么丢单？" in wang_p.last.text
    reasons = [label for label, _ in wang_p.last.buttons]
    assert reasons[:3] == ["价格没谈拢", "输给竞品", "客户没预算"] and "✖️ 取消" in reasons
    await wang_p.send("客户嫌贵")
    assert "请先点上面的按钮选一个丢单原因" in wang_p.last.text
    await wang_p.press("价格没谈拢")
    assert "丢单原因：价格没谈拢" in screen(wang_p) and has_button(wang_p, "跳过")
    await wang_p.send("对方选了更便宜的方案")
    assert "原因：价格没谈拢" in wang_p.last.text and "说明：对方选了更便宜的方案" in wang_p.last.text
    await wang_p.press("返回")
    assert "为什么丢单" in wang_p.last.text
    await wang_p.press("输给竞品")
    await wang_p.press("跳过")
    assert "原因：输给竞品" in wang_p.last.text and "说明：无" in wang_p.last.text
    confirm_message, confirm = wang_p.find_button("确认丢单")
    await wang_p.press("确认丢单")
    assert "❌ 已标记为丢单" in wang_p.last.text and "丢单原因：输给竞品" in wang_p.last.text
    assert "阶段：丢单" in wang_p.last.text and not has_button(wang_p, "标记丢单")
    deal = await deal_row(app, deal_id)
    assert deal.stage is Stage.LOST and deal.lost_reason == "competitor" and deal.lost_note is None

    assert "过期" in alert(await wang_p.press_data(confirm, message_id=confirm_message.message_id))


async def test_a_manager_reassigns_from_the_card_and_both_reps_are_told(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    wang, li = await member(app, wang_p), await member(app, li_p)
    deal_id = await seed_deal(app, wang, "华东科技")

    await manager_p.send("/deals")
    await manager_p.press("1. 华东科技")
    await manager_p.press("转给别人")
    assert "把「华东科技」转给谁？现在的负责人：小王" in manager_p.last.text
    assert [label for label, _ in manager_p.last.buttons][:2] == ["👤 小王", "小李"]
    await manager_p.press("小李")
    assert "转给 小李，原因是？" in manager_p.last.text
    await manager_p.press("平衡工作量")
    assert "🔁 已转给 小李，两位销售都会收到通知。" in manager_p.last.text
    assert "⏳ 等待 小李 确认接手" in manager_p.last.text

    li_card = (await inbox(app, li))[-1]
    assert "李经理 把一个商机改派给你" in li_card and "原因：平衡工作量" in li_card
    assert "把「华东科技」改派给了 小李，原因：平衡工作量" in (await inbox(app, wang))[-1]
    # Until 小李 accepts, 小王 still owns it; 小李 sees it among theirs, waiting, with Accept on the card.
    assert (await deal_row(app, deal_id)).owner_id == wang.id
    await li_p.send("/deals")
    assert "华东科技" in li_p.last.text and "⏳ 待接手" in li_p.last.text
    await li_p.press("1. 华东科技")
    await li_p.press("接手")
    assert "「华东科技」现在由你负责" in li_p.last.text
    assert (await deal_row(app, deal_id)).owner_id == li.id


async def test_assign_walks_a_manager_from_the_team_list_to_a_typed_reason(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    wang, li = await member(app, wang_p), await member(app, li_p)
    await seed_deal(app, wang, "华东科技")

    await wang_p.send("/assign")
    assert "只有销售经理或管理员可以改派" in wang_p.last.text

    await manager_p.send("/assign")
    assert "转交哪个商机？（团队共 1 个）" in manager_p.last.text
    await manager_p.press("1. 华东科技 · 小王")
    await manager_p.press("小李")
    await manager_p.press("返回")
    assert "转给谁" in manager_p.last.text
    await manager_p.press("返回")
    assert "转交哪个商机" in manager_p.last.text
    await manager_p.press("1. 华东科技")
    await manager_p.press("小李")
    await manager_p.press("自己写原因")
    assert "请直接发转交原因" in manager_p.last.text
    await manager_p.send("x" * 301)
    assert "最多 300 个字" in manager_p.last.text
    await manager_p.send("客户是小李的老朋友")
    assert "已转给 小李" in manager_p.last.text
    assert "原因：客户是小李的老朋友" in (await inbox(app, li))[-1]
    assert "改派给了 小李" in (await inbox(app, wang))[-1]

    await manager_p.send("/assign")
    await manager_p.press("1. 华东科技")
    await manager_p.press("小李")
    calls = await manager_p.press("平衡工作量")  # already waiting for 小李: nothing is sent twice
    assert "已经是（或正在等）这位销售接手" in alert(calls)
    assert len([t for t in await inbox(app, li) if "改派给你" in t]) == 1


async def test_words_after_deals_quote_and_assign_find_the_deal(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    wang, li = await member(app, wang_p), await member(app, li_p)
    for company in COMPANIES:  # more deals than /quote's list shows
        await seed_deal(app, wang, company)
    await seed_deal(app, li, "华东电子")

    # One deal found: opened at once, whichever page of the list it is on.
    await wang_p.send("/deals 嘉兴")
    assert "嘉兴食品" in wang_p.last.text and has_button(wang_p, "记录跟进")
    await wang_p.send("/quote 嘉兴")
    assert "嘉兴食品</b> 的报价单" in screen(wang_p) and has_button(wang_p, "新报价")

    # Only the rep's own are searched: 小李's 华东电子 is not 小王's to see, so 华东 finds one.
    await wang_p.send("/quote 华东")
    assert "华东科技</b> 的报价单" in screen(wang_p)
    # Several: those found, to pick.
    await wang_p.send("/quote 州")
    assert "「州」找到 3 个商机" in screen(wang_p)
    assert sorted(label.split(". ", 1)[1] for label in labels(wang_p)) == ["常州机械 · 商机认定", "杭州医药 · 商机认定", "苏州电子 · 商机认定"]
    await wang_p.press("杭州医药")
    assert "杭州医药</b> 的报价单" in screen(wang_p)
    await wang_p.send("/deals 州")
    await wang_p.press("苏州电子")
    assert "苏州电子" in wang_p.last.text and has_button(wang_p, "记录跟进")
    await wang_p.send("/deals 不存在的公司")
    assert "没找到和「不存在的公司」相关的商机" in "\n".join(m.text for m in wang_p.chat()[-2:])
    assert "我的商机" in wang_p.last.text  # and the whole list after it

    # A manager's /assign with words lists the team's deals they find.
    await manager_p.send("/assign 华东")
    assert "「华东」找到 2 个商机" in screen(manager_p)
    assert sorted(label.split(". ", 1)[1] for label in labels(manager_p)) == ["华东电子 · 商机认定", "华东科技 · 商机认定"]
    await manager_p.press("华东科技")
    await manager_p.press("小李")
    await manager_p.press("平衡工作量")
    assert "已转给 小李" in manager_p.last.text
    # One found: straight to whom it goes.
    await manager_p.send("/assign 嘉兴")
    assert "转给谁" in manager_p.last.text and "嘉兴食品" in manager_p.last.text
    await manager_p.press("小李")
    await manager_p.press("平衡工作量")
    assert "已转给 小李" in manager_p.last.text


async def test_a_rep_cannot_open_or_act_on_someone_elses_deal_by_forging_buttons(app: App, sandbox: Sandbox) -> None:
    await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    outsider_p = await join(app, sandbox, "老周", Role.REP, team="华南销售部")
    south_boss_p = await join(app, sandbox, "周经理", Role.MANAGER, team="华南销售部")
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    next_stage = STAGES.index(Stage.FOLLOWING_UP)

    forged = [
        (DealCb(act=DealAct.OPEN, id=deal_id), "不是你负责的"),
        (DealCb(act=DealAct.ADVANCE_CONFIRMED, id=deal_id, frm=0, to=next_stage), "不是你负责的"),
        (DealCb(act=DealAct.LOSE, id=deal_id, frm=0), "不是你负责的"),
        (DealCb(act=DealAct.REASSIGN_CONFIRMED, id=deal_id, rep=1, arg="workload"), "只有销售经理或管理员可以改派"),
    ]
    for data, refusal in forged:
        assert refusal in alert(await li_p.press_data(data.pack())), data
        assert refusal.replace("不是你负责的", "其他团队") in alert(await outsider_p.press_data(data.pack())), data
    skip = DealCb(act=DealAct.SKIP_CONFIRMED, id=deal_id, frm=0, to=STAGES.index(Stage.CONTRACT))
    assert "其他团队" in alert(await south_boss_p.press_data(skip.pack()))
    assert "其他团队" in alert(await south_boss_p.press_data(DealCb(act=DealAct.REASSIGN, id=deal_id).pack()))

    deal = await deal_row(app, deal_id)
    assert deal.stage is Stage.QUALIFIED and deal.owner_id == (await member(app, wang_p)).id
    assert all("华东科技" not in m.text for m in li_p.chat() + outsider_p.chat() + south_boss_p.chat())


async def test_a_pushed_message_can_carry_an_open_deal_button(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    markup = markup_json(app.catalogue, Language.ZH, ((Action("deal.open", deal_id),),))
    assert markup is not None and "📂 查看商机" in markup
    await wang_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    assert "💼 <b>华东科技</b>" in wang_p.last.text


async def test_policy_lost_reasons_typed_by_a_manager_are_offered_as_they_are(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    await set_policy(app, await member(app, manager_p), lost_reasons=["预算被砍", "price"])
    await seed_deal(app, await member(app, wang_p), "华东科技")
    await wang_p.send("/deals")
    await wang_p.press("1. 华东科技")
    await wang_p.press("标记丢单")
    assert [label for label, _ in wang_p.last.buttons][:2] == ["预算被砍", "价格没谈拢"]


async def test_an_english_speaking_rep_gets_the_list_and_card_in_english(app: App, sandbox: Sandbox) -> None:
    rep_p = await join(app, sandbox, "Jane", Role.REP, language_code="en")
    await seed_deal(app, await member(app, rep_p), "Acme Ltd", amount_minor=5_000_000, close=date(2027, 1, 15))
    await rep_p.send("/deals")
    assert "<b>My deals</b> (1 in all)" in rep_p.last.text and "¥50,000.00" in rep_p.last.text
    await rep_p.press("1. Acme Ltd")
    card = rep_p.last.text
    assert "Amount: ¥50,000.00" in card and "Expected close: 15 Jan 2027" in card and "Owner: Jane" in card
    assert "Thu 26 Nov 10:00 Jane: new →" in card
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in card.replace("张总", ""))


async def test_deal_commands_in_the_team_group_show_nothing_there(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    await seed_deal(app, await member(app, wang_p), "华东科技")
    group = -100_555
    for person, command in ((wang_p, "/deals"), (wang_p, "/pool"), (manager_p, "/assign"), (manager_p, "/policy")):
        await person.send(command, chat_id=group, chat_type="supergroup")
    # Customers and amounts stay in private chats: the group hears once where to go (bot/chat_scope.py).
    assert [m.text for m in sandbox.session.messages(group)] == ["🔒 客户资料只在私聊里处理，群里不方便。请点下面的按钮私聊我 👇"]


async def test_from_the_contract_on_the_owner_closes_the_deal_as_won(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "华东科技")
    await wang_p.send("/deals")
    await wang_p.press("1. 华东科技")
    assert not has_button(wang_p, "赢单")
    for stage in (Stage.FOLLOWING_UP, Stage.PROPOSAL):
        await move(app, wang, deal_id, stage)
    async with app.uow() as uow:  # the customer accepted a quote (the contract stage's gate)
        deal = await uow.opportunities.get(deal_id)
        assert deal is not None
        deal.quote_status = "accepted"
        await uow.commit()
    await move(app, wang, deal_id, Stage.CONTRACT)
    await wang_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await wang_p.press("赢单")
    assert "从「合同签署」推进到「赢单」吗？" in wang_p.last.text
    await wang_p.press("确认推进")
    assert "🎉 恭喜赢单！" in wang_p.last.text and "阶段：赢单" in wang_p.last.text
    # The timeline stays readable, no more logging; after-sales tickets from here on (issue 13).
    assert labels(wang_p) == ["🕘 跟进记录", "🛠 工单", "🔁 续约/复购", "⬅️ 返回列表"]
    assert (await deal_row(app, deal_id)).stage is Stage.WON
    await manager_p.send("/deals")
    assert "团队商机</b>（共 0 个）" in manager_p.last.text  # the list shows open deals unless a stage is picked
