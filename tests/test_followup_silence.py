"""The silence watch (沉默客户 / 跟进断档) in memory (tests/fakes.py, held to the SQL repositories by
tests/test_port_contracts.py) with a fake clock: each stage's idle limit, the owner nudged once, the
manager alerted once at twice the limit, the clock restarted by an activity, deals with no next step,
limits a manager changes, and the manager's /stale report. Two instances sweeping at once:
tests/test_followup_on_databases.py."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.sweeps import run_sweeps
from domain.deals import queries as deal_queries
from domain.deals import services as deals
from domain.deals.model import Stage
from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.followup import stale as stale_service
from domain.followup.rules import Flag
from domain.policy import idle_limits
from domain.policy import services as policy_service
from tests.fakes import START, FakeClock, MemoryApp
from tests.followup_support import call, crew, deal, deal_row, inbox, labels, log

LATER = START + timedelta(days=40)  # a next step far enough away not to matter
OPEN = "📂 查看商机"



@pytest.fixture
def app(memory_app: MemoryApp) -> MemoryApp:
    return memory_app


async def at(app: MemoryApp, clock: FakeClock, moment: datetime) -> None:
    clock.set(moment)
    await run_sweeps(app)


async def stale_texts(app: MemoryApp, user: object) -> list[str]:
    return [row["text"] for row in await inbox(app, user, "followup.stale")]  # type: ignore[arg-type]


async def test_each_stage_has_its_limit_the_owner_hears_once_and_the_manager_at_twice_the_limit(
    app: MemoryApp, clock: FakeClock
) -> None:
    c = await crew(app)
    wang = c.reps[0]
    fresh = await deal(app, wang, "华东科技有限公司")  # qualified: two days
    quoted = await deal(app, wang, "江南贸易")
    for stage in (Stage.FOLLOWING_UP, Stage.PROPOSAL):  # proposal: five days
        await call(app, deals.change_stage, actor=wang, opportunity_id=quoted, to=stage, now=clock.now())
    for deal_id in (fresh, quoted):
        await log(app, wang, deal_id, next_step="回访", next_due=LATER)

    await at(app, clock, START + timedelta(days=2) - timedelta(minutes=1))
    assert await stale_texts(app, wang) == []
    await at(app, clock, START + timedelta(days=2))
    [nudge] = await inbox(app, wang, "followup.stale")
    assert "「华东科技有限公司」已经 2 天没有跟进了" in nudge["text"]
    assert "商机认定阶段团队要求最多 2 天跟进一次" in nudge["text"]
    assert "可以试试：" in nudge["text"] and "记录跟进" in nudge["text"]
    assert labels(nudge) == [["📝 记录跟进", OPEN]]
    await run_sweeps(app)
    await at(app, clock, START + timedelta(days=3))
    assert len(await stale_texts(app, wang)) == 1  # once
    assert await inbox(app, c.manager, "followup.stale") == []

    await at(app, clock, START + timedelta(days=4))
    [alert] = await inbox(app, c.manager, "followup.stale")
    assert "小王 的商机「华东科技有限公司」已经 4 天没有跟进" in alert["text"]
    assert "商机认定阶段团队要求最多 2 天" in alert["text"] and "/stale" in alert["text"]
    await at(app, clock, START + timedelta(days=5))
    texts = await stale_texts(app, wang)
    assert len(texts) == 2 and "「江南贸易」已经 5 天没有跟进了" in texts[1] and "方案报价阶段" in texts[1]

    for day in (6, 9, 10, 11, 30):
        await at(app, clock, START + timedelta(days=day))
    alerts = [row["text"] for row in await inbox(app, c.manager, "followup.stale")]
    assert len(alerts) == 2 and "「华东科技有限公司」" in alerts[0] and "「江南贸易」已经 10 天" in alerts[1]
    assert len(await stale_texts(app, wang)) == 2
    assert (await deal_row(app, fresh)).silence_check_at is None  # nothing more to say until something happens


async def test_an_activity_restarts_the_clock_and_a_new_silence_alerts_again(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang = c.reps[0]
    deal_id = await deal(app, wang, "华东科技有限公司")
    await log(app, wang, deal_id, next_step="回访", next_due=LATER)
    await at(app, clock, START + timedelta(days=2))
    assert len(await stale_texts(app, wang)) == 1
    assert (await deal_row(app, deal_id)).silence_level == 1

    await at(app, clock, START + timedelta(days=3))
    await log(app, wang, deal_id, outcome="interested", next_step="发方案", next_due=LATER)
    row = await deal_row(app, deal_id)
    assert (row.silence_level, row.silence_check_at) == (0, START + timedelta(days=5))

    await at(app, clock, START + timedelta(days=4))  # would have been the manager's alert
    assert await inbox(app, c.manager) == []
    await at(app, clock, START + timedelta(days=5) - timedelta(minutes=1))
    assert len(await stale_texts(app, wang)) == 1
    await at(app, clock, START + timedelta(days=5))
    assert len(await stale_texts(app, wang)) == 2  # a new silence: told again

    # A stage change moves the clock too (the deal card's button, not /log).
    await at(app, clock, START + timedelta(days=6))
    await call(app, deals.change_stage, actor=wang, opportunity_id=deal_id, to=Stage.FOLLOWING_UP, now=clock.now())
    await at(app, clock, START + timedelta(days=7))
    assert (await deal_row(app, deal_id)).silence_check_at == START + timedelta(days=13)  # following up: 7 days
    assert await inbox(app, c.manager) == []


async def test_a_deal_with_no_next_step_is_flagged_after_a_day_and_its_manager_told_at_twice_the_limit(
    app: MemoryApp, clock: FakeClock
) -> None:
    c = await crew(app)
    wang = c.reps[0]
    deal_id = await deal(app, wang, "华东科技有限公司")
    await call(app, deals.change_stage, actor=wang, opportunity_id=deal_id, to=Stage.FOLLOWING_UP, now=clock.now())

    await at(app, clock, START + timedelta(hours=23, minutes=59))
    assert await stale_texts(app, wang) == []
    await at(app, clock, START + timedelta(days=1))
    [flag] = await stale_texts(app, wang)
    assert "「华东科技有限公司」还没有定下一步" in flag and "深度跟进阶段最多 7 天不跟进" in flag
    assert "选个下次跟进的时间" in flag

    await at(app, clock, START + timedelta(days=7))  # silent as well now: the owner was told already
    assert len(await stale_texts(app, wang)) == 1
    await at(app, clock, START + timedelta(days=14) - timedelta(minutes=1))
    assert await inbox(app, c.manager) == []
    await at(app, clock, START + timedelta(days=14))
    [alert] = await inbox(app, c.manager, "followup.stale")
    assert "小王 的商机「华东科技有限公司」已经 14 天没有跟进" in alert["text"]


async def test_a_closed_or_pooled_deal_is_not_watched(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang = c.reps[0]
    lost = await deal(app, wang, "华东科技有限公司")
    await call(app, deals.change_stage, actor=wang, opportunity_id=lost, to=Stage.LOST, lost_reason="price", now=clock.now())
    assert (await deal_row(app, lost)).silence_check_at is None
    for day in (1, 2, 5, 10):
        await at(app, clock, START + timedelta(days=day))
    assert await stale_texts(app, wang) == [] and await inbox(app, c.manager) == []


async def test_a_manager_changes_the_limits_and_the_watch_follows_at_once(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang = c.reps[0]
    deal_id = await deal(app, wang, "华东科技有限公司")
    await call(app, deals.change_stage, actor=wang, opportunity_id=deal_id, to=Stage.FOLLOWING_UP, now=clock.now())
    await log(app, wang, deal_id, next_step="回访", next_due=LATER)
    assert (await deal_row(app, deal_id)).silence_check_at == START + timedelta(days=7)

    with pytest.raises(Forbidden) as rep:
        await call(app, idle_limits.set_idle_limits, actor=wang, team_id=c.team.id, limits={"following_up": 3}, now=clock.now())
    assert rep.value.code == "error-policy-role"
    for limits, code in (({"won": 3}, "error-idle-stage"), ({"following_up": 0}, "error-idle-days"), ({}, "error-idle-stage")):
        with pytest.raises(InvalidInput) as wrong:
            await call(app, idle_limits.set_idle_limits, actor=c.manager, team_id=c.team.id, limits=limits, now=clock.now())
        assert wrong.value.code == code
    with pytest.raises(AlreadyDone):
        await call(app, idle_limits.set_idle_limits, actor=c.manager, team_id=c.team.id, limits={"following_up": 7}, now=clock.now())

    clock.advance(hours=1)
    limits = await call(
        app, idle_limits.set_idle_limits, actor=c.manager, team_id=c.team.id,
        limits={Stage.FOLLOWING_UP: 3, "delivery": 10}, now=clock.now(),
    )
    assert limits[Stage.FOLLOWING_UP] == 3 and limits[Stage.DELIVERY] == 10 and limits[Stage.QUALIFIED] == 2
    assert await call(app, idle_limits.get_idle_limits, viewer=wang) == limits
    assert (await deal_row(app, deal_id)).silence_check_at == clock.now()  # looked at again by the next sweep
    await run_sweeps(app)
    assert (await deal_row(app, deal_id)).silence_check_at == START + timedelta(days=3)
    await at(app, clock, START + timedelta(days=3))
    assert "「华东科技有限公司」已经 3 天没有跟进了" in (await stale_texts(app, wang))[0]


async def test_the_stale_report_groups_flagged_and_overdue_deals_by_rep_oldest_first(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang, li = c.reps
    berlin = await crew(app, team="Berlin Sales", timezone="Europe/Berlin", reps=("Anna",), manager="Max")
    li_old = await deal(app, li, "东方电子")
    await log(app, li, li_old, next_step="回访", next_due=LATER)
    await at(app, clock, START + timedelta(hours=6))
    wang_quiet = await deal(app, wang, "华东科技有限公司")
    await log(app, wang, wang_quiet, next_step="回访", next_due=LATER)
    wang_overdue = await deal(app, wang, "江南贸易")
    await log(app, wang, wang_overdue, next_step="发报价", next_due=START + timedelta(hours=8))
    fine = await deal(app, wang, "西湖软件")
    await log(app, wang, fine, next_step="回访", next_due=LATER)
    await deal(app, berlin.reps[0], "Müller GmbH")
    await at(app, clock, START + timedelta(hours=8))  # the overdue one is nudged
    await at(app, clock, START + timedelta(days=2, hours=7))  # both quiet ones are past two days
    await log(app, wang, fine, outcome="reached", next_step="回访", next_due=LATER)

    groups = await call(app, stale_service.stale_report, viewer=c.manager, now=clock.now())
    assert [(g.rep_name, [i.company for i in g.items]) for g in groups] == [
        ("小李", ["东方电子"]), ("小王", ["华东科技有限公司", "江南贸易"]),
    ]
    quiet, overdue = groups[1].items
    assert (quiet.flags, quiet.idle_days, quiet.limit_days, quiet.stage) == ((Flag.SILENT,), 2, 2, Stage.QUALIFIED)
    assert overdue.overdue_since == START + timedelta(hours=8) and Flag.SILENT in overdue.flags
    assert {g.rep_name for g in await call(app, stale_service.stale_report, viewer=berlin.manager, now=clock.now())} == {"Anna"}
    with pytest.raises(Forbidden) as rep:
        await call(app, stale_service.stale_report, viewer=wang, now=clock.now())
    assert rep.value.code == "error-stale-role"


# --- recycling: after the manager's alert has had a working day (domain/pool/recycling.py) -------------


async def stale_list(app: MemoryApp, viewer: object, clock: FakeClock) -> list[int]:
    page = await call(app, deal_queries.list_deals, viewer=viewer, scope="team", stale=True, now=clock.now())
    return [item.id for item in page.items]


async def test_a_silent_deal_nudges_on_day_7_alerts_on_day_14_and_is_recycled_on_day_15_not_before(
    app: MemoryApp, clock: FakeClock
) -> None:
    c = await crew(app)
    await call(app, policy_service.update_policy, actor=c.manager, team_id=c.team.id, changes={"recycle_days": None}, now=clock.now())
    wang = c.reps[0]
    deal_id = await deal(app, wang, "华东科技有限公司")  # captured Thursday 10:00
    await call(app, deals.change_stage, actor=wang, opportunity_id=deal_id, to=Stage.FOLLOWING_UP, now=clock.now())
    await log(app, wang, deal_id, next_step="回访", next_due=LATER)  # a step is planned: only silence counts

    await at(app, clock, START + timedelta(days=7))
    assert "「华东科技有限公司」已经 7 天没有跟进了" in (await stale_texts(app, wang))[0]
    await at(app, clock, START + timedelta(days=14))
    [alert] = await inbox(app, c.manager, "followup.stale")
    assert "小王 的商机「华东科技有限公司」已经 14 天没有跟进" in alert["text"]
    assert (await deal_row(app, deal_id)).owner_id == wang.id  # the alert came, and the manager has a day
    assert await stale_list(app, c.manager, clock) == []

    await at(app, clock, START + timedelta(days=15) - timedelta(minutes=1))  # Friday 09:59
    assert (await deal_row(app, deal_id)).owner_id == wang.id
    assert await stale_list(app, c.manager, clock) == []  # the /deals filter: the same rule
    await at(app, clock, START + timedelta(days=15))  # Friday 10:00: a full working day after the alert
    row = await deal_row(app, deal_id)
    assert row.owner_id is None and row.in_pool and row.recycled_from_id == wang.id
    [told] = await inbox(app, wang, "pipeline.recycled")
    assert "「华东科技有限公司」已经 15 天没有跟进记录，按团队规则回收到了公海" in told["text"]
    [heard] = await inbox(app, c.manager, "pipeline.recycled")
    assert "小王 的商机「华东科技有限公司」15 天没有跟进，已回收到公海" in heard["text"]
    assert await stale_list(app, c.manager, clock) == [deal_id]


async def test_an_alert_on_saturday_is_recycled_on_monday_and_a_set_number_waits_longer(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)  # Mon–Sat 09:00–21:00 in Shanghai
    await call(app, policy_service.update_policy, actor=c.manager, team_id=c.team.id, changes={"recycle_days": None}, now=clock.now())
    wang, li = c.reps
    clock.set(START + timedelta(days=2))  # Saturday 10:00
    weekend = await deal(app, wang, "周末科技")
    await call(app, deals.change_stage, actor=wang, opportunity_id=weekend, to=Stage.FOLLOWING_UP, now=clock.now())
    await log(app, wang, weekend, next_step="回访", next_due=LATER)

    saturday = START + timedelta(days=16)  # day 14: Saturday 10:00, the manager is alerted
    await at(app, clock, saturday)
    assert len(await inbox(app, c.manager, "followup.stale")) == 1
    await at(app, clock, saturday + timedelta(days=1))  # Sunday is not a working day
    await at(app, clock, saturday + timedelta(days=2) - timedelta(minutes=1))  # Monday 09:59
    assert (await deal_row(app, weekend)).owner_id == wang.id
    await at(app, clock, saturday + timedelta(days=2))  # Monday 10:00: Saturday's 11 hours and Monday's first
    assert (await deal_row(app, weekend)).in_pool

    # A team that sets 70 days: no deal goes back before 70 days of silence, in any stage.
    await call(app, policy_service.update_policy, actor=c.manager, team_id=c.team.id, changes={"recycle_days": 70}, now=clock.now())
    slow = await deal(app, li, "慢热制造")  # qualified: alerted after 4 days, automatic would be day 5
    start = clock.now()
    await at(app, clock, start + timedelta(days=69, hours=23))
    assert (await deal_row(app, slow)).owner_id == li.id
    await at(app, clock, start + timedelta(days=70))
    assert (await deal_row(app, slow)).in_pool
