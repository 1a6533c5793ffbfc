"""The update path's cost and its write-behind conversation state (bot/fsm_storage.py): an update reads
its conversation state at most once and writes it at most once, not at all when unchanged, in its own
transaction on one pooled connection; a refused update leaves the state as it was (or ended, when
the refusal ends the flow); the statements each update type runs stay counted (a regression test:
statement counts are deterministic, unlike time). On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Message
from sqlalchemy import event, insert, select, text

from bot.errors import Refusal
from bot.factory import App
from bot.sandbox import Person, Sandbox
from domain.errors import DomainError
from domain.team.model import Role
from storage.db import create_engine, write_gate
from storage.tables import fsm_states
from tests.conftest import join

QUICK_LINE = "张总 13800138000 华东科技 官网 预算50万 本月上线"


@dataclass
class Statements:
    run: list[str] = field(default_factory=list)
    checkouts: int = 0

    @property
    def fsm_reads(self) -> int:
        """Statements that read the conversation state (the update's first statement among them)."""
        return sum(1 for s in self.run if "fsm_states" in s and not _FSM_WRITE.search(s))

    @property
    def fsm_writes(self) -> int:
        return sum(1 for s in self.run if _FSM_WRITE.search(s))


_FSM_WRITE = re.compile(r"(INSERT INTO|DELETE FROM|UPDATE) fsm_states\b", re.IGNORECASE)


@contextmanager
def counted(app: App) -> Iterator[Statements]:
    seen = Statements()

    def statement(_conn: object, _cursor: object, text: str, *_: object) -> None:
        seen.run.append(text)

    def checkout(*_: object) -> None:
        seen.checkouts += 1

    event.listen(app.engine.sync_engine, "before_cursor_execute", statement)
    event.listen(app.engine.sync_engine.pool, "checkout", checkout)
    try:
        yield seen
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", statement)
        event.remove(app.engine.sync_engine.pool, "checkout", checkout)


async def stored_state(app: App, person: Person) -> tuple[str | None, dict[str, object] | None]:
    key = app.dp.storage.key_builder.build(  # type: ignore[attr-defined]
        StorageKey(bot_id=app.bot.id, chat_id=person.telegram_id, user_id=person.telegram_id)
    )
    async with app.engine.connect() as conn:
        row = (await conn.execute(select(fsm_states.c.state, fsm_states.c.data).where(fsm_states.c.key == key))).first()
    return (row.state, row.data) if row else (None, None)


def first_router(app: App, router: Router) -> None:
    """A test router ahead of the bot's own (their fallback would answer its commands first)."""
    app.dp.include_router(router)
    app.dp.sub_routers.remove(router)
    app.dp.sub_routers.insert(0, router)


async def test_each_update_reads_and_writes_its_conversation_state_at_most_once(app: App, sandbox: Sandbox) -> None:
    await join(app, sandbox, "李经理", Role.MANAGER)
    wang = await join(app, sandbox, "小王", Role.REP)
    with counted(app) as line:
        await wang.send(QUICK_LINE)
    assert "确认保存" in " ".join(t for t, _ in wang.last.buttons), wang.last.text
    assert (line.fsm_reads, line.fsm_writes) == (1, 1), line.run
    assert line.checkouts == 1  # the state is read on the update's own connection
    with counted(app) as confirm:
        await wang.press("确认保存")
    assert "已分配给" in wang.last.text or "已保存" in wang.last.text, wang.last.text
    assert (confirm.fsm_reads, confirm.fsm_writes) == (1, 1), confirm.run  # the flow ended: one DELETE
    assert confirm.checkouts == 1
    assert await stored_state(app, wang) == (None, None)
    with counted(app) as me:
        await wang.send("/me")
    assert "角色：销售" in wang.last.text
    assert (me.fsm_reads, me.fsm_writes) == (1, 0), me.run  # nothing changed: nothing written
    # One statement opens the update (claimed or looked up, its state, the person with team and policy);
    # on SQLite a second records it.
    assert len(me.run) == (1 if app.engine.dialect.name == "postgresql" else 2), me.run


async def test_statements_per_update_stay_within_the_budget(app: App, sandbox: Sandbox) -> None:
    """The counts bench/updates.py prints, held as a ceiling (they may only go down)."""
    await join(app, sandbox, "李经理", Role.MANAGER)
    wang = await join(app, sandbox, "小王", Role.REP)
    # /me leaves the /log flow; /deals counts the deals the viewer brought in that others follow (+1: the 📥 list)
    budget = {"quick line": 6, "Confirm": 13, "/deals": 5, "/log": 5, "/me": 3}
    counts: dict[str, int] = {}
    with counted(app) as seen:
        await wang.send(QUICK_LINE)
    counts["quick line"] = len(seen.run)
    with counted(app) as seen:
        await wang.press("确认保存")
    counts["Confirm"] = len(seen.run)
    for command in ("/deals", "/log", "/me"):
        with counted(app) as seen:
            await wang.send(command)
        counts[command] = len(seen.run)
    over = {k: (counts[k], budget[k]) for k in budget if counts[k] > budget[k]}
    assert not over, f"statements over budget (ran, budget): {over}"


async def test_a_refused_update_leaves_the_conversation_state_as_it_was(app: App, sandbox: Sandbox) -> None:
    router = Router()

    @router.message(Command("half"))
    async def half(message: Message, state: FSMContext) -> None:
        await state.set_state("test:half")
        await state.update_data(step=2, note="half-changed")
        raise DomainError("error-invalid-input")

    @router.message(Command("quit"))
    async def quit_flow(message: Message, state: FSMContext) -> None:
        await state.update_data(step=3)
        raise Refusal(DomainError("error-invalid-input"), leave_flow=True)

    @router.message(Command("open"))
    async def open_flow(message: Message, state: FSMContext) -> None:
        await state.set_state("test:open")
        await state.set_data({"step": 1})
        await message.answer("opened")

    first_router(app, router)
    wang = await join(app, sandbox, "小王", Role.REP)
    await wang.send("/open")
    assert await stored_state(app, wang) == ("test:open", {"step": 1})

    await wang.send("/half")  # refused after changing state and data: none of it stays
    assert wang.last.text != "opened"  # the refusal was told
    assert await stored_state(app, wang) == ("test:open", {"step": 1})

    await wang.send("/quit")  # refused, ending the flow: the flow is gone, the half-change with it
    assert await stored_state(app, wang) == (None, None)


async def test_outside_an_update_the_storage_writes_through(app: App) -> None:
    key = StorageKey(bot_id=1, chat_id=5, user_id=5)
    context = FSMContext(storage=app.dp.storage, key=key)
    await context.set_state("x:y")
    await context.update_data(a=1)
    assert (await context.get_state(), await context.get_data()) == ("x:y", {"a": 1})
    fresh = FSMContext(storage=app.dp.storage, key=key)
    assert await fresh.get_data() == {"a": 1}
    await fresh.clear()
    assert (await context.get_state(), await context.get_data()) == (None, {})


async def test_no_filter_waits_for_a_worker_thread(app: App) -> None:
    """aiogram runs a plain-function filter in a thread; magic filters and bare States run in the loop."""
    sync = [
        (router.name, flt.callback)
        for router in app.dp.chain_tail
        for observer in router.observers.values()
        for handler in [observer._handler, *observer.handlers]
        for flt in handler.filters or ()
        if not flt.awaitable
    ]
    assert sync == []


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_an_update_whose_connection_was_dropped_is_handled_on_a_fresh_one(
    app: App, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    """No pre-ping: the server dropped the pooled connections between two updates (a restart, an idle
    timeout); the next update's transaction is opened once more and the person notices nothing."""
    wang = await join(app, sandbox, "小王", Role.REP)
    await wang.send("/me")
    other = create_engine(app.settings.database_url)
    try:
        async with other.connect() as conn:
            await conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    finally:
        await other.dispose()
    with caplog.at_level(logging.WARNING, logger="bot.middlewares"):
        await wang.send("/me")
    assert "connection was dropped; retrying once" in caplog.text
    assert sum("角色：销售" in m.text for m in wang.chat()) == 2


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_sqlite_writers_take_turns_at_the_write_gate(app: App) -> None:
    """A second writer waits for the first at the gate (in the event loop), not in SQLite's busy handler,
    and goes on as soon as the first's connection is back in the pool."""
    gate = write_gate(app.engine)
    assert gate is not None
    order: list[str] = []

    async def second() -> None:
        async with app.engine.begin() as conn:
            await conn.execute(insert(fsm_states).values(key="second", state="s"))
        order.append("second")

    async with app.engine.connect() as first:
        await first.execute(insert(fsm_states).values(key="first", state="f"))  # holds the gate now
        task = asyncio.create_task(second())
        for _ in range(2000):  # until the second writer reached the gate (no time is asserted)
            if gate.waiting():
                break
            await asyncio.sleep(0.01)
        assert gate.waiting() == 1 and not task.done()
        order.append("first")
        await first.commit()
    await task
    assert order == ["first", "second"]
    assert gate.waiting() == 0
