"""The quote rules from the /policy menu (issue 11), on SQLite and PostgreSQL: a manager opens /policy →
🧾 报价审批, changes the approval time limit by a tap and by typing, a tier by typing (a wrong value is
explained and nothing is lost), and the message is edited in place; /quotepolicy keeps working; a rep is
refused."""

from __future__ import annotations

from bot.factory import App
from bot.sandbox import Sandbox
from domain.team.model import Role
from tests.conftest import join
from tests.deal_support import alert


async def policy_of(app: App, team_id: int):  # type: ignore[no-untyped-def]
    async with app.uow() as uow:
        return await uow.quotes.policy(team_id)


async def test_a_manager_changes_the_quote_rules_from_the_policy_menu(app: App, sandbox: Sandbox) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/policy")
    await manager.press("🧾 报价审批")
    menu = manager.last
    assert "报价审批规则" in menu.text and "10% 起：销售经理审批" in menu.text and "4 个工作小时" in menu.text
    assert [label for label, _ in menu.buttons] == [
        "👔 经理审批线", "🛡 管理员审批线", "📉 毛利底线", "⏱ 审批时限", "📅 有效期", "⬅️ 返回",
    ]

    await manager.press("⏱ 审批时限")
    assert manager.last.message_id == menu.message_id  # the same message, edited in place
    assert "审批时限：现在是 每级 4 个工作小时" in manager.last.text
    assert [label for label, _ in manager.last.buttons][:4] == ["−2", "−0.5", "+0.5", "+2"]
    plus_two = dict(manager.last.buttons)["+2"]
    await manager.press("+2")
    assert "每级 6 个工作小时" in manager.last.text
    await manager.press_data(plus_two, message_id=menu.message_id)  # the same tap again: it sets 6 again
    assert "每级 6 个工作小时" in manager.last.text
    await manager.send("2.7")
    assert "这个数看不懂" in manager.last.text and "每级 6 个工作小时" in manager.last.text
    await manager.send("2.5")
    assert "✅ 已更新" in manager.last.text and "每级审批时限：2.5 个工作小时" in manager.last.text
    await manager.press("👔 经理审批线")
    await manager.send("25")
    assert "经理审批线不能高于管理员审批线" in manager.last.text
    await manager.send("12.5")
    assert "12.5% 起：销售经理审批" in manager.last.text
    await manager.press("📅 有效期")
    await manager.send("400")
    assert "有效期要在 1 到 365 天之间" in manager.last.text
    await manager.press("⬅️ 返回")
    await manager.press("⬅️ 返回")
    assert "销售规则" in manager.last.text  # back in /policy

    policy = await policy_of(app, (await _team(app, manager)))
    assert (policy.manager_from_bp, policy.sla_minutes, policy.validity_days) == (1250, 150, 15)
    await manager.send("/quotepolicy 10 20 15 4 30")  # the typed shortcut still works
    assert "✅ 已更新" in manager.last.text and "报价有效期：30 天" in manager.last.text

    rep = await join(app, sandbox, "小王", Role.REP)
    from handlers.policy import PolicyAction, PolicyCb

    calls = await rep.press_data(PolicyCb(action=PolicyAction.QUOTES, field="sla_minutes").pack())
    assert "经理" in alert(calls)
    assert (await policy_of(app, await _team(app, manager))).sla_minutes == 240


async def _team(app: App, person) -> int:  # type: ignore[no-untyped-def]
    from tests.deal_support import member

    return (await member(app, person)).team_id
