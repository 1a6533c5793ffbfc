"""Several alerts for one manager at one moment go as one message (domain/outbox/kinds.py `Family`):
how many, the first lines, a button to the list. Fewer than COALESCE_AT go one by one; a stale one does
not count; a digest that fails is retried as one; families never mix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram.exceptions import TelegramServerError
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import select

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Person, RecordingSession, Sandbox
from bot.sweeps import run_sweeps
from domain.followup import activities as followup
from domain.followup.silence import SILENCE_SWEEP
from domain.outbox.kinds import COALESCE_AT, DIGEST_LINES, Kind
from domain.team.model import Role, User
from storage.tables import notifications
from tests.conftest import join
from tests.deal_support import member, seed_deal, set_policy
from tests.fakes import FakeClock
from tests.test_stale_notices import THURSDAY_NIGHT, call, shanghai, texts

COMPANIES = [f"客户{n:02d}" for n in range(1, 13)]
TUESDAY_NINE = shanghai(30, 9) + timedelta(days=1)


async def silent_deals(app: App, clock: FakeClock, rep: User, companies: list[str]) -> list[int]:
    """Deals captured on Thursday night and never followed up: the owner is nudged on Saturday night,
    the manager alerted on Monday night, both for the next working morning."""
    clock.set(THURSDAY_NIGHT)
    ids = [await seed_deal(app, rep, company) for company in companies]
    for night in (shanghai(28, 22, 30), shanghai(30, 22, 30)):
        clock.set(night)
        await run_sweeps(app, [SILENCE_SWEEP])
    return ids


async def alert_rows(app: App, kind: Kind) -> list[Any]:
    async with app.engine.connect() as conn:
        stmt = select(notifications).where(notifications.c.notice == kind.spec.key).order_by(notifications.c.id)
        return list((await conn.execute(stmt)).mappings())


def state(row: Any) -> str:
    value = row["state"]
    return str(value.value if hasattr(value, "value") else value)


async def manager_and_rep(app: App, sandbox: Sandbox) -> tuple[Person, User]:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    rep = await member(app, await join(app, sandbox, "小王", Role.REP))
    return manager, rep


async def test_five_silent_deals_reach_the_manager_as_one_message_with_a_button_to_stale(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager, wang = await manager_and_rep(app, sandbox)
    await silent_deals(app, clock, wang, COMPANIES[:5])
    seen = len(manager.chat())
    clock.set(TUESDAY_NINE)
    report = await outbox_of(app).run_once()

    [digest] = texts(manager, seen)
    assert digest.startswith("🚨 <b>5 条停滞提醒</b>")
    for company in COMPANIES[:5]:
        assert f"• {company} · 小王 · 4 天没有跟进（商机认定最多 2 天）" in digest
    assert manager.last.buttons[0][0] == "📋 查看停滞商机"
    rows = await alert_rows(app, Kind.SILENT_MANAGER)
    assert {state(r) for r in rows} == {"sent"} and len({r["message_id"] for r in rows}) == 1
    assert report.coalesced == 4

    await manager.press("查看停滞商机")  # the list where they are acted on
    assert "沉默和逾期的商机" in manager.last.text and "（共 5 个" in manager.last.text


async def test_fewer_than_three_go_one_by_one(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    assert COALESCE_AT == 3
    manager, wang = await manager_and_rep(app, sandbox)
    await silent_deals(app, clock, wang, COMPANIES[:2])
    seen = len(manager.chat())
    clock.set(TUESDAY_NINE)
    await outbox_of(app).run_once()
    got = texts(manager, seen)
    assert len(got) == 2 and all("的商机「客户0" in text and "天没有跟进" in text for text in got)


async def test_a_long_digest_shows_the_first_lines_and_how_many_more(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    manager, wang = await manager_and_rep(app, sandbox)
    await silent_deals(app, clock, wang, COMPANIES)
    seen = len(manager.chat())
    clock.set(TUESDAY_NINE)
    await outbox_of(app).run_once()
    [digest] = texts(manager, seen)
    assert "<b>12 条停滞提醒</b>" in digest and digest.count("\n• ") == DIGEST_LINES
    assert digest.endswith("…还有 2 条，点下面的按钮查看全部。")


async def test_an_alert_that_went_stale_does_not_count(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    manager, wang = await manager_and_rep(app, sandbox)
    first, *_ = await silent_deals(app, clock, wang, COMPANIES[:3])
    clock.set(TUESDAY_NINE - timedelta(hours=1))  # 小王 calls one customer before work
    await call(app, followup.log_activity, actor=wang, opportunity_id=first, kind="call", outcome="reached",
               now=clock.now())
    seen = len(manager.chat())
    clock.set(TUESDAY_NINE)
    await outbox_of(app).run_once()
    got = texts(manager, seen)
    assert len(got) == 2 and not any("客户01" in text for text in got) and not any("条停滞提醒" in text for text in got)


async def test_a_digest_that_fails_is_retried_as_one(
    app: App, sandbox: Sandbox, clock: FakeClock, session: RecordingSession
) -> None:
    manager, wang = await manager_and_rep(app, sandbox)
    await silent_deals(app, clock, wang, COMPANIES[:4])
    failures: list[int] = []

    def respond(method: TelegramMethod[Any]) -> Any:
        if isinstance(method, SendMessage) and method.chat_id == manager.telegram_id and not failures:
            failures.append(1)
            raise TelegramServerError(method=method, message="Bad Gateway")
        return None

    session.responder = respond
    seen = len(manager.chat())
    clock.set(TUESDAY_NINE)
    report = await outbox_of(app).run_once()
    assert report.retried == 1 and texts(manager, seen) == []
    rows = await alert_rows(app, Kind.SILENT_MANAGER)
    assert {(state(r), r["attempts"]) for r in rows} == {("pending", 1)}
    clock.advance(minutes=5)
    await outbox_of(app).run_once()
    [digest] = texts(manager, seen)
    assert "<b>4 条停滞提醒</b>" in digest
    assert {state(r) for r in await alert_rows(app, Kind.SILENT_MANAGER)} == {"sent"}


async def test_each_family_has_its_own_digest_and_its_own_list(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    manager, wang = await manager_and_rep(app, sandbox)
    await silent_deals(app, clock, wang, COMPANIES[:3])
    await set_policy(app, await member(app, manager), assignment="manual")
    clock.set(shanghai(30, 23))  # Monday night: three new leads go to the pool
    for company in ("公海甲", "公海乙", "公海丙"):
        await seed_deal(app, wang, company, keep=False)
    seen = len(manager.chat())
    clock.set(TUESDAY_NINE)
    await outbox_of(app).run_once()
    got = manager.chat()[seen:]
    assert len(got) == 2, [m.text for m in got]
    [pool] = [m for m in got if "个商机进入了公海" in m.text]
    assert "<b>3 个商机进入了公海</b>" in pool.text and "• 公海甲（10/10）· 团队设置的是经理手动分配" in pool.text
    assert "客户0" not in pool.text and pool.buttons[0][0] == "🌊 打开公海"
    await manager.press_data(pool.buttons[0][1], message_id=pool.message_id, text=pool.text)
    assert "公海甲" in manager.last.text and "公海乙" in manager.last.text
