"""Cross-team help's services in memory (tests/fakes.py FakeAssists and its notice rule, held to the SQL ones
by tests/test_port_contracts.py and the flow tests on the databases): the watch on a question's deadline,
a question whose deal closed let go, notices still queued when it is answered cancelled."""

from __future__ import annotations

import pytest

from bot.sweeps import run_sweeps
from domain.assist import services as assist
from domain.assist.model import AssistState, Deadline
from domain.deals import services as deals
from domain.deals.model import Stage
from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.followup import activities as followup
from tests.fakes import FakeClock, MemoryApp
from tests.followup_support import call, crew, deal, inbox, utc


@pytest.fixture
def app(memory_app: MemoryApp) -> MemoryApp:
    return memory_app


def states(app: MemoryApp, question_id: int) -> dict[str, str]:
    return {str(n["notice"]): str(getattr(n["state"], "value", n["state"])) for n in app.notifications()
            if n["subject_kind"] == "assist" and n["subject_id"] == question_id}


async def test_reminded_once_told_late_once_and_what_was_queued_goes_stale_when_answered(
    app: MemoryApp, clock: FakeClock
) -> None:
    c = await crew(app)
    wang, li = c.reps
    assert li.id is not None
    kept = await deal(app, wang, "华东科技有限公司")
    dropped = await deal(app, wang, "宁波海曙贸易")
    q = await call(app, assist.ask, actor=wang, helper_id=li.id, question="集团折扣多少？", deadline=Deadline.TODAY,
                   now=clock.now(), deal_id=kept)  # Thursday 10:00 Shanghai: due 21:00, the reminder at 18:15
    gone = await call(app, assist.ask, actor=wang, helper_id=li.id, question="还要不要？", deadline=Deadline.TODAY,
                      now=clock.now(), deal_id=dropped)
    assert (q.due_at, q.remind_at) == (utc(2026, 11, 26, 13), utc(2026, 11, 26, 10, 15))
    await call(app, deals.change_stage, actor=c.manager, opportunity_id=dropped, to=Stage.LOST, override=True,
               lost_reason="price", now=clock.now())

    clock.set(utc(2026, 11, 26, 10, 15))
    await run_sweeps(app)
    await run_sweeps(app)
    assert len(await inbox(app, li, "assist.due")) == 1  # the kept deal's only: the lost one is let go
    assert app.db.assists.rows[gone.id].check_at is None
    clock.set(utc(2026, 11, 26, 13))
    await run_sweeps(app)
    await run_sweeps(app)
    assert len(await inbox(app, wang, "assist.overdue")) == 1

    clock.set(utc(2026, 11, 26, 14))  # 22:00: answered after hours
    await call(app, assist.answer, actor=li, question_id=q.id, text="去年 9 折", now=clock.now())
    with pytest.raises(AlreadyDone):
        await call(app, assist.answer, actor=li, question_id=q.id, text="再答一次", now=clock.now())
    assert states(app, q.id) == {
        "assist-asked": "cancelled", "assist-due": "cancelled", "assist-overdue": "cancelled",
        "assist-answered": "pending",  # it waits for the morning, and goes
    }
    page = await call(app, followup.timeline, viewer=wang, opportunity_id=kept)
    assert page.items[0].actor_name == "小李" and "去年 9 折" in (page.items[0].note or "")


async def test_who_may_ask_and_act(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app, reps=("小王", "小李", "小张"))
    wang, li, zhang = c.reps
    other = await crew(app, team="华南销售部", reps=("老赵",), manager="周经理")
    zhao = other.reps[0]
    assert li.id is not None and wang.id is not None and zhao.id is not None
    theirs = await deal(app, wang, "华东科技有限公司")
    with pytest.raises(Forbidden):  # 小张 neither owns the deal nor manages the team
        await call(app, assist.ask, actor=zhang, helper_id=li.id, question="?", deadline=Deadline.TODAY,
                   now=clock.now(), deal_id=theirs)
    with pytest.raises(InvalidInput):  # never oneself
        await call(app, assist.ask, actor=wang, helper_id=wang.id, question="?", deadline=Deadline.TODAY,
                   now=clock.now(), deal_id=theirs)
    with pytest.raises(InvalidInput):  # nobody from another team
        await call(app, assist.ask, actor=wang, helper_id=zhao.id, question="?", deadline=Deadline.TODAY,
                   now=clock.now(), deal_id=theirs)
    with pytest.raises(InvalidInput):  # an empty question
        await call(app, assist.ask, actor=wang, helper_id=li.id, question="  ", deadline=Deadline.TODAY,
                   now=clock.now(), deal_id=theirs)
    q = await call(app, assist.ask, actor=c.manager, helper_id=li.id, question="能上门吗？", deadline=Deadline.TODAY,
                   now=clock.now(), deal_id=theirs)  # a manager may ask on the team's deal
    for actor in (zhang, zhao):
        with pytest.raises(Forbidden):
            await call(app, assist.accept, actor=actor, question_id=q.id, now=clock.now())
    with pytest.raises(Forbidden):
        await call(app, assist.withdraw, actor=zhang, question_id=q.id, now=clock.now())
    await call(app, assist.accept, actor=li, question_id=q.id, now=clock.now())
    with pytest.raises(AlreadyDone):
        await call(app, assist.accept, actor=li, question_id=q.id, now=clock.now())
    await call(app, assist.withdraw, actor=c.manager, question_id=q.id, now=clock.now())
    assert app.db.assists.rows[q.id].state is AssistState.WITHDRAWN
    with pytest.raises(AlreadyDone):
        await call(app, assist.answer, actor=li, question_id=q.id, text="可以", now=clock.now())
