"""/deadletters: an admin sees what delivery gave up on and sends it again, once per press."""

from __future__ import annotations

from datetime import timedelta

from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import func, select

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Call, RecordingSession, Sandbox
from domain.team.model import Role
from storage.tables import audit_events
from tests.conftest import TEAM, join
from tests.fakes import FakeClock
from tests.outbox_support import queue, rows


def alert(calls: list[Call]) -> str:
    return next(c.method.text or "" for c in calls if isinstance(c.method, AnswerCallbackQuery))


async def user_id(app: App, telegram_id: int) -> int:
    async with app.uow() as uow:
        user = await uow.users.by_telegram_id(telegram_id)
        assert user is not None and user.id is not None
        return user.id


async def bury(app: App, clock: FakeClock, recipient_chat: int, recipient: int, count: int) -> None:
    """`count` dead rows, one a minute apart, the last just now."""
    for k in range(count):
        await queue(
            app, [(recipient_chat, f"<b>跟进提醒 {k}</b>：客户 &lt;A&gt; 报价")], prefix=f"dead{k}", state="dead",
            attempts=12, last_error="server: Internal Server Error", recipient_id=recipient,
            next_attempt_at=clock.now() - timedelta(minutes=count - k),
        )


async def test_admin_lists_retries_one_and_a_second_press_changes_nothing(
    app: App, sandbox: Sandbox, clock: FakeClock, session: RecordingSession
) -> None:
    admin = await join(app, sandbox, "admin", Role.ADMIN)
    rep = await join(app, sandbox, "小王", Role.REP)
    await admin.send("/deadletters")
    assert "没有发送失败的消息" in admin.last.text

    await bury(app, clock, rep.telegram_id, await user_id(app, rep.telegram_id), 8)
    await admin.send("/deadletters")
    screen = admin.last
    assert "共 8 条" in screen.text and "第 1/2 页" in screen.text
    assert screen.text.index("跟进提醒 7") < screen.text.index("跟进提醒 2")  # newest first
    assert "→ 小王" in screen.text and "Telegram 服务器出错（" not in screen.text
    assert "Telegram 服务器出错 (Internal Server Error)" in screen.text and "试了 12 次" in screen.text
    assert "&lt;A&gt;" in screen.text and "<b>跟进" not in screen.text  # previews are escaped plain text
    assert screen.markup is not None and all(len(row) <= 3 for row in screen.markup.inline_keyboard)
    labels = [label for label, _ in screen.buttons]
    assert "🔁 全部重发" in labels and "下一页 ➡️" in labels and "✖️ 取消" in labels

    newest = max(r.id for r in await rows(app))
    _, retry_data = admin.find_button(f"#{newest}")
    await admin.press(f"#{newest}")
    assert f"#{newest} 已重新排队" in admin.last.text and "共 7 条" in admin.last.text
    again = await admin.press_data(retry_data, message_id=screen.message_id)
    assert "已经重新排队" in alert(again)
    retried = next(r for r in await rows(app) if r.id == newest)
    assert (retried.state, retried.attempts) == ("pending", 0)
    async with app.engine.connect() as conn:
        audits = await conn.execute(
            select(func.count()).select_from(audit_events).where(audit_events.c.action == "notification.retried")
        )
        assert audits.scalar_one() == 1

    # The outbox (here the sandbox's, with no limits to keep) delivers it.
    await outbox_of(app).run_once()
    assert "跟进提醒 7" in rep.last.text


async def test_retry_all_asks_first_goes_back_and_is_done_once(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    admin = await join(app, sandbox, "admin", Role.ADMIN)
    rep = await join(app, sandbox, "rep", Role.REP)
    await bury(app, clock, rep.telegram_id, await user_id(app, rep.telegram_id), 7)
    await admin.send("/deadletters")
    await admin.press("下一页")
    assert "第 2/2 页" in admin.last.text and "上一页" in "".join(b for b, _ in admin.last.buttons)

    await admin.press("全部重发")
    assert "确定把 7 条" in admin.last.text
    await admin.press("返回")
    assert "共 7 条" in admin.last.text
    await admin.press("全部重发")
    confirm = admin.last
    _, confirm_data = admin.find_button("确定全部重发")
    await admin.press("确定全部重发")
    assert "已把 7 条消息重新排队" in admin.last.text and "没有发送失败的消息" in admin.last.text
    assert {r.state for r in await rows(app)} == {"pending"}

    again = await admin.press_data(confirm_data, message_id=confirm.message_id)
    assert "没有需要重发的消息" in alert(again)


async def test_only_admins_see_dead_letters_and_english_admins_read_english(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager = await join(app, sandbox, "经理", Role.MANAGER)
    await manager.send("/deadletters")
    assert "只有管理员" in manager.last.text

    admin = await join(app, sandbox, "Ada", Role.ADMIN, language_code="en")
    await queue(app, [(-100200, "🎉 won")], prefix="g", state="dead", attempts=1, last_error="rejected: Bad Request: x")
    await admin.send("/deadletters")
    text = admin.last.text
    assert "Undelivered messages</b>: 1" in text and "Telegram refused this message" in text
    assert "(1 attempt)" in text and "chat -100200" in text and "Retry all" in "".join(b for b, _ in admin.last.buttons)


async def test_a_person_who_writes_to_the_bot_again_is_reachable_again(app: App, sandbox: Sandbox) -> None:
    rep = await join(app, sandbox, "小李", Role.REP)
    async with app.uow() as uow:
        user = await uow.users.by_telegram_id(rep.telegram_id)
        assert user is not None
        user.reachable = False
        await uow.commit()
    manager = await join(app, sandbox, "经理", Role.MANAGER)
    await manager.send("/team")
    assert "收不到消息" in manager.last.text

    await rep.send("/me")

    await manager.send("/team")
    assert "收不到消息" not in manager.last.text and TEAM in manager.last.text
