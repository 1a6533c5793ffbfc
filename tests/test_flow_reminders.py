"""Reminders in chat: /remind by buttons or typed times, Back and Cancel, the nudge's Done and Snooze
buttons (also pressed twice, late, or by someone else), and /reminders with its cancel buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.methods import AnswerCallbackQuery
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import event, select

from bot.factory import App
from bot.sandbox import Call, Person, Sandbox
from bot.sweeps import run_sweeps
from domain.reminders.model import Reminder, ReminderState
from domain.team.model import Role
from handlers.reminders import ReminderCb
from storage.tables import notifications
from tests.conftest import join
from tests.fakes import START, FakeClock


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def all_reminders(app: App) -> list[Reminder]:
    async with app.uow() as uow:
        assert uow.session is not None
        return list((await uow.session.execute(select(Reminder))).scalars().all())


def popup(calls: list[Call]) -> str:
    answers = [c.method for c in calls if isinstance(c.method, AnswerCallbackQuery)]
    assert answers, "the press was not answered"
    return answers[-1].text or ""


async def deliver(app: App, person: Person) -> None:
    """What the outbox dispatcher does, reduced to the essentials: pending rows become messages."""
    async with app.engine.begin() as conn:
        rows = (
            await conn.execute(
                select(notifications).where(notifications.c.chat_id == person.telegram_id, notifications.c.state == "pending")
            )
        ).mappings().all()
        for row in rows:
            markup = InlineKeyboardMarkup.model_validate_json(row["reply_markup"]) if row["reply_markup"] else None
            await app.bot.send_message(row["chat_id"], row["text"], reply_markup=markup)
            await conn.execute(notifications.update().where(notifications.c.id == row["id"]).values(state="sent"))


async def test_remind_by_buttons_edits_one_message_through_the_flow(app: App, sandbox: Sandbox) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    before = len(rep.chat())
    await rep.send("/remind")
    assert "什么时候提醒你" in rep.last.text
    assert [[b.text for b in row] for row in rep.last.markup.inline_keyboard] == [  # type: ignore[union-attr]
        ["1小时后", "明天 09:00"], ["3天后", "下周一 09:00"], ["✖️ 取消"],
    ]
    await rep.press("明天 09:00")
    assert rep.last.edited and "提醒时间：11月27日 周五 09:00" in rep.last.text and "要提醒你做什么" in rep.last.text
    await rep.send("给华东科技回电话")
    assert rep.last.text.startswith("✅ 好了，11月27日 周五 09:00 提醒你：\n给华东科技回电话")
    assert rep.last.markup is None
    assert len(rep.chat()) == before + 1  # one message for the whole flow

    [reminder] = await all_reminders(app)
    assert reminder.due_at == utc(2026, 11, 27, 1, 0) and reminder.explicit and reminder.state is ReminderState.PENDING


async def test_remind_with_typed_times_in_chinese_and_english(app: App, sandbox: Sandbox) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/remind")
    await rep.send("明天下午3点")
    assert "提醒时间：11月27日 周五 15:00" in rep.last.text
    await rep.send("跟进华东科技的报价")
    assert "11月27日 周五 15:00 提醒你" in rep.last.text

    anna = await join(app, sandbox, "Anna", Role.REP, team="Berlin Sales", language_code="en", timezone="Europe/Berlin")
    await anna.send("/remind")
    assert "When should I remind you?" in anna.last.text
    await anna.send("tomorrow 10:00")
    assert "Reminder on Fri 27 Nov 10:00" in anna.last.text
    await anna.send("Call back Müller GmbH")
    assert "I'll remind you on Fri 27 Nov 10:00" in anna.last.text
    due = {r.text: r.due_at for r in await all_reminders(app)}
    assert due == {"跟进华东科技的报价": utc(2026, 11, 27, 7, 0), "Call back Müller GmbH": utc(2026, 11, 27, 9, 0)}


async def test_a_time_that_cannot_be_read_or_is_past_keeps_the_flow_open(app: App, sandbox: Sandbox) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/remind")
    prompt = rep.last
    await rep.send("下班前")
    assert "没看懂「下班前」这个时间" in rep.last.text and "明天 10点" in rep.last.text and "+3d" in rep.last.text
    assert not rep.last.edited and rep.last.markup is not None  # the quick buttons come along
    assert prompt.markup is None  # only one live set of buttons
    await rep.send("今天 9点")
    assert "11月26日 周四 09:00 已经过去了" in rep.last.text
    await rep.send("3天后")
    assert rep.last.edited and "提醒时间：11月29日 周日 10:00" in rep.last.text
    await rep.send("x" * 201)
    assert "1 到 200 个字" in rep.last.text
    await rep.send("回访老客户")
    assert "✅ 好了，11月29日 周日 10:00 提醒你" in rep.last.text
    assert [r.text for r in await all_reminders(app)] == ["回访老客户"]


async def test_back_goes_to_when_and_cancel_leaves_nothing_behind(app: App, sandbox: Sandbox) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/remind")
    await rep.press("1小时后")
    assert "提醒时间：11月26日 周四 11:00" in rep.last.text
    await rep.press("返回")
    assert "什么时候提醒你" in rep.last.text
    await rep.press("下周一")
    assert "提醒时间：11月30日 周一 09:00" in rep.last.text
    await rep.press("取消")
    assert "已取消" in rep.last.text
    await rep.send("这句话不是提醒内容")
    assert "没太明白" in rep.last.text  # the flow is over
    await rep.send("/remind")
    await rep.send("2小时后")
    await rep.send("/cancel")
    assert "已取消" in rep.last.text
    assert await all_reminders(app) == []
    group = -100777
    await rep.send("/remind", chat_id=group, chat_type="supergroup")
    # Flows live in the private chat: the group only hears where to go (bot/chat_scope.py).
    assert [m.text for m in sandbox.session.messages(group)] == ["🔒 客户资料只在私聊里处理，群里不方便。请点下面的按钮私聊我 👇"]


async def test_remind_in_one_line_sets_it_at_once_and_asks_only_for_what_is_missing(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)  # Thursday 26 Nov, 10:00 in Shanghai
    await rep.send("/remind 明天下午3点给张总回电话")
    assert rep.last.text.startswith("✅ 好了，11月27日 周五 15:00 提醒你：\n给张总回电话")
    await rep.send("/remind 周五 09:30 发合同给西湖软件")
    assert rep.last.text.startswith("✅ 好了，11月27日 周五 09:30 提醒你：\n发合同给西湖软件")

    # The time alone: what is asked. What alone: when is asked, with what was typed on screen, and kept.
    await rep.send("/remind 3天后")
    assert "提醒时间：11月29日 周日 10:00" in rep.last.text and "要提醒你做什么" in rep.last.text
    await rep.send("跟进华东科技")
    assert "11月29日 周日 10:00 提醒你：\n跟进华东科技" in rep.last.text
    await rep.send("/remind 给东海贸易发报价")
    assert "什么时候提醒你「给东海贸易发报价」" in rep.last.text
    await rep.press("明天 09:00")
    assert rep.last.text.startswith("✅ 好了，11月27日 周五 09:00 提醒你：\n给东海贸易发报价")

    # A time already past is said, and the time is asked again for what was typed.
    await rep.send("/remind 今天上午9点 开周会")
    assert "已经过去了" in rep.last.text and "什么时候提醒你「开周会」" in rep.last.text
    await rep.send("今天下午5点")
    assert "11月26日 周四 17:00 提醒你：\n开周会" in rep.last.text

    # A number is not a time ("3 个报价": three quotes), so the time is asked.
    await rep.send("/remind 3 个报价要改")
    assert "什么时候提醒你「3 个报价要改」" in rep.last.text
    await rep.send("/cancel")

    assert sorted((r.due_at, r.text) for r in await all_reminders(app)) == [
        (utc(2026, 11, 26, 9, 0), "开周会"),
        (utc(2026, 11, 27, 1, 0), "给东海贸易发报价"),
        (utc(2026, 11, 27, 1, 30), "发合同给西湖软件"),
        (utc(2026, 11, 27, 7, 0), "给张总回电话"),
        (utc(2026, 11, 29, 2, 0), "跟进华东科技"),
    ]
    clock.advance(hours=29)  # Friday 15:00
    await run_sweeps(app)
    await deliver(app, rep)
    assert "⏰ 提醒：给张总回电话" in [m.text for m in rep.chat()]

    anna = await join(app, sandbox, "Anna", Role.REP, team="Berlin Sales", language_code="en", timezone="Europe/Berlin")
    await anna.send("/remind call Mr Weber tomorrow 3pm")
    assert anna.last.text.startswith("✅ Got it. I'll remind you on") and "15:00" in anna.last.text
    assert anna.last.text.split("\n")[1] == "call Mr Weber"


async def test_nudge_done_twice_answers_politely_and_changes_nothing(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/remind")
    await rep.press("1小时后")
    await rep.send("给华东科技回电话")
    clock.advance(hours=1)
    await run_sweeps(app)
    await deliver(app, rep)
    assert rep.last.text == "⏰ 提醒：给华东科技回电话"
    assert [b for b, _ in rep.last.buttons] == ["✅ 搞定了", "💤 1小时后", "💤 明天再说", "💤 3天后"]
    nudge = rep.last
    _, done_data = rep.find_button("搞定了")

    await rep.press("搞定了")
    assert nudge.edited and nudge.text == "⏰ 提醒：给华东科技回电话\n\n✅ 已完成，辛苦啦！" and nudge.markup is None
    again = await rep.press_data(done_data, message_id=nudge.message_id)
    assert "已经处理过了" in popup(again)
    [reminder] = await all_reminders(app)
    assert reminder.state is ReminderState.DONE


async def test_snooze_then_stale_presses_and_the_second_nudge(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/remind")
    await rep.send("+30m")
    await rep.send("回电话")
    clock.advance(minutes=30)
    await run_sweeps(app)
    await deliver(app, rep)
    nudge = rep.last
    _, snooze_data = rep.find_button("1小时后")
    _, done_data = rep.find_button("搞定了")

    await rep.press("1小时后")
    assert "💤 好的，11月26日 周四 11:30 再提醒你。" in nudge.text and nudge.markup is None
    assert "已经处理过了" in popup(await rep.press_data(snooze_data, message_id=nudge.message_id))
    assert "已经处理过了" in popup(await rep.press_data(done_data, message_id=nudge.message_id))
    [reminder] = await all_reminders(app)
    assert reminder.state is ReminderState.SNOOZED and reminder.due_at == utc(2026, 11, 26, 3, 30)

    clock.advance(hours=1)
    await run_sweeps(app)
    await deliver(app, rep)
    assert rep.last is not nudge and rep.last.text == "⏰ 提醒：回电话"
    # The first nudge's Done still belongs to the first round: stale.
    assert "已经处理过了" in popup(await rep.press_data(done_data, message_id=nudge.message_id))
    await rep.press("明天再说")
    assert "11月27日 周五 09:00 再提醒你" in rep.last.text


async def test_someone_elses_forged_button_is_refused(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    other = await join(app, sandbox, "小李", Role.REP)
    await rep.send("/remind")
    await rep.press("1小时后")
    await rep.send("回电话")
    clock.advance(hours=1)
    await run_sweeps(app)
    [reminder] = await all_reminders(app)
    for action in ("done", "snooze", "cancel"):
        forged = ReminderCb(action=action, id=reminder.id or 0, round=0, value="1h").pack()
        assert "不是你的提醒" in popup(await other.press_data(forged))
    stranger = sandbox.person("路人")
    assert "需要邀请" in popup(await stranger.press_data(ReminderCb(action="done", id=reminder.id or 0).pack()))
    missing = ReminderCb(action="done", id=9999).pack()
    assert "找不到这条提醒" in popup(await rep.press_data(missing))
    [after] = await all_reminders(app)
    assert after.state is ReminderState.SENT


async def test_reminders_lists_pending_ones_and_cancels_by_button(app: App, sandbox: Sandbox) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/reminders")
    assert "没有待提醒的事项" in rep.last.text
    for when, what in (("3天后", "回访老客户"), ("明天 10点", "给华东科技回电话")):
        await rep.send("/remind")
        await rep.send(when)
        await rep.send(what)
    await rep.send("/reminders")
    listing = rep.last
    assert "你的提醒（共 2 条）" in listing.text
    assert "1. 11月27日 周五 10:00 — 给华东科技回电话" in listing.text
    assert "2. 11月29日 周日 10:00 — 回访老客户" in listing.text
    assert [b for b, _ in listing.buttons] == ["✖️ 1", "✖️ 2"]
    _, first = rep.find_button("✖️ 1")

    await rep.press("✖️ 1")
    assert listing.edited and "已取消：给华东科技回电话" in listing.text and "共 1 条" in listing.text
    assert "1. 11月29日 周日 10:00 — 回访老客户" in listing.text
    assert "已经处理过了" in popup(await rep.press_data(first, message_id=listing.message_id))
    states = sorted((r.text, r.state.value) for r in await all_reminders(app))
    assert states == [("回访老客户", "pending"), ("给华东科技回电话", "cancelled")]


async def test_a_long_list_pages_ten_at_a_time_and_loads_only_the_page(app: App, sandbox: Sandbox) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    async with app.uow() as uow:
        from domain.reminders import services as service

        user = await uow.users.by_telegram_id(rep.telegram_id)
        assert user is not None
        for i in range(21):
            await service.set_reminder(uow, owner=user, due_at=START + timedelta(hours=i + 1), text=f"客户{i + 1}", now=START)
        await uow.commit()
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(app.engine.sync_engine, "before_cursor_execute", seen)
    try:
        await rep.send("/reminders")
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", seen)
    text = rep.last.text
    assert "共 21 条" in text and "第 1/3 页" in text and "10. " in text and "客户10" in text and "11. " not in text
    rows = rep.last.markup.inline_keyboard  # type: ignore[union-attr]
    assert all(len(row) <= 3 for row in rows)
    assert [b for b, _ in rep.last.buttons][-1] == "下一页 ➡️"
    # The reminders are read a page at a time: a count and ten rows, never the whole list.
    reads = [s for s in statements if s.startswith("SELECT") and "FROM reminders" in s]
    assert reads and all("count(" in s or "LIMIT" in s for s in reads), reads

    await rep.press("下一页")
    assert "第 2/3 页" in rep.last.text and "11. " in rep.last.text and "20. " in rep.last.text and "21. " not in rep.last.text
    assert [b for b, _ in rep.last.buttons][-2:] == ["⬅️ 上一页", "下一页 ➡️"]
    await rep.press("下一页")
    assert "第 3/3 页" in rep.last.text and "21. " in rep.last.text and "客户21" in rep.last.text
    assert "下一页 ➡️" not in [b for b, _ in rep.last.buttons]

    await rep.press("✖️ 21")  # the last one on the last page: the list shrinks to two pages
    assert "已取消：客户21" in rep.last.text and "共 20 条" in rep.last.text and "第 2/2 页" in rep.last.text
    assert "11. " in rep.last.text and "20. " in rep.last.text
    await rep.press("上一页")
    assert "第 1/2 页" in rep.last.text and "1. " in rep.last.text and "客户1\n" in rep.last.text
