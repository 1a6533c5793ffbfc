"""The team comes together in chat: invites, /start, refusals, /help, /me, /lang, /team, /bindgroup."""

from __future__ import annotations

from datetime import timedelta

from aiogram.methods import AnswerCallbackQuery, SetMyCommands

from bot.factory import App
from bot.sandbox import RecordingSession, Sandbox
from domain.team.model import Role
from tests.conftest import TEAM, invite_code, join


async def test_invited_rep_starts_and_is_greeted_with_their_commands(app: App, sandbox: Sandbox) -> None:
    code = await invite_code(app, Role.REP)
    rep = sandbox.person("小王")
    calls = await rep.send(f"/start {code}")

    greeting = rep.last.text
    assert f"欢迎加入「{TEAM}」" in greeting and "销售" in greeting
    assert "/me" in greeting and "/invite" not in greeting
    menus = [c.method for c in calls if isinstance(c.method, SetMyCommands)]
    assert menus and {c.command for c in menus[0].commands} == {
        "help", "me", "lang", "remind", "reminders", "hours", "lead", "deals", "log", "find", "pool", "quote",
        "receivables", "report", "ticket", "tickets", "customer", "cancel",
    }
    assert menus[0].scope.chat_id == rep.telegram_id  # type: ignore[union-attr]


async def test_invite_link_works_once(app: App, sandbox: Sandbox) -> None:
    code = await invite_code(app, Role.REP)
    await sandbox.person("a").send(f"/start {code}")
    other = sandbox.person("b")
    await other.send(f"/start {code}")
    assert "已经被使用过" in other.last.text
    await other.send("/me")
    assert "需要邀请" in other.last.text


async def test_expired_and_forged_codes_are_refused_politely(app: App, sandbox: Sandbox, clock) -> None:  # type: ignore[no-untyped-def]
    code = await invite_code(app, Role.REP)
    clock.advance(days=7, seconds=1)
    late = sandbox.person("late")
    await late.send(f"/start {code}")
    assert "过期" in late.last.text and "邀请链接" in late.last.text

    forger = sandbox.person("forger", language_code="en")
    await forger.send("/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert "isn't valid" in forger.last.text and "invite link" in forger.last.text


async def test_strangers_get_nothing_but_how_to_join(sandbox: Sandbox) -> None:
    stranger = sandbox.person("路人")
    for text in ("/start", "/team", "/invite", "hello"):
        await stranger.send(text)
        assert "需要邀请" in stranger.last.text, text
    await stranger.send("/help")
    assert "邀请链接" in stranger.last.text and "/invite" not in stranger.last.text


async def test_manager_invites_a_rep_by_buttons_and_the_rep_joins(app: App, sandbox: Sandbox) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/invite")
    labels = [text for text, _ in manager.last.buttons]
    assert labels[:2] == ["销售", "财务"] and "管理员" not in labels and "✖️ 取消" in labels

    await manager.press("销售")
    link_message = manager.last
    assert link_message.edited and "https://t.me/loop_sandbox_bot?start=" in link_message.text
    code = link_message.text.split("?start=")[1].split()[0]

    rep = sandbox.person("小张")
    await rep.send(f"/start {code}")
    assert "你的角色是：销售" in rep.last.text


async def test_admin_picks_team_goes_back_and_creates_a_new_team(app: App, sandbox: Sandbox) -> None:
    admin = await join(app, sandbox, "admin", Role.ADMIN)
    await admin.send("/invite")
    await admin.press("销售经理")
    assert "加入哪个团队" in admin.last.text
    await admin.press("返回")
    assert "要邀请什么角色" in admin.last.text
    await admin.press("销售经理")
    await admin.press("新建团队")
    await admin.send("/")  # a command-looking name is not a name
    await admin.send("x" * 65)
    assert "1 到 64 个字" in admin.last.text
    await admin.send("  华南  销售部 ")
    assert "团队：华南 销售部" in admin.last.text and "?start=" in admin.last.text


async def test_rep_cannot_invite_or_open_team(app: App, sandbox: Sandbox) -> None:
    rep = await join(app, sandbox, "rep", Role.REP)
    await rep.send("/invite")
    assert "只有销售经理和管理员" in rep.last.text
    await rep.send("/team")
    assert "没有权限" in rep.last.text


async def test_language_switch_changes_replies_and_menu(app: App, sandbox: Sandbox, session: RecordingSession) -> None:
    rep = await join(app, sandbox, "rep", Role.REP)
    await rep.send("/lang")
    calls = await rep.press("English")
    assert "in English from now on" in rep.last.text
    menu = next(c.method for c in calls if isinstance(c.method, SetMyCommands))
    assert any(cmd.description == "My profile" for cmd in menu.commands)
    await rep.send("/me")
    assert "Role: Sales rep" in rep.last.text


async def test_english_speaker_is_greeted_in_english(app: App, sandbox: Sandbox) -> None:
    code = await invite_code(app, Role.FINANCE)
    finance = sandbox.person("Jane", language_code="en-GB")
    await finance.send(f"/start {code}")
    assert "Welcome to" in finance.last.text and "Finance" in finance.last.text


async def test_manager_deactivates_and_reactivates_a_rep_with_confirmation(app: App, sandbox: Sandbox) -> None:
    manager = await join(app, sandbox, "经理", Role.MANAGER)
    rep = await join(app, sandbox, "小李", Role.REP)
    await manager.send("/team")
    assert "2 人在岗，共 2 人" in manager.last.text
    await manager.press("小李")
    await manager.press("停用")
    assert "确定要停用 小李" in manager.last.text
    confirm_message = manager.last
    _, confirm_data = manager.find_button("确定停用")
    await manager.press("确定停用")
    assert "已停用 小李" in manager.last.text

    # The same confirmation pressed again (a double tap) changes nothing and says so.
    calls = await manager.press_data(confirm_data, message_id=confirm_message.message_id)
    alerts = [c.method for c in calls if isinstance(c.method, AnswerCallbackQuery)]
    assert alerts and "已经停用" in (alerts[0].text or "")

    await rep.send("/me")
    assert "已被停用" in rep.last.text

    await manager.press("重新启用")
    await manager.press("确定启用")
    await rep.send("/me")
    assert "角色：销售" in rep.last.text


async def test_manager_cannot_touch_another_team_or_a_peer(app: App, sandbox: Sandbox) -> None:
    manager = await join(app, sandbox, "经理", Role.MANAGER)
    peer = await join(app, sandbox, "副经理", Role.MANAGER)
    outsider = await join(app, sandbox, "外人", Role.REP, team="华南销售部")
    async with app.uow() as uow:
        outsider_row = await uow.users.by_telegram_id(outsider.telegram_id)
        peer_row = await uow.users.by_telegram_id(peer.telegram_id)
        assert outsider_row and peer_row
    from handlers.team import TeamAction, TeamCb

    calls = await manager.press_data(TeamCb(action=TeamAction.DEACTIVATE, team_id=outsider_row.team_id, user_id=outsider_row.id or 0).pack())
    alert = next(c.method for c in calls if isinstance(c.method, AnswerCallbackQuery))
    assert "其他团队" in (alert.text or "")
    calls = await manager.press_data(TeamCb(action=TeamAction.DEACTIVATE, team_id=peer_row.team_id, user_id=peer_row.id or 0).pack())
    alert = next(c.method for c in calls if isinstance(c.method, AnswerCallbackQuery))
    assert "不能更改" in (alert.text or "")
    await outsider.send("/me")
    assert "角色：销售" in outsider.last.text


async def test_bindgroup_in_a_group_binds_and_announces(app: App, sandbox: Sandbox, session: RecordingSession) -> None:
    manager = await join(app, sandbox, "经理", Role.MANAGER)
    rep = await join(app, sandbox, "rep", Role.REP)
    group = -100123
    await rep.send("/bindgroup", chat_id=group, chat_type="supergroup")
    assert "只有销售经理或管理员" in session.messages(group)[-1].text
    await manager.send("/bindgroup", chat_id=group, chat_type="supergroup")
    assert "本群已绑定为「华东销售部」" in session.messages(group)[-1].text
    await manager.send("/bindgroup", chat_id=group, chat_type="supergroup")
    assert "已经是本团队的通知群" in session.messages(group)[-1].text
    await manager.send("/bindgroup")
    assert "在群里发 /bindgroup" in manager.last.text
    await manager.send("/me")
    assert "团队群：已绑定" in manager.last.text


async def test_repeated_update_id_acts_once(app: App, sandbox: Sandbox, session: RecordingSession) -> None:
    from datetime import UTC, datetime

    from aiogram.types import Chat, Message, Update

    code = await invite_code(app, Role.REP)
    rep = sandbox.person("dup")
    update = Update(
        update_id=777, message=Message(
            message_id=1, date=datetime.now(UTC), chat=Chat(id=rep.telegram_id, type="private"),
            from_user=rep.tg, text=f"/start {code}", entities=sandbox.command_entities("/start x"),
        ),
    )
    await sandbox.feed(update)
    await sandbox.feed(update)
    greetings = [m for m in rep.chat() if "欢迎加入" in m.text]
    assert len(greetings) == 1 and len(rep.chat()) == 1


async def test_stale_button_after_flow_ended_is_answered_politely(app: App, sandbox: Sandbox) -> None:
    manager = await join(app, sandbox, "经理", Role.MANAGER)
    await manager.send("/invite")
    old = manager.last
    _, data = manager.find_button("销售")
    await manager.press("取消")
    assert "已取消" in manager.last.text
    calls = await manager.press_data(data, message_id=old.message_id)
    alert = next(c.method for c in calls if isinstance(c.method, AnswerCallbackQuery))
    assert "过期" in (alert.text or "")


async def test_a_command_leaves_an_open_flow(app: App, sandbox: Sandbox) -> None:
    admin = await join(app, sandbox, "admin", Role.ADMIN)
    await admin.send("/invite")
    await admin.press("销售")
    await admin.press("新建团队")
    await admin.send("/me")
    assert "角色：管理员" in admin.last.text
    await admin.send("华北销售部")  # no longer taken as a team name
    assert "没太明白" in admin.last.text


async def test_audit_records_who_joined_and_who_was_deactivated(app: App, sandbox: Sandbox) -> None:
    manager = await join(app, sandbox, "经理", Role.MANAGER)
    rep = await join(app, sandbox, "小李", Role.REP)
    await manager.send("/team")
    await manager.press("小李")
    await manager.press("停用")
    await manager.press("确定停用")
    async with app.uow() as uow:
        rep_row = await uow.users.by_telegram_id(rep.telegram_id)
        manager_row = await uow.users.by_telegram_id(manager.telegram_id)
        assert rep_row and manager_row
        events = await uow.audit.for_entity("user", rep_row.id or 0)
    actions = [(e.action, e.actor_id, e.before, e.after) for e in events]
    assert actions[0][0] == "user.joined"
    assert actions[-1] == ("user.deactivated", manager_row.id, {"active": True}, {"active": False})


def test_invite_ttl_is_seven_days() -> None:
    from domain.team.onboarding import INVITE_TTL

    assert timedelta(days=7) == INVITE_TTL


async def test_the_main_menu_under_the_chat_fits_the_role_and_its_buttons_are_commands(
    app: App, sandbox: Sandbox
) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    assert rep.menu == ["➕ 录线索", "💼 我的商机", "📞 记跟进", "⏰ 设提醒", "🌊 公海", "🔎 搜索", "❓ 帮助"]
    await rep.send("➕ 录线索")
    assert "公司" in rep.last.text  # the /lead flow asks for the company
    await rep.send("💼 我的商机")  # a menu button leaves the open flow like any command
    assert "商机" in rep.last.text and "公司叫什么" not in rep.last.text
    await rep.send("❓ Help")  # the English label works too
    assert "可用命令" in rep.last.text

    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    assert {"🔕 沉默商机", "👥 团队"} <= set(manager.menu)
    await manager.send("👥 团队")
    assert "人在岗" in manager.last.text

    finance = await join(app, sandbox, "财务", Role.FINANCE)
    assert "➕ 录线索" not in finance.menu and "❓ 帮助" in finance.menu

    stranger = sandbox.person("路人")
    await stranger.send("➕ 录线索")
    assert "需要邀请" in stranger.last.text
