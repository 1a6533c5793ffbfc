"""The pipeline on real SQLite and PostgreSQL where a database is what is tested: reps racing for one pool
deal, a reassignment after the dispatcher delivered the first card, the hand-off card's buttons pressed
in chat. The rest of the pipeline's service tests run in memory (tests/test_pipeline_service.py)."""

from __future__ import annotations

import asyncio

import pytest

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Sandbox
from domain.deals import queries as deal_queries
from domain.errors import AlreadyDone, DomainError, Forbidden, InvalidInput
from domain.handoffs import services as handoff_service
from domain.handoffs.model import HandoffState
from domain.policy import services as policy_service
from domain.pool import services as pool_service
from domain.team.model import User
from tests.fakes import FakeClock
from tests.pipeline_support import (
    buttons,
    call,
    capture,
    card_row,
    crew,
    hot,
    inbox,
)


async def test_concurrent_claims_exactly_one_wins(app: App, clock: FakeClock, backend: str) -> None:
    c = await crew(app, reps=("甲", "乙", "丙", "丁", "戊"))
    await call(app, policy_service.update_policy, actor=c.manager, team_id=c.team.id, changes={"assignment": "manual"}, now=clock.now())
    result = await capture(app, c.manager, hot())
    deal_id = result.opportunity.id if result.opportunity else 0

    async def claim(rep: User) -> str:
        try:
            await call(app, pool_service.claim_from_pool, actor=rep, opportunity_id=deal_id, now=clock.now())
            return "claimed"
        except DomainError as error:
            return error.code
        except Exception as exc:  # SQLite: a writer that lost the race may be told the database is busy
            return type(exc).__name__

    results = await asyncio.gather(*(claim(rep) for rep in c.reps))
    assert results.count("claimed") == 1, results
    if backend == "postgresql":
        assert sorted(results) == ["claimed"] + ["error-pool-taken"] * 4
    async with app.uow() as uow:
        deal = await uow.opportunities.get(deal_id)
    assert deal is not None and deal.owner_id == c.reps[results.index("claimed")].id



# --- reassignment -------------------------------------------------------------------------------------


async def test_a_manager_reassigns_and_both_reps_are_told(app: App, clock: FakeClock) -> None:
    c = await crew(app, reps=("小王", "小李", "小张"))
    wang, li, zhang = c.reps
    result = await capture(app, wang, hot(keep_myself=True))
    deal_id = result.opportunity.id if result.opportunity else 0

    with pytest.raises(Forbidden):
        await call(app, handoff_service.reassign, actor=li, opportunity_id=deal_id, to_user_id=li.id, reason="我想要", now=clock.now())
    with pytest.raises(InvalidInput) as no_reason:
        await call(app, handoff_service.reassign, actor=c.manager, opportunity_id=deal_id, to_user_id=li.id, reason=" ", now=clock.now())
    assert no_reason.value.code == "error-reassign-reason"
    reps = await call(app, deal_queries.team_reps, viewer=c.manager)
    assert [r.name for r in reps] == ["小王", "小李", "小张"]

    first = await call(app, handoff_service.reassign, actor=c.manager, opportunity_id=deal_id, to_user_id=li.id, reason="小王下周休假", now=clock.now())
    assert first.requested_by == c.manager.id and first.from_user_id == wang.id
    card = await card_row(app, li)
    assert "李经理 把一个商机改派给你" in card["text"] and "原因：小王下周休假" in card["text"]
    assert "在 小李 确认接手之前，你仍然是负责人" in (await inbox(app, wang))[-1]
    await outbox_of(app).run_once()  # 小李's card reaches him (a card that never did is withdrawn silently)

    second = await call(app, handoff_service.reassign, actor=c.manager, opportunity_id=deal_id, to_user_id=zhang.id, reason="小李手上太满", now=clock.now())
    async with app.uow() as uow:
        assert (await uow.handoffs.get(first.id or 0)).state is HandoffState.CANCELLED  # type: ignore[union-attr]
    assert "接手请求已取消" in (await inbox(app, li))[-1]
    with pytest.raises(AlreadyDone):
        await call(app, handoff_service.accept_handoff, actor=li, handoff_id=first.id, now=clock.now())

    await call(app, handoff_service.accept_handoff, actor=zhang, handoff_id=second.id, now=clock.now())
    async with app.uow() as uow:
        deal = await uow.opportunities.get(deal_id)
    assert deal is not None and deal.owner_id == zhang.id
    assert "小张 已接手「华东科技有限公司」" in (await inbox(app, c.manager))[-1]
    assert "已由 小张 接手，你不再是这个商机的负责人" in (await inbox(app, wang))[-1]



# --- the hand-off card's buttons in chat --------------------------------------------------------------


async def test_the_card_buttons_accept_and_decline_in_chat(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    c = await crew(app, reps=("小王", "小李", "小张"), sandbox=sandbox)
    wang, li, zhang = (sandbox.person(n) for n in ("小王", "小李", "小张"))
    result = await capture(app, c.manager, hot())
    assert result.handoff is not None
    card = await card_row(app, c.reps[0])
    accept, decline = (data for _, data in buttons(card))

    await li.press_data(accept)  # a forged press by someone else
    refusal = [call.method for call in sandbox.session.calls if getattr(call.method, "show_alert", False)]
    assert refusal and "不是发给你的" in refusal[-1].text  # type: ignore[attr-defined]

    await wang.press_data(decline, text=card["text"])
    assert "婉拒「华东科技有限公司」需要说明原因" in wang.last.text
    assert [label for label, _ in wang.last.buttons] == [
        "手上客户太多，忙不过来", "不在我负责的区域/行业", "与我现有客户有冲突", "不熟悉这类产品/需求",
        "✍️ 其他原因（自己写）", "✖️ 取消",
    ]
    await wang.press("取消")
    assert "没有婉拒" in wang.last.text
    await wang.press_data(decline, text=card["text"])
    await wang.press("其他原因")
    assert "请直接发一句话说明" in wang.last.text
    await wang.send("这周在外地出差")
    assert "已婉拒「华东科技有限公司」" in wang.last.text
    assert "原因：这周在外地出差" in (await inbox(app, c.manager))[-1]

    await wang.press_data(accept)  # stale: already declined
    alerts = [call.method for call in sandbox.session.calls if getattr(call.method, "show_alert", False)]
    assert "已经处理过了" in alerts[-1].text  # type: ignore[attr-defined]

    second = await card_row(app, c.reps[1])
    accept_2 = buttons(second)[0][1]
    await li.press_data(accept_2, text=second["text"])
    assert "现在由你负责" in li.last.text and "/deals" in li.last.text
    await li.press_data(accept_2, text=second["text"])  # a repeated press
    alerts = [call.method for call in sandbox.session.calls if getattr(call.method, "show_alert", False)]
    assert "已经处理过了" in alerts[-1].text  # type: ignore[attr-defined]
    async with app.uow() as uow:
        deal = await uow.opportunities.get(result.opportunity.id if result.opportunity else 0)
    assert deal is not None and deal.owner_id == c.reps[1].id
    assert zhang.chat() == []
