"""/pool in chat: the team's public pool (公海) paged, one-tap claims, the per-rep limit (also with two
instances claiming at once), the cool-off after recycling, a double tap and a race lost politely. On
SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.factory import App
from bot.render import markup_json
from bot.sandbox import Sandbox
from bot.sweeps import run_sweeps
from domain.deals.model import Stage
from domain.outbox.model import Action
from domain.team.model import Language, Role
from handlers.pipeline_ui import DealAct, DealCb, PoolAct, PoolCb
from storage.tables import opportunities
from tests.conftest import join
from tests.deal_support import alert, deal_row, has_button, member, seed_deal, set_policy
from tests.fakes import FakeClock

ROOT = Path(__file__).resolve().parent.parent
COMPANIES = ("华东科技", "西湖软件", "钱塘物流", "江南制造", "苏州电子", "宁波港务", "杭州医药", "无锡纺织", "常州机械")


async def test_a_rep_pages_the_pool_and_claims_with_one_tap(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    manager, wang = await member(app, manager_p), await member(app, wang_p)
    await set_policy(app, manager, assignment="manual")  # new leads wait in the pool for a manager or a claim
    ids = [await seed_deal(app, manager, name, keep=False, amount_minor=12_345_600) for name in COMPANIES]

    await wang_p.send("/pool")
    text = wang_p.last.text
    assert "公海</b>：9 个商机待认领" in text and "第 1/2 页" in text
    assert "1. <b>华东科技</b>" in text and "¥123,456.00" in text and "10/10 分" in text and "11月26日 进入公海" in text
    assert has_button(wang_p, "认领 8. 无锡纺织") and not has_button(wang_p, "常州机械")
    await wang_p.press("下一页")
    assert "第 2/2 页" in wang_p.last.text and "9. <b>常州机械</b>" in wang_p.last.text
    await wang_p.press("上一页")

    await wang_p.press("认领 2. 西湖软件")
    text = wang_p.last.text
    assert "✅ 认领成功！<b>西湖软件</b> 现在归你跟进了。" in text
    assert "8 个商机待认领" in text and "2. <b>西湖软件" not in text and "2. <b>钱塘物流" in text
    assert has_button(wang_p, "查看商机")
    deal = await deal_row(app, ids[1])
    assert deal.owner_id == wang.id and not deal.in_pool

    await wang_p.press("查看商机")
    assert "负责人：小王" in wang_p.last.text and has_button(wang_p, "推进到「深度跟进」")
    await wang_p.send("/deals")
    assert "我的商机</b>（共 1 个）" in wang_p.last.text and "西湖软件" in wang_p.last.text


async def test_the_claim_limit_and_a_double_tap_and_a_lost_race_are_answered_politely(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    manager, wang = await member(app, manager_p), await member(app, wang_p)
    await set_policy(app, manager, assignment="manual", pool_claim_limit=2)
    ids = [await seed_deal(app, manager, name, keep=False) for name in COMPANIES[:4]]

    await wang_p.send("/pool")
    claim_message, first_claim = wang_p.find_button("认领 1. 华东科技")
    await wang_p.press("认领 1. 华东科技")
    assert "认领成功" in wang_p.last.text

    calls = await wang_p.press_data(first_claim, message_id=claim_message.message_id)  # a double tap
    assert "已经被领走了" in alert(calls)
    assert (await deal_row(app, ids[0])).owner_id == wang.id

    await li_p.send("/pool")
    old_pool, li_claim = li_p.find_button("认领 1. 西湖软件")
    await wang_p.press("认领 1. 西湖软件")  # 小王 is quicker
    calls = await li_p.press_data(li_claim, message_id=old_pool.message_id)
    assert "手慢了一步" in alert(calls)

    calls = await wang_p.press("认领 1. 钱塘物流")
    assert "已经有 2 个了" in alert(calls)
    assert (await deal_row(app, ids[2])).in_pool

    calls = await manager_p.press_data(PoolCb(act=PoolAct.CLAIM, id=ids[2]).pack())
    assert "只有销售可以从公海领取" in alert(calls)


async def test_a_recycled_deal_cools_off_for_its_last_owner(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    await set_policy(app, await member(app, manager_p), cooloff_days=2)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")  # Thursday 10:00, qualified: 2 days

    clock.advance(days=4)  # Monday 10:00: the manager is alerted (twice the limit)
    await run_sweeps(app)
    assert not (await deal_row(app, deal_id)).in_pool
    clock.advance(days=1)  # Tuesday 10:00: the alert has had its working day
    await run_sweeps(app)
    assert (await deal_row(app, deal_id)).in_pool

    await wang_p.send("/pool")
    assert "华东科技" in wang_p.last.text and "♻️ 回收" in wang_p.last.text
    calls = await wang_p.press("认领 1. 华东科技")
    assert "2 天内你不能再领取它" in alert(calls)
    clock.advance(days=2)
    await wang_p.send("/pool")
    await wang_p.press("认领 1. 华东科技")
    assert "认领成功" in wang_p.last.text

    await li_p.send("/pool")
    assert "公海里现在没有待认领的商机" in li_p.last.text


async def test_a_pool_deal_opened_from_a_pushed_message_can_be_claimed_there(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    manager = await member(app, manager_p)
    await set_policy(app, manager, assignment="manual")
    deal_id = await seed_deal(app, manager, "华东科技", keep=False)

    markup = markup_json(app.catalogue, Language.ZH, ((Action("pool.claim", deal_id), Action("deal.open", deal_id)),))
    assert markup is not None and "🙋 认领" in markup and "📂 查看商机" in markup
    await wang_p.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    assert "负责人：暂无（在公海）" in wang_p.last.text
    await wang_p.press("认领")
    assert "认领成功" in wang_p.last.text
    deal = await deal_row(app, deal_id)
    assert deal.owner_id == (await member(app, wang_p)).id and deal.stage is Stage.QUALIFIED


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_two_instances_claiming_for_one_rep_at_once_keep_the_claim_limit(
    app: App, sandbox: Sandbox, db_url: str
) -> None:
    """Two processes, one rep, two pool deals, a limit of one: the count and the claim are one step per rep.
    The test holds both deals' rows until both processes are waiting on a lock, so that they truly
    claim at the same moment (without the rep's lock, both would count 0 and both would claim)."""
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang = await member(app, await join(app, sandbox, "小王", Role.REP))
    await set_policy(app, await member(app, manager_p), assignment="manual", pool_claim_limit=1)
    ids = [await seed_deal(app, await member(app, manager_p), name, keep=False) for name in COMPANIES[:2]]

    async with app.engine.connect() as holder:
        await holder.begin()
        await holder.execute(select(opportunities.c.id).where(opportunities.c.id.in_(ids)).with_for_update())
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tests.pool_worker", db_url, str(wang.id), str(deal_id),
                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            for deal_id in ids
        ]
        deadline = time.monotonic() + 120  # generous: starting Python is slow on a busy machine
        async with app.engine.connect() as watcher:
            while True:
                waiting = (await watcher.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ))).scalar_one()
                await watcher.rollback()  # activity is read once per transaction: a fresh one each time
                if waiting >= 2:
                    break
                assert all(w.returncode is None for w in workers) and time.monotonic() < deadline, [
                    await w.stderr.read() for w in workers if w.stderr is not None and w.returncode is not None
                ]
                await asyncio.sleep(0.05)
        await holder.rollback()  # both go at once
        outputs = [await w.communicate() for w in workers]

    said = sorted(out.decode().split()[-1] for out, _ in outputs)
    assert said == ["CLAIMED", "error-pool-limit"], [err.decode()[-2000:] for _, err in outputs]
    owners = [(await deal_row(app, deal_id)).owner_id for deal_id in ids]
    assert owners.count(wang.id) == 1 and owners.count(None) == 1
