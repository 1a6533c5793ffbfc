"""In a team group the bot answers only group commands (bot/chat_scope.py, bot/commands.py GROUP_COMMANDS):
every other command, and every button pressed there, shows nothing private and changes nothing; the
group is told once where to go; chatter is left alone; the group's own announcements still go out."""

from __future__ import annotations

import enum
import types
import typing
from datetime import UTC, datetime
from typing import Any

from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    SetMyCommands,
)
from aiogram.types import BotCommandScopeAllGroupChats, CallbackQuery, Chat, Message, MessageEntity, Update
from aiogram.types import User as TgUser
from sqlalchemy import select

from bot.commands import COMMANDS, GROUP_CALLBACKS, GROUP_COMMANDS, menu_aliases, set_default_commands
from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import SANDBOX_BOT_ID, SANDBOX_BOT_USERNAME, Call, Person, RecordingSession, Sandbox
from domain.team.model import Language, Role
from storage.tables import metadata, teams
from tests.conftest import TEAM, invite_code, join
from tests.deal_support import member, seed_deal
from tests.fakes import FakeClock
from tests.outbox_support import queue

GROUP = -100_4242
HINT = "🔒 客户资料只在私聊里处理，群里不方便。请点下面的按钮私聊我 👇"
HINT_EN = "🔒 Customer details stay out of group chats. Tap below to talk to me in private 👇"
REFUSED = "🔒 群里不能用这个按钮，请在和我的私聊里操作。"
PRIVATE_CHAT = f"https://t.me/{SANDBOX_BOT_USERNAME}"
PHONE = "13800138000"
LEAD_LINE = f"张三 {PHONE} 华东科技有限公司 官网 预算50万 本月上线 要一套CRM管销售线索"

# Arguments that make a command act, where it takes any (a quick capture, a search, new working hours...).
ARGS = {
    "lead": LEAD_LINE,
    "find": "1380013",
    "hours": "09:00-18:00 周一至周五",
    "remind": "明天 10点 给华东科技回电话",
    "lang": "en",
}


def shown(calls: list[Call]) -> list[Call]:
    """What appeared in a chat: messages sent and messages edited."""
    return [c for c in calls if isinstance(c.method, SendMessage | EditMessageText | EditMessageReplyMarkup)]


def walk_routers(app: App) -> list[Any]:
    found, todo = [], [app.dp]
    while todo:
        router = todo.pop()
        found.append(router)
        todo.extend(router.sub_routers)
    return found


def registered_commands(app: App) -> set[str]:
    """Every command a handler of the built Dispatcher answers, and every command of the menu."""
    names = {c.name for c in COMMANDS} | {"start", "cancel"}
    for router in walk_routers(app):
        for handler in router.message.handlers:
            for flt in handler.filters or []:
                if isinstance(flt.callback, Command):
                    names.update(c for c in flt.callback.commands if isinstance(c, str))
    return names


def registered_callbacks(app: App) -> set[type[CallbackData]]:
    found: set[type[CallbackData]] = set()
    for router in walk_routers(app):
        for handler in router.callback_query.handlers:
            for flt in handler.filters or []:
                if isinstance(flt.callback, CallbackQueryFilter):
                    found.add(flt.callback.callback_data)
    return found


def sample(annotation: Any) -> Any:
    """A valid value of a CallbackData field: the first member of an enum, 1 for an id, and so on."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation))
    if annotation is bool:
        return False
    if annotation is int:
        return 1
    return "1"


def payloads(cls: type[CallbackData]) -> list[str]:
    """The class's data with each enum field set to each of its members in turn (every action)."""
    base = {name: field.examples[0] if field.examples else sample(field.annotation) for name, field in cls.model_fields.items()}
    packed = {cls(**base).pack()}
    for name, field in cls.model_fields.items():
        kind = sample(field.annotation)
        if isinstance(kind, enum.Enum):
            packed.update(cls(**base | {name: member}).pack() for member in type(kind))
    return sorted(packed)


async def in_group(person: Person, text: str, group: int = GROUP) -> list[Call]:
    return await person.send(text, chat_id=group, chat_type="supergroup")


async def press_in_group(sandbox: Sandbox, person: Person, data: str, group: int = GROUP) -> list[Call]:
    """A button on a message in the group (as the bot's messages there looked before this rule)."""
    message = Message(
        message_id=next(sandbox.message_ids), date=datetime.now(UTC), chat=Chat(id=group, type="supergroup"),
        text="…",
    )
    query = CallbackQuery(
        id=str(next(sandbox.update_ids)), from_user=person.tg, chat_instance="group", message=message, data=data
    )
    return await sandbox.feed(Update(update_id=next(sandbox.update_ids), callback_query=query))


async def group_message(sandbox: Sandbox, person: Person, text: str, **fields: Any) -> list[Call]:
    message = Message(
        message_id=next(sandbox.message_ids), date=datetime.now(UTC), chat=Chat(id=GROUP, type="supergroup"),
        from_user=person.tg, text=text, **fields,
    )
    return await sandbox.feed(Update(update_id=next(sandbox.update_ids), message=message))


async def snapshot(app: App) -> dict[str, list[str]]:
    """Every row of every table (conversation state included)."""
    async with app.engine.connect() as conn:
        return {
            table.name: sorted(repr(tuple(row)) for row in (await conn.execute(select(table))).all())
            for table in metadata.sorted_tables
        }


async def a_team_with_data(app: App, sandbox: Sandbox, clock: FakeClock) -> tuple[Person, Person, Person, int]:
    """An admin, a manager and a rep who owns a deal; a dead letter with a customer's phone in it."""
    admin = await join(app, sandbox, "admin", Role.ADMIN)
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    rep = await join(app, sandbox, "小王", Role.REP)
    deal = await seed_deal(app, await member(app, rep), "华东科技", phone=PHONE)
    rep_user = await member(app, rep)
    await queue(
        app, [(rep.telegram_id, f"跟进提醒：华东科技 张三 {PHONE}")], prefix="dead", state="dead", attempts=12,
        last_error="server: Internal Server Error", recipient_id=rep_user.id, next_attempt_at=clock.now(),
    )
    return admin, manager, rep, deal


def assert_nothing_private(calls: list[Call], *people: Person) -> None:
    texts = " ".join(c.text or "" for c in calls)
    texts += " ".join(str(c.method.reply_markup) for c in shown(calls) if getattr(c.method, "reply_markup", None))
    for private in (PHONE, "华东科技", "?start=", "小王", "李经理", "跟进提醒"):
        assert private not in texts, (private, texts)
    assert not any(c.chat_id in {p.telegram_id for p in people} for c in shown(calls))  # nothing in private either


# --- commands ------------------------------------------------------------------------------------------


async def test_every_private_command_in_a_group_shows_nothing_and_writes_nothing(
    app: App, sandbox: Sandbox, clock: FakeClock, session: RecordingSession
) -> None:
    admin, manager, rep, _ = await a_team_with_data(app, sandbox, clock)
    stranger = sandbox.person("路人")
    code = await invite_code(app, Role.REP)
    private = sorted(registered_commands(app) - GROUP_COMMANDS)
    assert {"invite", "team", "deadletters", "lead", "me", "deals", "policy", "stale", "find", "remind", "start"} <= set(private)
    before = await snapshot(app)

    answered: list[Call] = []
    for person in (admin, manager, rep):
        for name in private:
            for text in (f"/{name}", f"/{name}@{SANDBOX_BOT_USERNAME}", f"/{name} {ARGS.get(name, '')}".strip()):
                calls = await in_group(person, text)
                assert_nothing_private(calls, admin, manager, rep)
                answered += shown(calls)
    calls = await in_group(stranger, f"/start {code}")  # an invite link's code sent in the group
    assert_nothing_private(calls, stranger)
    answered += shown(calls)

    # The group was told once where to go, with a button to the private chat; nothing else was said.
    assert [(c.chat_id, c.text) for c in answered] == [(GROUP, HINT)]
    button = answered[0].method.reply_markup.inline_keyboard[0][0]  # type: ignore[union-attr]
    assert button.url == PRIVATE_CHAT and button.text == "💬 私聊我"
    assert await snapshot(app) == before  # no invite redeemed, no lead, no flow started, no language changed


async def test_chatter_and_menu_labels_in_a_group_get_no_answer_at_all(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    admin, manager, rep, _ = await a_team_with_data(app, sandbox, clock)
    before = await snapshot(app)
    said = [LEAD_LINE, "大家好，今天下午三点开会", "/help@some_other_bot", "/deals@some_other_bot", *menu_aliases(app.catalogue)]
    for person in (admin, manager, rep):
        for text in said:
            calls = await in_group(person, text)
            assert shown(calls) == [], text  # a lead-like line is never read, let alone echoed
    assert await snapshot(app) == before


async def test_the_hint_comes_once_per_group_every_ten_minutes_and_when_addressed(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    jane = await join(app, sandbox, "Jane", Role.REP, language_code="en")
    hints = [c for _ in range(3) for c in shown(await in_group(rep, "/deals"))]
    assert [c.text for c in hints] == [HINT]
    assert hints[0].method.reply_parameters is not None  # a reply to whoever asked
    assert [c.text for c in shown(await in_group(jane, "/me", group=GROUP - 1))] == [HINT_EN]  # another group

    clock.advance(minutes=9)
    assert shown(await in_group(rep, "/team")) == []
    clock.advance(minutes=2)
    # Addressed to the bot by its @name: told again, now that ten minutes have passed.
    mention = f"@{SANDBOX_BOT_USERNAME} 帮我查一下华东科技"
    calls = await group_message(
        sandbox, rep, mention, entities=[MessageEntity(type="mention", offset=0, length=len(SANDBOX_BOT_USERNAME) + 1)]
    )
    assert [c.text for c in shown(calls)] == [HINT]
    clock.advance(minutes=11)
    # A reply to one of the bot's messages counts as addressed to it too.
    bots_message = Message(
        message_id=1, date=datetime.now(UTC), chat=Chat(id=GROUP, type="supergroup"),
        from_user=TgUser(id=SANDBOX_BOT_ID, is_bot=True, first_name="Loop"), text=HINT,
    )
    calls = await group_message(sandbox, rep, f"张三 {PHONE} 华东科技有限公司 官网", reply_to_message=bots_message)
    assert [c.text for c in shown(calls)] == [HINT]
    clock.advance(minutes=11)
    # An edited message is never answered, command or not (a guard for edited-message handlers to come).
    edited = Message(
        message_id=2, date=datetime.now(UTC), chat=Chat(id=GROUP, type="supergroup"), from_user=rep.tg, text="/deals",
        entities=sandbox.command_entities("/deals"), edit_date=1,
    )
    assert shown(await sandbox.feed(Update(update_id=next(sandbox.update_ids), edited_message=edited))) == []


async def test_an_anonymous_group_admin_is_answered_like_anyone(app: App, sandbox: Sandbox) -> None:
    """Telegram sends an anonymous admin's messages as from @GroupAnonymousBot (a bot)."""
    anonymous = TgUser(id=1087968824, is_bot=True, first_name="Group", username="GroupAnonymousBot")
    message = Message(
        message_id=next(sandbox.message_ids), date=datetime.now(UTC), chat=Chat(id=GROUP, type="supergroup"),
        from_user=anonymous, text="/deals", entities=sandbox.command_entities("/deals"),
    )
    calls = await sandbox.feed(Update(update_id=next(sandbox.update_ids), message=message))
    assert [c.text for c in shown(calls)] == [HINT]


# --- buttons -------------------------------------------------------------------------------------------


async def open_every_screen(admin: Person, manager: Person, rep: Person) -> None:
    """Private screens whose buttons are then pressed in the group."""
    for text in ("/team", "/deals", "/policy", "/deadletters", "/pool", "/stale", "/lang", "/hours", "/reminders"):
        await admin.send(text)
    await admin.send("/deals")
    await admin.press(1)  # the deal card, with its actions
    await manager.send("/invite")
    await rep.send("/deals")
    await rep.press("华东科技")
    await rep.send("/log")
    await rep.send("/remind")
    await rep.send(f"/lead {LEAD_LINE}")


async def test_every_button_pressed_in_a_group_is_refused_and_changes_nothing(
    app: App, sandbox: Sandbox, clock: FakeClock, session: RecordingSession
) -> None:
    admin, manager, rep, _ = await a_team_with_data(app, sandbox, clock)
    await open_every_screen(admin, manager, rep)
    classes = registered_callbacks(app)
    assert {cls.__prefix__ for cls in classes} >= {"dl", "team", "inv", "flow", "dead", "ho", "pool", "pol", "lang", "nav"}
    generated = [data for cls in sorted(classes, key=lambda c: c.__prefix__) for data in payloads(cls)]
    real = {
        person.first_name: sorted({data for sent in person.chat() for _, data in sent.buttons if not data.startswith("http")})
        for person in (admin, manager, rep)
    }
    assert len(real["admin"]) > 20 and len(real["小王"]) > 5, real
    before = await snapshot(app)

    for person in (admin, manager, rep):
        for data in [*generated, *real[person.first_name]]:
            calls = await press_in_group(sandbox, person, data)
            assert [(type(c.method), c.text, getattr(c.method, "show_alert", None)) for c in calls] == [
                (AnswerCallbackQuery, REFUSED, True)
            ], data
    assert await snapshot(app) == before

    # The same buttons still work in the private chat.
    await rep.send("/deals")
    await rep.press("华东科技")
    assert "华东科技" in rep.last.text and PHONE in rep.last.text


async def test_a_press_whose_chat_is_unknown_is_refused_too(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    _, _, rep, _ = await a_team_with_data(app, sandbox, clock)
    await rep.send("/deals")
    _, data = rep.find_button("华东科技")
    query = CallbackQuery(id="1", from_user=rep.tg, chat_instance="x", inline_message_id="inline-1", data=data)
    calls = await sandbox.feed(Update(update_id=next(sandbox.update_ids), callback_query=query))
    assert [(type(c.method), c.text) for c in calls] == [(AnswerCallbackQuery, REFUSED)]


async def test_the_groups_command_menu_offers_only_group_commands(app: App, session: RecordingSession) -> None:
    await set_default_commands(app.bot, app.catalogue, Language.ZH)
    menus = [
        (c.method.language_code, [command.command for command in c.method.commands])
        for c in session.calls
        if isinstance(c.method, SetMyCommands) and isinstance(c.method.scope, BotCommandScopeAllGroupChats)
    ]
    assert menus == [("zh", ["help", "bindgroup"]), ("en", ["help", "bindgroup"]), (None, ["help", "bindgroup"])]


def test_group_actions_are_declared_once() -> None:
    assert GROUP_COMMANDS <= {c.name for c in COMMANDS}  # each is in the menu of some role
    assert GROUP_CALLBACKS == ()  # none today: a group action is added there and tested here


# --- what still works ----------------------------------------------------------------------------------


async def test_bindgroup_and_help_still_work_in_the_group(app: App, sandbox: Sandbox, session: RecordingSession) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    rep = await join(app, sandbox, "小王", Role.REP)
    await in_group(rep, "/help")
    help_text = session.messages(GROUP)[-1]
    assert "在群里我只做这几件事" in help_text.text and "/bindgroup" in help_text.text and "/lead" not in help_text.text
    assert help_text.buttons == [("💬 私聊我", PRIVATE_CHAT)]
    await in_group(manager, f"/bindgroup@{SANDBOX_BOT_USERNAME}")
    assert "本群已绑定为「华东销售部」" in session.messages(GROUP)[-1].text
    async with app.engine.connect() as conn:
        bound = (await conn.execute(select(teams.c.group_chat_id).where(teams.c.name == TEAM))).scalar_one()
    assert bound == GROUP
    # In private, /help is still the person's own list, with the main menu.
    await rep.send("/help")
    assert "/lead" in rep.last.text and rep.last.menu


async def test_the_groups_announcements_still_go_out(app: App, sandbox: Sandbox, session: RecordingSession) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await join(app, sandbox, "小王", Role.REP)
    await in_group(manager, "/bindgroup")
    await manager.send(f"/lead {LEAD_LINE}")
    await manager.press("确认")
    assert "线索已保存" in manager.last.text
    before = len(session.messages(GROUP))
    await outbox_of(app).run_once()
    posted = [m.text for m in session.messages(GROUP)[before:]]
    assert any("华东科技" in text for text in posted), posted  # the hand-off announcement


async def test_the_same_commands_in_a_private_chat_still_work(
    app: App, sandbox: Sandbox, clock: FakeClock, session: RecordingSession
) -> None:
    admin, _, rep, _ = await a_team_with_data(app, sandbox, clock)
    for name in sorted(registered_commands(app) - {"bindgroup"}):
        before = len(admin.chat())
        await admin.send(f"/{name}")
        assert len(admin.chat()) > before and HINT not in admin.last.text, name
        await admin.send("/cancel")
    await rep.send(LEAD_LINE)  # quick capture in private reads the line
    assert PHONE[-4:] in rep.last.text and "华东科技" in rep.last.text
    assert session.messages(GROUP) == []
