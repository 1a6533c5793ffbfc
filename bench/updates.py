"""SQL statements and CPU per update, by update type: `python bench/updates.py [--backend sqlite|postgresql|both]`.

A rep, a second rep and a manager join a team; then each update type of the hot path is fed through the
real Dispatcher (the same handlers, middlewares and database as the bot) and measured on its own:
the statements it ran (all of them, and those on the conversation state table), the pooled connections
it checked out, and its CPU time (median of --rounds runs of the whole scenario on a fresh database).
The outbox's delivery is not counted: it runs between updates, as the dispatcher would.

Update types: a quick-capture line, Confirm, Accept (the owner's tap on the hand-off card), /deals, the
deal card, /log and its taps (deal, kind, outcome, "tomorrow"), and a reminder nudge's Done.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench.pg import create_database, drop_database  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.factory import App, build_app  # noqa: E402
from bot.outbox import outbox_of  # noqa: E402
from bot.sandbox import Person, RecordingSession, Sandbox  # noqa: E402
from bot.sweeps import run_sweeps  # noqa: E402
from domain.team.model import Role  # noqa: E402
from storage import migrate  # noqa: E402
from tests.conftest import join  # noqa: E402
from tests.fakes import FakeClock  # noqa: E402

START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # a Thursday, 10:00 in Shanghai: working hours
QUICK_LINE = "张总 13800138000 华东科技 官网 预算50万 本月上线 要一套CRM管销售线索"


@dataclass
class Counter:
    statements: list[str] = field(default_factory=list)
    checkouts: int = 0
    recording: bool = False

    def install(self, app: App) -> None:
        @event.listens_for(app.engine.sync_engine, "before_cursor_execute")
        def _statement(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            if self.recording:
                self.statements.append(statement)

        @event.listens_for(app.engine.sync_engine.pool, "checkout")
        def _checkout(*_: object) -> None:
            if self.recording:
                self.checkouts += 1


@dataclass
class Measure:
    statements: int
    fsm: int
    checkouts: int
    cpu_ms: float
    text: list[str] = field(default_factory=list)


async def measured(counter: Counter, step: Callable[[], Awaitable[object]]) -> Measure:
    counter.statements.clear()
    counter.checkouts = 0
    counter.recording = True
    cpu = time.process_time()
    try:
        await step()
    finally:
        counter.recording = False
    spent = (time.process_time() - cpu) * 1000
    fsm = sum(1 for s in counter.statements if "fsm_states" in s)
    return Measure(len(counter.statements), fsm, counter.checkouts, spent, list(counter.statements))


async def deliver(app: App) -> None:
    await outbox_of(app).run_once()


def button_with(person: Person, *words: str) -> str:
    sent = person.sandbox.session.last_with_buttons(person.telegram_id)
    assert sent is not None, f"{person.first_name} has no buttons"
    for text, _ in sent.buttons:
        if all(w in text for w in words):
            return text
    raise LookupError(f"no button with {words} among {[t for t, _ in sent.buttons]}")


async def scenario(url: str) -> dict[str, Measure]:
    engine_url = url
    from storage.db import create_engine

    engine = create_engine(engine_url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url, bot_token=None, redis_url=None, throttle_per_second=1000.0,
    )
    clock = FakeClock(START)
    app = build_app(settings, session=RecordingSession(), clock=clock)
    counter = Counter()
    counter.install(app)
    sandbox = Sandbox(dp=app.dp, bot=app.bot, session=app.bot.session)  # type: ignore[arg-type]
    out: dict[str, Measure] = {}
    try:
        await join(app, sandbox, "李经理", Role.MANAGER)
        wang = await join(app, sandbox, "小王", Role.REP)
        await join(app, sandbox, "小李", Role.REP)

        out["quick line"] = await measured(counter, lambda: wang.send(QUICK_LINE))
        out["Confirm"] = await measured(counter, lambda: wang.press("确认保存"))
        await deliver(app)
        owner = next(p for p in sandbox.people.values() if "新商机请你接手" in " ".join(s.text for s in p.chat()))
        accept = button_with(owner, "接")
        out["Accept"] = await measured(counter, lambda: owner.press(accept))
        await deliver(app)
        out["/deals"] = await measured(counter, lambda: owner.send("/deals"))
        out["deal card"] = await measured(counter, lambda: owner.press(1))
        out["/log"] = await measured(counter, lambda: owner.send("/log"))
        sent = owner.sandbox.session.last_with_buttons(owner.telegram_id)
        if sent is not None and "华东科技" in " ".join(t for t, _ in sent.buttons):
            out["/log: deal"] = await measured(counter, lambda: owner.press(button_with(owner, "华东科技")))
        out["/log: kind"] = await measured(counter, lambda: owner.press(1))
        out["/log: outcome"] = await measured(counter, lambda: owner.press(1))
        out["/log: tomorrow"] = await measured(counter, lambda: owner.press(button_with(owner, "明天")))
        await owner.send("/remind")
        await owner.press(1)
        await owner.send("给华东科技回电话")
        clock.advance(hours=2)
        await run_sweeps(app)
        await deliver(app)
        done = button_with(owner, "搞定")
        out["nudge Done"] = await measured(counter, lambda: owner.press(done))
    finally:
        await app.close()
    return out


async def run_backend(backend: str, rounds: int) -> dict[str, list[Measure]]:
    results: dict[str, list[Measure]] = {}
    for _ in range(rounds):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                found = await scenario(f"sqlite:///{tmp}/bench.db")
        else:
            url, name = await create_database()
            try:
                found = await scenario(url)
            finally:
                await drop_database(name)
        for key, value in found.items():
            results.setdefault(key, []).append(value)
    return results


def report(backend: str, results: dict[str, list[Measure]], show: bool = False) -> None:
    print(f"\n{backend}: per update (CPU: median of {len(next(iter(results.values())))} rounds)")
    print(f"  {'update':<16} {'SQL':>4} {'FSM':>4} {'conns':>5} {'CPU ms':>7}")
    counts = []
    for key, values in results.items():
        first = values[0]
        cpu = statistics.median(v.cpu_ms for v in values)
        counts.append(first.statements)
        print(f"  {key:<16} {first.statements:>4} {first.fsm:>4} {first.checkouts:>5} {cpu:>7.1f}")
        if show:
            for statement in first.text:
                print("      " + " ".join(statement.split())[:160])
    print(f"  median statements per update: {statistics.median(counts):.0f}, max: {max(counts)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--show", action="store_true", help="print every statement of each update")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        report(backend, asyncio.run(run_backend(backend, args.rounds)), args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
