"""A team's own payment settings, in chat, on SQLite and PostgreSQL: a manager adds a payment plan template in
/policy (shares that do not add up to 100% are refused with the total, nothing lost) and removes one; the
contract's plan step offers exactly the team's templates; another team keeps the built-in ones. And the
team's reminder cadence: typed or a preset, checked; the payment sweep follows it across a month end with a
fake clock, and a change mid-way goes on from the next step without repeating one."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.factory import App
from bot.sandbox import Person, Sandbox
from domain.outbox.kinds import Kind
from domain.team.model import Role
from handlers.contracts.common import CAct, ContractCb
from handlers.policy import PolicyAction, PolicyCb
from storage.tables import audit_events
from tests.conftest import join
from tests.deal_support import alert, has_button
from tests.fakes import FakeClock
from tests.test_payment_reminders import contract_on, notices, people, plan, sign, sweep_at, utc


async def open_templates(manager: Person) -> str:
    await manager.send("/policy")
    await manager.press("🗓 回款模板")
    return manager.last.text


async def test_a_manager_adds_and_removes_a_template_and_the_plan_step_offers_the_teams(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    p = await people(app, sandbox)
    (manager_p, manager), (rep_p, rep) = p["经理"], p["销售"]
    screen = await open_templates(manager_p)
    assert "30% 签约 · 60% 交付 · 10% 验收" in screen and "按月 3 期" in screen
    assert "60% 交付+30天" in screen and "33.33% 日期+1个月" in screen

    await manager_p.press("➕ 新建模板")
    assert "先给它起个名字" in manager_p.last.text
    await manager_p.send("4-5-1 分期")
    assert "比例加起来要正好 100%" in manager_p.last.text
    await manager_p.send("40% 签约, 50% 交付+30天, 20% 验收+90天")  # 110%: refused, the name kept
    assert "各期比例加起来是 110%" in manager_p.last.text and "4-5-1 分期" in manager_p.last.text
    await manager_p.send("40% 签约, 五成 交付")
    assert "没看懂「五成 交付」" in manager_p.last.text
    await manager_p.send("40% 签约, 50% 交付+30天, 10% 验收+90天")
    screen = manager_p.last.text
    assert "已添加模板「4-5-1 分期」" in screen and "4-5-1 分期</b>：40% 签约，50% 交付+30天，10% 验收+90天" in screen

    await manager_p.press("🗑 按月 3 期")
    assert "已删除模板「按月 3 期」" in manager_p.last.text and "按月 3 期</b>" not in manager_p.last.text
    stale = await manager_p.press_data(PolicyCb(action=PolicyAction.PLAN_TEMPLATE_DEL, value="monthly").pack())
    assert "这个模板已经不在了" in alert(stale)
    async with app.engine.connect() as conn:
        actions = [row[0] for row in await conn.execute(
            select(audit_events.c.action).where(audit_events.c.action.like("payment_policy.%")))]
    assert actions == ["payment_policy.template_added", "payment_policy.template_removed"]

    # A rep can't change the team's templates, not even with a forged press.
    refused = await rep_p.press_data(PolicyCb(action=PolicyAction.PLAN_TEMPLATES).pack())
    assert "只有本团队的销售经理或管理员" in alert(refused)

    # The contract's plan step offers the team's templates, and the new one makes the plan.
    contract_id = await contract_on(app, manager, rep, amount=10_000_000)
    await rep_p.press_data(ContractCb(act=CAct.SHOW, id=contract_id).pack())
    await rep_p.press("🗓 回款计划")
    assert has_button(rep_p, "4-5-1 分期") and has_button(rep_p, "30% 签约") and not has_button(rep_p, "按月 3 期")
    # Meanwhile the manager takes 30/60/10 off the list: the rep's button for it is answered politely.
    await open_templates(manager_p)
    await manager_p.press("🗑 30% 签约")
    stale = await rep_p.press("30% 签约")
    assert "这个模板已经不在了" in alert(stale)
    await rep_p.press("4-5-1 分期")
    async with app.uow() as uow:
        contract = await uow.contracts.get(contract_id)
        milestones = list(await uow.contracts.milestones(contract_id))
    assert contract is not None and contract.plan == "t1"
    assert [m.amount_minor for m in milestones] == [4_000_000, 5_000_000, 1_000_000]
    assert [m.trigger for m in milestones] == ["signing", "delivery", "acceptance"]
    assert (milestones[1].due_on - milestones[0].due_on).days == 30
    assert (milestones[2].due_on - milestones[0].due_on).days == 90

    # Another team still has the built-in three.
    south_p = await join(app, sandbox, "华南经理", Role.MANAGER, team="华南销售部")
    screen = await open_templates(south_p)
    assert "按月 3 期" in screen and "4-5-1 分期" not in screen


async def test_the_teams_cadence_drives_the_reminders_across_a_month_end(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    """East reminds 3 days before, on the day, 3 and 10 days late; South keeps the default (1 day before...).
    Both instalments are due on Tuesday 1 December; the contracts are signed on Thursday 26 November."""
    east, south = await people(app, sandbox), await people(app, sandbox, team="华南销售部")
    manager_p = east["经理"][0]
    await manager_p.send("/policy")
    await manager_p.press("⏰ 回款提醒")
    assert "到期前 7 天，到期前 1 天，到期当天，逾期 1 天" in manager_p.last.text
    await manager_p.send("-3 zero 3")
    assert "没看懂「zero」" in manager_p.last.text
    await manager_p.send("-3 0 3 400")
    assert "每个提醒点要在" in manager_p.last.text
    await manager_p.send("10 3 0 -3")  # in any order
    assert "回款提醒节奏已改为：到期前 3 天，到期当天，逾期 3 天，逾期 10 天" in manager_p.last.text

    ids = {}
    for name, team in (("east", east), ("south", south)):
        manager, rep = team["经理"][1], team["销售"][1]
        contract_id = await contract_on(app, manager, rep)
        await plan(app, rep, contract_id, date(2026, 12, 1))
        await sign(app, rep, contract_id)
        ids[name] = rep
    east_rep, south_rep = ids["east"], ids["south"]

    async def said(rep: object) -> list[str]:
        return [row["text"] for row in await notices(app, Kind.PAYMENT_DUE, rep)]  # type: ignore[arg-type]

    await sweep_at(app, clock, clock.now())
    await sweep_at(app, clock, utc(2026, 11, 28, 1, 0))  # Saturday 28th, 09:00 Shanghai
    assert [t for t in await said(east_rep) if "还有 3 天到期" in t] and not await said(south_rep)
    await sweep_at(app, clock, utc(2026, 11, 30, 1, 0))  # Monday 30th: South's "1 day before", East quiet
    assert len(await said(east_rep)) == 1 and "还有 1 天到期" in (await said(south_rep))[-1]
    await sweep_at(app, clock, utc(2026, 12, 1, 1, 0))  # across the month end: the due day for both
    assert "今天到期" in (await said(east_rep))[-1] and "今天到期" in (await said(south_rep))[-1]
    await sweep_at(app, clock, utc(2026, 12, 2, 1, 0))
    assert len(await said(east_rep)) == 2 and "已逾期 1 天" in (await said(south_rep))[-1]
    await sweep_at(app, clock, utc(2026, 12, 4, 1, 0))
    assert "已逾期 3 天" in (await said(east_rep))[-1]
    assert not await notices(app, Kind.PAYMENT_OVERDUE, east["经理"][1])

    # Mid-way East switches to the close preset: it goes on from its next step (7 days late, the 8th),
    # nothing said already is said again, and from 7 days late the manager hears too.
    await manager_p.send("/policy")
    await manager_p.press("⏰ 回款提醒")
    await manager_p.press("紧盯")
    assert "✅ 紧盯" in str(manager_p.last.markup)
    before = len(await said(east_rep))
    await sweep_at(app, clock, utc(2026, 12, 5, 1, 0))
    assert len(await said(east_rep)) == before
    await sweep_at(app, clock, utc(2026, 12, 8, 1, 0))
    assert "已逾期 7 天" in (await said(east_rep))[-1] and len(await said(east_rep)) == before + 1
    assert len(await notices(app, Kind.PAYMENT_OVERDUE, east["经理"][1])) == 1
    await sweep_at(app, clock, utc(2026, 12, 11, 1, 0))  # the old cadence's "10 days late" is gone
    assert len(await said(east_rep)) == before + 1


async def test_a_contract_signed_by_the_team_starts_on_its_cadence(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    """The first reminder of a contract signed after the change is the team's, not the default's."""
    p = await people(app, sandbox)
    (manager_p, manager), rep = p["经理"], p["销售"][1]
    await manager_p.send("/policy")
    await manager_p.press("⏰ 回款提醒")
    await manager_p.send("-14 0")
    contract_id = await contract_on(app, manager, rep)
    await plan(app, rep, contract_id, date(2026, 12, 31))
    await sign(app, rep, contract_id)
    async with app.uow() as uow:
        [milestone] = await uow.contracts.milestones(contract_id)
    assert milestone.check_at == utc(2026, 12, 17, 1, 0)  # 14 days before the 31st, 09:00 Shanghai


async def test_a_teams_cadence_falls_at_its_own_morning_in_new_york(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    """A New York team reminds the day before, on the day and the day after: each at 09:00 New York (14:00
    UTC in winter), across the month end, never at Shanghai's morning."""
    p = await people(app, sandbox, team="纽约销售部", tz="America/New_York")
    (manager_p, manager), rep = p["经理"], p["销售"][1]
    await manager_p.send("/policy")
    await manager_p.press("⏰ 回款提醒")
    await manager_p.send("-1 0 1")
    contract_id = await contract_on(app, manager, rep)
    await plan(app, rep, contract_id, date(2026, 12, 1))
    await sign(app, rep, contract_id)

    async def count() -> int:
        return len(await notices(app, Kind.PAYMENT_DUE, rep))

    await sweep_at(app, clock, utc(2026, 11, 30, 13, 59))
    assert await count() == 0
    await sweep_at(app, clock, utc(2026, 11, 30, 14, 0))
    assert await count() == 1
    await sweep_at(app, clock, utc(2026, 12, 1, 1, 0))  # Shanghai's morning of the 1st: still the 30th in NY
    assert await count() == 1
    await sweep_at(app, clock, utc(2026, 12, 1, 14, 0))
    await sweep_at(app, clock, utc(2026, 12, 2, 14, 0))
    texts = [row["text"] for row in await notices(app, Kind.PAYMENT_DUE, rep)]
    assert len(texts) == 3 and "今天到期" in texts[1] and "已逾期 1 天" in texts[2]
    await sweep_at(app, clock, utc(2026, 12, 9, 14, 0))  # past the team's last step: quiet
    assert await count() == 3
