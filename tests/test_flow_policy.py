"""/policy in chat: a manager reads the team's pipeline rules and changes them by buttons or a typed
number (a wrong one explained), and sets reps' skills by typing a list. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.factory import App
from bot.sandbox import Sandbox
from domain.deals.model import Stage
from domain.errors import InvalidInput
from domain.leads import services as leads
from domain.leads.model import Authority, Budget, LeadSource, Timeline
from domain.policy import idle_limits as followup
from domain.policy import services as deals
from domain.policy.model import AssignmentPolicy
from domain.team.model import Role
from tests.conftest import join
from tests.deal_support import alert, hot_lead, labels, member, screen


async def policy_of(app: App, team_id: int):  # type: ignore[no-untyped-def]
    async with app.uow() as uow:
        return await deals.get_policy(uow, team_id=team_id)


async def test_a_manager_changes_the_rules_by_buttons(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    manager = await member(app, manager_p)
    await manager_p.send("/policy")
    card = manager_p.last.text
    assert "华东销售部</b> 的销售规则" in card and "分配方式：轮流分配" in card
    assert "商机门槛：6 分" in card and "接手时限：30 个工作分钟" in card
    assert "回收公海：自动 —— 经理收到沉默提醒后，再过 1 个工作日还没跟进就收回" in card
    assert "公海认领上限：每人 5 个" in card and "冷却期：被收回后 3 天内不能再认领" in card

    await manager_p.press("分配方式")
    assert "新线索怎么分配给销售？" in manager_p.last.text and "✅ 轮流分配" in labels(manager_p)
    await manager_p.press("按区域/行业/产品匹配")
    assert "✅ 已保存。" in manager_p.last.text and "分配方式：按区域/行业/产品匹配" in manager_p.last.text

    old_card, allow_off = manager_p.find_button("自己跟进：允许")
    await manager_p.press("自己跟进：允许")
    assert "允许销售自己跟进自己录的线索：不允许" in manager_p.last.text
    calls = await manager_p.press_data(allow_off, message_id=old_card.message_id)  # a stale second tap
    assert "本来就是这样" in alert(calls)

    await manager_p.press("接手时限")
    assert "接手时限：现在是 30 个工作分钟" in manager_p.last.text
    assert labels(manager_p)[:4] == ["−15", "−5", "+5", "+15"]
    plus_message, plus = manager_p.find_button("+15")
    await manager_p.press("+15")
    assert "现在是 45 个工作分钟" in manager_p.last.text
    calls = await manager_p.press_data(plus, message_id=plus_message.message_id)  # the same tap again: still 45
    assert "本来就是这样" in alert(calls)
    await manager_p.press("返回")

    policy = await policy_of(app, manager.team_id)
    assert policy.assignment is AssignmentPolicy.RULES and not policy.allow_self_assign
    assert policy.handoff_minutes == 45


async def test_a_typed_number_is_checked_with_a_clear_message(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    manager = await member(app, manager_p)
    await manager_p.send("/policy")
    await manager_p.press("认领上限")
    assert "公海认领上限：现在是 每人 5 个" in manager_p.last.text and "直接发一个数字" in manager_p.last.text
    await manager_p.send("五个")
    assert "公海认领上限要发一个整数，比如 30" in manager_p.last.text
    await manager_p.send("500")
    assert "要在 1 到 100 之间" in manager_p.last.text
    await manager_p.send("8")
    assert "✅ 已保存。" in manager_p.last.text and "公海认领上限：每人 8 个" in manager_p.last.text
    assert (await policy_of(app, manager.team_id)).pool_claim_limit == 8
    await manager_p.send("20")  # the flow ended with the saved value
    assert "没太明白" in manager_p.last.text


async def test_recycling_is_automatic_per_stage_or_a_number_no_shorter_than_the_manager_alert(
    app: App, sandbox: Sandbox
) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    manager = await member(app, manager_p)
    await manager_p.send("/policy")
    await manager_p.press("回收天数")
    text = manager_p.last.text
    assert "♻️ 回收公海：自动" in text
    assert "「深度跟进」：第 7 天提醒销售，第 14 天提醒你，第 15 天收回" in text
    assert "最少 60 天（最长的沉默时限 30 天 × 2）" in text
    assert labels(manager_p)[0] == "📌 改为固定天数（60 天起）"

    await manager_p.send("十天")
    assert "回收天数要发一个整数，比如 30" in manager_p.last.text
    await manager_p.send("30")  #售后 is silent for 30 days before anyone hears: 30 would recycle first
    assert "回收天数至少要 60 天" in manager_p.last.text and "改回「自动」" in manager_p.last.text
    assert (await policy_of(app, manager.team_id)).recycle_days is None

    await manager_p.press("改为固定天数")
    assert "♻️ 回收公海：沉默 60 天后收回" in manager_p.last.text and manager_p.last.edited
    assert labels(manager_p)[:5] == ["−7", "−1", "+1", "+7", "🔄 改回自动"]
    calls = await manager_p.press("−1")
    assert "回收天数至少要 60 天" in alert(calls)
    await manager_p.press("+7")
    assert "沉默 67 天后收回" in manager_p.last.text
    assert (await policy_of(app, manager.team_id)).recycle_days == 67

    # While the number is set, no stage may stay silent longer than half of it.
    async with app.uow() as uow:
        with pytest.raises(InvalidInput) as too_long:
            await followup.set_idle_limits(
                uow, actor=manager, team_id=manager.team_id, limits={Stage.AFTER_SALES: 34}, now=app.clock.now()
            )
    assert too_long.value.code == "error-idle-over-recycle" and too_long.value.params == {"recycle": 67, "max": 33}

    await manager_p.send("自动")
    assert "✅ 已保存。" in manager_p.last.text and "回收公海：自动" in manager_p.last.text
    assert (await policy_of(app, manager.team_id)).recycle_days is None


async def test_reps_skills_are_typed_as_a_list(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    await manager_p.send("/policy")
    await manager_p.press("销售技能")
    assert "• 小王：区域：无 · 行业：无 · 产品：无" in manager_p.last.text
    await manager_p.press("小王")
    await manager_p.press("区域")
    assert "请发 小王 负责的区域，多个用逗号隔开" in manager_p.last.text
    await manager_p.send("华东, 华南、上海，华东")
    assert "✅ 已保存。" in manager_p.last.text and "区域：上海，华东，华南" in manager_p.last.text
    await manager_p.press("产品")
    await manager_p.send("x" * 65)
    assert "每项专长最多 64 个字" in manager_p.last.text
    await manager_p.send("CRM")
    assert "产品：CRM" in screen(manager_p)
    await manager_p.press("区域")
    await manager_p.send("无")
    assert "区域：无" in manager_p.last.text

    async with app.uow() as uow:
        skills = await deals.rep_skills(uow, viewer=await member(app, manager_p), user_id=wang.id or 0)
    assert skills == {"region": [], "industry": [], "product": ["CRM"]}


async def test_a_rep_cannot_read_or_change_the_rules(app: App, sandbox: Sandbox) -> None:
    await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    await wang_p.send("/policy")
    assert "只有本团队的销售经理或管理员" in wang_p.last.text
    from handlers.flow import FlowAction, FlowCb
    from handlers.policy import PolicyAction, PolicyCb

    calls = await wang_p.press_data(PolicyCb(action=PolicyAction.SET, field="pool_claim_limit", value="50").pack())
    assert "只有本团队的销售经理或管理员" in alert(calls)
    calls = await wang_p.press_data(PolicyCb(action=PolicyAction.TOGGLE, field="allow_self_assign", value="0").pack())
    assert "只有本团队的销售经理或管理员" in alert(calls)
    for data in (
        PolicyCb(action=PolicyAction.IDLE), PolicyCb(action=PolicyAction.IDLE_STAGE, field="proposal"),
        FlowCb(flow="pidle", action=FlowAction.PICK, step="days", value="9"), PolicyCb(action=PolicyAction.WEIGHTS),
        PolicyCb(action=PolicyAction.WEIGHT_FACTOR, field="budget"),
        PolicyCb(action=PolicyAction.WEIGHT_SET, field="budget", value="4"),
        FlowCb(flow="pnum", action=FlowAction.PICK, step="value", value="50"),
    ):
        calls = await wang_p.press_data(data.pack())
        assert "只有本团队的销售经理或管理员" in alert(calls), data


async def test_a_manager_changes_a_stages_idle_limit(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    manager = await member(app, manager_p)
    await manager_p.send("/policy")
    await manager_p.press("沉默时限")
    assert "• 商机认定：2 天" in manager_p.last.text and "• 深度跟进：7 天" in manager_p.last.text
    assert "• 售后：30 天" in manager_p.last.text and "赢单" not in manager_p.last.text

    await manager_p.press("深度跟进")
    assert "「深度跟进」阶段的沉默时限：现在是 7 天" in manager_p.last.text
    assert labels(manager_p)[:4] == ["−7", "−1", "+1", "+7"]
    plus_message, plus = manager_p.find_button("+1")
    await manager_p.press("+1")
    assert "现在是 8 天" in manager_p.last.text and manager_p.last.edited  # edited in place
    calls = await manager_p.press_data(plus, message_id=plus_message.message_id)  # the same tap again: still 8
    assert "本来就是这样" in alert(calls)

    await manager_p.send("八天")
    assert "「深度跟进」的沉默时限要发一个整数天数" in manager_p.last.text
    await manager_p.send("400")
    assert "要在 1 到 365 天之间" in manager_p.last.text
    await manager_p.send("10")
    assert "✅ 已保存。" in manager_p.last.text and "• 深度跟进：10 天" in manager_p.last.text
    await manager_p.send("12")  # the flow ended with the saved value
    assert "没太明白" in manager_p.last.text

    await manager_p.press("返回")
    assert "华东销售部</b> 的销售规则" in screen(manager_p)
    async with app.uow() as uow:
        limits = await followup.get_idle_limits(uow, viewer=manager)
    assert limits[Stage.FOLLOWING_UP] == 10 and limits[Stage.QUALIFIED] == 2


async def test_a_manager_changes_a_score_weight(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    await manager_p.send("/policy")
    await manager_p.press("评分权重")
    assert "• 需求明确：1 分" in manager_p.last.text and "• 决策人：2 分" in manager_p.last.text
    assert "• 主动来询：1 分" in manager_p.last.text

    await manager_p.press("决策人")
    assert "「决策人」的权重：现在是 2 分" in manager_p.last.text
    assert labels(manager_p)[:2] == ["−1", "+1"]
    plus_message, plus = manager_p.find_button("+1")
    await manager_p.press("+1")
    assert "现在是 3 分" in manager_p.last.text
    calls = await manager_p.press_data(plus, message_id=plus_message.message_id)  # the same tap again: still 3
    assert "本来就是这样" in alert(calls)

    await manager_p.press("返回")
    await manager_p.press("需求明确")
    await manager_p.press("−1")
    assert "「需求明确」的权重：现在是 0 分" in manager_p.last.text
    calls = await manager_p.press("−1")
    assert "要在 0 到 10 之间" in alert(calls)
    await manager_p.press("返回")
    assert "• 需求明确：0 分" in manager_p.last.text and "• 决策人：3 分" in manager_p.last.text

    # A lead captured now is scored with the new weights: the decision maker is worth 3, not 2.
    draft = hot_lead(
        "新视界科技", source=LeadSource.OTHER, budget=Budget.UNKNOWN, timeline=Timeline.UNKNOWN, industry=None,
        authority=Authority.DECISION_MAKER,
    )
    async with app.uow() as uow:
        result = await leads.capture_lead(uow, actor=wang, draft=draft, now=app.clock.now())
        await uow.commit()
    assert result.lead.score == 3 and result.lead.score_reasons == {"authority": 3}
