"""The pipeline services in memory (tests/fakes.py): capture, dedupe, score, the confirmed hand-off on a
fake clock, the public pool, stages and access. Assertions are on the records and on what people would
receive (the notifications queued, rendered by the bot's renderer). The fakes are held to the SQL
repositories by tests/test_port_contracts.py; what needs a real database (racing claims, the
dispatcher, the card's buttons in chat) is in tests/test_pipeline_on_databases.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.sweeps import run_sweeps
from domain.deals import queries as deal_queries
from domain.deals import services as deal_service
from domain.deals.card import DealAction
from domain.deals.model import Stage
from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.handoffs import services as handoff_service
from domain.handoffs.model import HandoffState
from domain.leads import services as lead_service
from domain.leads.model import CaptureOutcome, LeadStatus
from domain.policy import services as policy_service
from domain.pool import services as pool_service
from tests.fakes import START, FakeClock, MemoryApp
from tests.pipeline_support import (
    TEAM,
    admin,
    audit_actions,
    buttons,
    call,
    capture,
    card_row,
    cold,
    crew,
    group_chat,
    hot,
    inbox,
    sent,
)


@pytest.fixture
def app(memory_app: MemoryApp) -> MemoryApp:
    return memory_app


# --- the full hand-off story --------------------------------------------------------------------------


async def test_missed_deadline_escalates_and_the_next_rep_accepts(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang, li = c.reps

    result = await capture(app, c.manager, hot())
    assert result.outcome is CaptureOutcome.HANDOFF
    assert result.lead.score == 10 and result.lead.status is LeadStatus.CONVERTED
    assert result.lead.phone == "+8613800138000" and result.lead.company_key == "华东科技"
    assert result.opportunity is not None and result.opportunity.stage is Stage.QUALIFIED
    assert result.opportunity.owner_id is None
    first = result.handoff
    assert first is not None and first.to_user_id == wang.id  # round-robin starts at the lowest id
    assert first.deadline_at == START + timedelta(minutes=30)

    card = await card_row(app, wang)
    assert "新商机请你接手" in card["text"] and "华东科技有限公司" in card["text"] and "张总" in card["text"]
    assert "10/10" in card["text"] and "预算 +2" in card["text"] and "决策人 +2" in card["text"]
    assert "来源：转介绍" in card["text"] and "11月26日 周四 10:30" in card["text"]
    assert "13800138000" not in card["text"]  # contact details come with ownership
    assert [label for label, _ in buttons(card)] == ["✅ 接手", "🙅 婉拒"]
    assert await group_chat(app) == [
        "📣 新商机「华东科技有限公司」（10/10）已分配给 小王，等待确认，截止 11月26日 周四 10:30。"
    ]

    clock.advance(minutes=29)
    await run_sweeps(app)
    assert len(await sent(app)) == 2  # not due yet: nothing happened

    clock.advance(minutes=2)
    await run_sweeps(app)
    async with app.uow() as uow:
        history = await uow.handoffs.for_opportunity(result.opportunity.id or 0)
    assert [(h.to_user_id, h.state, h.attempt) for h in history] == [
        (wang.id, HandoffState.EXPIRED, 1), (li.id, HandoffState.PENDING, 2),
    ]
    second = history[1]
    assert second.deadline_at == clock.now() + timedelta(minutes=30)
    escalation = await inbox(app, c.manager)
    assert len(escalation) == 1
    assert "小王 没有在 11月26日 周四 10:30 前确认接手「华东科技有限公司」" in escalation[0]
    assert "已自动转给 小李" in escalation[0]
    assert any("截止时间 11月26日 周四 10:30 已过" in text for text in await inbox(app, wang))
    assert "新商机请你接手" in (await card_row(app, li))["text"]

    before = len(await sent(app))
    await run_sweeps(app)  # a second run (or a second instance) changes nothing
    assert len(await sent(app)) == before

    with pytest.raises(AlreadyDone) as late:
        await call(app, handoff_service.accept_handoff, actor=wang, handoff_id=first.id, now=clock.now())
    assert late.value.code == "error-handoff-done"
    await call(app, handoff_service.accept_handoff, actor=li, handoff_id=second.id, now=clock.now())

    async with app.uow() as uow:
        opportunity = await uow.opportunities.get(result.opportunity.id or 0)
        assert opportunity is not None and opportunity.owner_id == li.id and opportunity.owner_since == clock.now()
    announcements = await group_chat(app)
    assert announcements[-1] == "🤝 小李 已接手商机「华东科技有限公司」，开始跟进。"
    assert "已分配给 小李" in announcements[-2]
    assert any("小李 已接手「华东科技有限公司」" in text for text in await inbox(app, c.manager))
    assert await audit_actions(app, "handoff", first.id or 0) == ["handoff.requested", "handoff.expired"]
    assert await audit_actions(app, "handoff", second.id or 0) == ["handoff.requested", "handoff.accepted"]


async def test_a_deadline_counts_working_minutes_only(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    clock.set(datetime(2026, 11, 28, 12, 50, tzinfo=UTC))  # Saturday 20:50 in Shanghai: 10 minutes left
    result = await capture(app, c.manager, hot())
    assert result.handoff is not None
    # 10 minutes on Saturday, Sunday off, 20 minutes on Monday from 09:00.
    assert result.handoff.deadline_at == datetime(2026, 11, 30, 1, 20, tzinfo=UTC)
    card = await card_row(app, c.reps[0])
    assert "11月30日 周一 09:20" in card["text"]
    assert card["not_before"] == datetime(2026, 11, 28, 12, 50, tzinfo=UTC)  # still inside working hours: goes now


# --- declining ----------------------------------------------------------------------------------------


async def test_a_decline_needs_a_reason_and_moves_on_at_once_then_to_the_pool(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app, group=None)
    wang, li = c.reps
    result = await capture(app, c.manager, hot())
    assert result.handoff is not None and result.opportunity is not None

    for reason in ("", "   "):
        with pytest.raises(InvalidInput) as missing:
            await call(app, handoff_service.decline_handoff, actor=wang, handoff_id=result.handoff.id, reason=reason, now=clock.now())
        assert missing.value.code == "error-decline-reason"

    clock.advance(minutes=5)
    await call(app, handoff_service.decline_handoff, actor=wang, handoff_id=result.handoff.id, reason="busy", now=clock.now())
    alert = (await inbox(app, c.manager))[-1]
    assert "小王 婉拒了「华东科技有限公司」" in alert and "原因：手上客户太多，忙不过来" in alert
    assert "已自动转给 小李" in alert
    second = (await card_row(app, li))
    assert "新商机请你接手" in second["text"]

    async with app.uow() as uow:
        pending = await uow.handoffs.pending_for(result.opportunity.id or 0)
    assert pending is not None and pending.to_user_id == li.id and pending.attempt == 2
    assert pending.deadline_at == clock.now() + timedelta(minutes=30)

    await call(app, handoff_service.decline_handoff, actor=li, handoff_id=pending.id, reason="客户是我前同事的，回避一下", now=clock.now())
    alert = (await inbox(app, c.manager))[-1]
    assert "原因：客户是我前同事的，回避一下" in alert and "商机已进入公海" in alert
    async with app.uow() as uow:
        opportunity = await uow.opportunities.get(result.opportunity.id or 0)
        assert opportunity is not None and opportunity.in_pool
        assert await uow.handoffs.pending_for(result.opportunity.id or 0) is None
    page = await call(app, pool_service.list_pool, viewer=wang, now=clock.now())
    assert [item.company for item in page.items] == ["华东科技有限公司"] and page.total == 1


# --- access -------------------------------------------------------------------------------------------


async def test_nobody_answers_someone_elses_hand_off(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang, li = c.reps
    result = await capture(app, c.manager, hot())
    assert result.handoff is not None and result.handoff.to_user_id == wang.id
    for actor in (li, c.manager):
        with pytest.raises(Forbidden) as refused:
            await call(app, handoff_service.accept_handoff, actor=actor, handoff_id=result.handoff.id, now=clock.now())
        assert refused.value.code == "error-handoff-not-yours"
        with pytest.raises(Forbidden):
            await call(app, handoff_service.decline_handoff, actor=actor, handoff_id=result.handoff.id, reason="busy", now=clock.now())
    await call(app, handoff_service.accept_handoff, actor=wang, handoff_id=result.handoff.id, now=clock.now())
    with pytest.raises(AlreadyDone):
        await call(app, handoff_service.accept_handoff, actor=wang, handoff_id=result.handoff.id, now=clock.now())


async def test_deal_cards_and_lists_follow_roles_and_teams(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    other = await crew(app, team="华南销售部", group=-100_888, reps=("阿强",), manager="黄经理")
    wang, li = c.reps
    result = await capture(app, wang, hot(), )
    assert result.handoff is not None and result.opportunity is not None
    deal_id = result.opportunity.id or 0

    card = await call(app, deal_queries.deal_card, viewer=wang, opportunity_id=deal_id)
    assert card.actions.allows(DealAction.ACCEPT_HANDOFF) and card.pending_handoff is not None
    assert card.assignee_name == "小王" and card.team.name == "华东销售部"
    with pytest.raises(Forbidden) as not_yours:
        await call(app, deal_queries.deal_card, viewer=li, opportunity_id=deal_id)
    assert not_yours.value.code == "error-deal-not-yours"
    for outsider in (other.manager, other.reps[0]):
        with pytest.raises(Forbidden) as elsewhere:
            await call(app, deal_queries.deal_card, viewer=outsider, opportunity_id=deal_id)
        assert elsewhere.value.code == "error-other-team"
    boss_view = await call(app, deal_queries.deal_card, viewer=c.manager, opportunity_id=deal_id)
    assert boss_view.can_reassign and not boss_view.actions.allows(DealAction.ACCEPT_HANDOFF)
    assert boss_view.lead.phone == "+8613800138000"

    mine = await call(app, deal_queries.list_deals, viewer=wang, scope="mine", now=clock.now())
    assert [(d.id, d.waiting_handoff) for d in mine.items] == [(deal_id, True)]
    assert (await call(app, deal_queries.list_deals, viewer=li, scope="mine", now=clock.now())).total == 0
    with pytest.raises(Forbidden) as scope:
        await call(app, deal_queries.list_deals, viewer=wang, scope="team", now=clock.now())
    assert scope.value.code == "error-deals-scope"
    team = await call(app, deal_queries.list_deals, viewer=c.manager, scope="team", waiting=True, now=clock.now())
    assert team.total == 1 and team.items[0].company == "华东科技有限公司" and team.items[0].owner_name is None
    assert (await call(app, deal_queries.list_deals, viewer=other.manager, scope="team", now=clock.now())).total == 0
    boss = await admin(app, other.team)
    assert (await call(app, deal_queries.list_deals, viewer=boss, scope="team", now=clock.now())).total == 1

    await call(app, handoff_service.accept_handoff, actor=wang, handoff_id=result.handoff.id, now=clock.now())
    assert (await call(app, deal_queries.list_deals, viewer=c.manager, scope="team", waiting=True, now=clock.now())).total == 0
    clock.advance(days=8)
    stale = await call(app, deal_queries.list_deals, viewer=wang, scope="mine", stale=True, now=clock.now())
    assert [d.id for d in stale.items] == [deal_id]
    assert (await call(app, deal_queries.list_deals, viewer=wang, scope="mine", stage=Stage.WON, now=clock.now())).total == 0


# --- stages -------------------------------------------------------------------------------------------


async def test_stages_move_by_the_rules_with_history_and_a_win_announced(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang, li = c.reps
    result = await capture(app, wang, hot(keep_myself=True))
    assert result.outcome is CaptureOutcome.OWNED and result.opportunity is not None
    deal_id = result.opportunity.id or 0
    assert await group_chat(app) == []  # kept by its capturer: no hand-off to announce

    clock.advance(hours=1)
    await call(app, deal_service.change_stage, actor=wang, opportunity_id=deal_id, to=Stage.FOLLOWING_UP, now=clock.now())
    with pytest.raises(Forbidden) as skip:
        await call(app, deal_service.change_stage, actor=wang, opportunity_id=deal_id, to=Stage.CONTRACT, now=clock.now())
    assert skip.value.code == "error-stage-skip"
    with pytest.raises(Forbidden):
        await call(app, deal_service.change_stage, actor=li, opportunity_id=deal_id, to=Stage.PROPOSAL, now=clock.now())
    clock.advance(hours=1)
    await call(
        app, deal_service.change_stage, actor=c.manager, opportunity_id=deal_id, to=Stage.CONTRACT, override=True,
        now=clock.now(),
    )
    assert "李经理 把「华东科技有限公司」从「深度跟进」改到了「合同签署」" in (await inbox(app, wang))[-1]
    clock.advance(hours=1)
    won = await call(app, deal_service.change_stage, actor=wang, opportunity_id=deal_id, to=Stage.WON, now=clock.now())
    assert won.stage is Stage.WON and not won.is_open
    assert (await group_chat(app))[-1] == "🎉 恭喜 小王 赢单「华东科技有限公司」！大家一起点个赞 👍"

    card = await call(app, deal_queries.deal_card, viewer=wang, opportunity_id=deal_id)
    assert [(h.to_stage, h.actor_name, h.override) for h in card.history] == [
        (Stage.WON, "小王", False), (Stage.CONTRACT, "李经理", True), (Stage.FOLLOWING_UP, "小王", False),
        (Stage.QUALIFIED, "小王", False),
    ]
    assert [offer.action for offer in card.actions] == [DealAction.TIMELINE]  # won: nothing left but reading
    assert not card.can_reassign


async def test_lost_needs_a_reason_from_the_team_list(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    result = await capture(app, c.reps[0], hot(keep_myself=True))
    deal_id = result.opportunity.id if result.opportunity else 0
    with pytest.raises(InvalidInput) as no_reason:
        await call(app, deal_service.change_stage, actor=c.reps[0], opportunity_id=deal_id, to=Stage.LOST, now=clock.now())
    assert no_reason.value.code == "error-lost-reason"
    lost = await call(
        app, deal_service.change_stage, actor=c.reps[0], opportunity_id=deal_id, to=Stage.LOST, lost_reason="competitor",
        lost_note="对手便宜 20%", now=clock.now(),
    )
    assert (lost.stage, lost.lost_reason, lost.lost_note) == (Stage.LOST, "competitor", "对手便宜 20%")


# --- scoring, nurture and self-assignment -------------------------------------------------------------


async def test_a_cold_lead_is_nurtured_and_proceeds_once_rescored(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang = c.reps[0]
    result = await capture(app, wang, cold())
    assert result.outcome is CaptureOutcome.NURTURE and result.opportunity is None
    assert result.lead.status is LeadStatus.NURTURE and result.lead.score == 0
    assert await sent(app) == []

    with pytest.raises(Forbidden):
        await call(app, lead_service.rescore_lead, actor=c.reps[1], lead_id=result.lead.id, changes={"budget": "known"}, now=clock.now())
    with pytest.raises(InvalidInput) as bad:
        await call(app, lead_service.rescore_lead, actor=wang, lead_id=result.lead.id, changes={"timeline": "soon"}, now=clock.now())
    assert bad.value.code == "error-lead-field"

    small = await call(app, lead_service.rescore_lead, actor=wang, lead_id=result.lead.id, changes={"budget": "known"}, now=clock.now())
    assert small.outcome is CaptureOutcome.NURTURE and small.lead.score == 2 and small.lead.score_reasons == {"budget": 2}

    clock.advance(days=2)
    facts = {"authority": "yes", "timeline": "this_month", "industry": "制造", "need": "要做全国经销商管理系统"}
    now_hot = await call(app, lead_service.rescore_lead, actor=wang, lead_id=result.lead.id, changes=facts, now=clock.now())
    assert now_hot.outcome is CaptureOutcome.HANDOFF and now_hot.lead.score == 9
    assert now_hot.lead.status is LeadStatus.CONVERTED and now_hot.opportunity is not None
    assert "新商机请你接手" in (await card_row(app, wang))["text"]
    assert "lead.updated" in await audit_actions(app, "lead", result.lead.id or 0)


async def test_self_assignment_only_when_the_team_allows_it(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang, li = c.reps
    kept = await capture(app, li, hot(keep_myself=True))
    assert kept.outcome is CaptureOutcome.OWNED and kept.opportunity is not None
    assert kept.opportunity.owner_id == li.id and kept.handoff is None

    with pytest.raises(Forbidden):
        await call(app, policy_service.update_policy, actor=wang, team_id=c.team.id, changes={"allow_self_assign": False}, now=clock.now())
    with pytest.raises(InvalidInput) as out_of_range:
        await call(app, policy_service.update_policy, actor=c.manager, team_id=c.team.id, changes={"threshold": 11}, now=clock.now())
    assert out_of_range.value.code == "error-policy-range"
    policy = await call(
        app, policy_service.update_policy, actor=c.manager, team_id=c.team.id,
        changes={"allow_self_assign": False, "assignment": "least_loaded"}, now=clock.now(),
    )
    assert policy.allow_self_assign is False
    assert await audit_actions(app, "team_policy", policy.id) == ["policy.updated"]

    routed = await capture(app, li, hot(company="西湖软件", phone="13700001111", keep_myself=True))
    assert routed.outcome is CaptureOutcome.HANDOFF and routed.handoff is not None
    assert routed.handoff.to_user_id == wang.id  # least loaded: 小李 already owns one


async def test_rules_policy_matches_a_reps_skills(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app, reps=("小王", "小李", "小张"))
    await call(app, policy_service.update_policy, actor=c.manager, team_id=c.team.id, changes={"assignment": "rules"}, now=clock.now())
    with pytest.raises(Forbidden):
        await call(app, policy_service.set_rep_skills, actor=c.reps[0], user_id=c.reps[2].id, kind="industry", values=["金融"], now=clock.now())
    skills = await call(
        app, policy_service.set_rep_skills, actor=c.manager, user_id=c.reps[2].id, kind="industry", values=[" 金融 ", "零售", "金融"],
        now=clock.now(),
    )
    assert skills == ["金融", "零售"]
    result = await capture(app, c.manager, hot(industry="金融"))
    assert result.handoff is not None and result.handoff.to_user_id == c.reps[2].id


# --- the pool -----------------------------------------------------------------------------------------


async def test_manual_policy_parks_leads_in_the_pool_and_tells_the_manager(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    await call(app, policy_service.update_policy, actor=c.manager, team_id=c.team.id, changes={"assignment": "manual"}, now=clock.now())
    result = await capture(app, c.reps[0], hot())
    assert result.outcome is CaptureOutcome.POOL and result.opportunity is not None and result.opportunity.in_pool
    told = await inbox(app, c.manager)
    assert len(told) == 1 and "进入了公海" in told[0] and "经理手动分配" in told[0] and "/pool" in told[0]

    with pytest.raises(Forbidden) as managers_assign:
        await call(app, pool_service.claim_from_pool, actor=c.manager, opportunity_id=result.opportunity.id, now=clock.now())
    assert managers_assign.value.code == "error-pool-reps-only"
    claimed = await call(app, pool_service.claim_from_pool, actor=c.reps[1], opportunity_id=result.opportunity.id, now=clock.now())
    assert claimed.owner_id == c.reps[1].id and claimed.claimed_from_pool and not claimed.in_pool
    assert (await group_chat(app))[-1] == "🙋 小李 从公海领取了「华东科技有限公司」。"
    with pytest.raises(AlreadyDone) as gone:
        await call(app, pool_service.claim_from_pool, actor=c.reps[0], opportunity_id=result.opportunity.id, now=clock.now())
    assert gone.value.code == "error-pool-taken"


async def test_idle_deals_are_recycled_with_claim_limit_and_cool_off(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang, li = c.reps
    await call(
        app, policy_service.update_policy, actor=c.manager, team_id=c.team.id,
        changes={"pool_claim_limit": 1, "cooloff_days": 3}, now=clock.now(),
    )
    first = await capture(app, wang, hot(keep_myself=True))  # Thursday 10:00, qualified (2 days' silence)
    noted = await capture(app, wang, hot(company="西湖软件", phone="13700001111", keep_myself=True))
    assert first.opportunity is not None and noted.opportunity is not None

    clock.advance(days=3)
    await call(app, lead_service.add_note, actor=wang, kind="opportunity", record_id=noted.opportunity.id, note="客户说下周约演示", now=clock.now())
    # Monday 10:00 the manager hears of the silence (twice the limit); a working day later it is recycled.
    clock.advance(days=2, minutes=1)
    reports = await run_sweeps(app)
    assert {r.name: r.acted for r in reports}["recycle"] == 1

    async with app.uow() as uow:
        recycled = await uow.opportunities.get(first.opportunity.id or 0)
        kept = await uow.opportunities.get(noted.opportunity.id or 0)
    assert recycled is not None and recycled.in_pool and recycled.recycled_from_id == wang.id
    assert kept is not None and kept.owner_id == wang.id  # the note was activity
    assert any("5 天没有跟进记录" in text and "3 天内你不能再从公海领取" in text for text in await inbox(app, wang))
    assert any("小王 的商机「华东科技有限公司」5 天没有跟进" in text for text in await inbox(app, c.manager))
    await run_sweeps(app)
    assert len([t for t in await inbox(app, c.manager) if "已回收到公海" in t]) == 1

    with pytest.raises(Forbidden) as cooloff:
        await call(app, pool_service.claim_from_pool, actor=wang, opportunity_id=recycled.id, now=clock.now())
    assert cooloff.value.code == "error-pool-cooloff"
    await call(app, pool_service.claim_from_pool, actor=li, opportunity_id=recycled.id, now=clock.now())

    await call(app, policy_service.update_policy, actor=c.manager, team_id=c.team.id, changes={"assignment": "manual"}, now=clock.now())
    another = await capture(app, c.manager, hot(company="钱塘物流", phone="13600002222"))
    assert another.outcome is CaptureOutcome.POOL and another.opportunity is not None
    with pytest.raises(Forbidden) as limit:
        await call(app, pool_service.claim_from_pool, actor=li, opportunity_id=another.opportunity.id, now=clock.now())
    assert limit.value.code == "error-pool-limit" and limit.value.params == {"limit": 1}
    clock.advance(days=3)
    await call(app, pool_service.claim_from_pool, actor=wang, opportunity_id=another.opportunity.id, now=clock.now())



# --- dedupe and notes ---------------------------------------------------------------------------------


async def test_duplicates_show_details_only_within_the_team(app: MemoryApp, clock: FakeClock) -> None:
    east = await crew(app)
    south = await crew(app, team="华南销售部", group=-100_888, reps=("阿强",), manager="黄经理")
    wang = east.reps[0]
    first = await capture(app, wang, hot(keep_myself=True))
    with pytest.raises(InvalidInput) as unlinked:  # same company: shown, and linked on purpose
        await capture(app, east.reps[1], cold(company="华东科技（上海）有限公司", phone="13911112222"))
    assert unlinked.value.code == "error-lead-duplicate"
    await capture(
        app, east.reps[1], cold(company="华东科技（上海）有限公司", phone="13911112222"), related_lead_id=first.lead.id
    )

    same = await call(app, lead_service.find_duplicates, viewer=wang, phone="138 0013 8000", email=None, company_key="华东科技")
    assert [(h.kind, h.matched_on, h.company, h.owner_name, h.owned_by_viewer) for h in same] == [
        ("opportunity", "phone", "华东科技有限公司", "小王", True),
        ("lead", "company", "华东科技（上海）有限公司", None, False),
    ]
    assert same[0].stage is Stage.QUALIFIED and same[0].last_activity_at == START and same[0].lead_id is not None

    outside = await call(app, lead_service.find_duplicates, viewer=south.reps[0], phone="+8613800138000", email=None, company_key="华东科技")
    assert len(outside) == 1
    hit = outside[0]
    assert (hit.team_name, hit.same_team, hit.id, hit.company, hit.owner_name, hit.stage, hit.last_activity_at) == (
        TEAM, False, 0, None, None, None, None,
    )
    assert hit.lead_id is None and hit.extra == {}

    with pytest.raises(InvalidInput) as dup:
        await capture(app, east.reps[1], hot(phone="13800138000"))
    assert dup.value.code == "error-lead-duplicate"
    linked = await capture(app, east.reps[1], hot(company="华东科技二厂", phone="13800138000"), related_lead_id=same[0].lead_id)
    assert linked.lead.related_lead_id == same[0].lead_id
    other_team = await capture(app, south.reps[0], hot(phone="13800138000"))  # another team's customer
    assert other_team.lead.related_lead_id is None


async def test_notes_stay_in_the_team_and_reach_the_owner(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    south = await crew(app, team="华南销售部", group=-100_888, reps=("阿强",), manager="黄经理")
    result = await capture(app, c.reps[0], hot(keep_myself=True))
    deal_id = result.opportunity.id if result.opportunity else 0
    with pytest.raises(Forbidden) as elsewhere:
        await call(app, lead_service.add_note, actor=south.reps[0], kind="opportunity", record_id=deal_id, note="x", now=clock.now())
    assert elsewhere.value.code == "error-other-team"
    with pytest.raises(InvalidInput):
        await call(app, lead_service.add_note, actor=c.reps[1], kind="opportunity", record_id=deal_id, note="  ", now=clock.now())
    clock.advance(hours=3)
    await call(app, lead_service.add_note, actor=c.reps[1], kind="lead", record_id=result.lead.id, note="客户今天也打给我了", now=clock.now())
    async with app.uow() as uow:
        deal = await uow.opportunities.get(deal_id)
        notes = await uow.activities.for_opportunity(deal_id, 10)
    assert deal is not None and deal.last_activity_at == clock.now()
    assert [(n.note, n.actor_id) for n in notes] == [("客户今天也打给我了", c.reps[1].id)]
    assert "小李 给「华东科技有限公司」加了一条备注" in (await inbox(app, c.reps[0]))[-1]
