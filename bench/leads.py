"""Lead capture benchmark: quick-capture messages through the real Dispatcher, up to the hand-off card.

    .venv/bin/python bench/leads.py                  # 500 leads, SQLite
    .venv/bin/python bench/leads.py --postgres       # the same on PostgreSQL (BENCH_POSTGRES_URL; a
                                                     # temporary database is created and dropped)
    .venv/bin/python bench/leads.py --leads 2000 --reps 10 --profile leads.prof
    .venv/bin/python bench/leads.py --reps 20 --pace 2 --leads 200   # 20 reps at human pace
    .venv/bin/python bench/leads.py --layers         # and where the CPU goes, layer by layer

The run sets its own clock: the team's time starts on a Thursday at 10:00 in Shanghai (working hours, so
no card is held until the morning) and moves on with real time; it runs the same at any hour.

A team (a manager and --reps reps, joined through real invites and /start) runs on the app that
`build_app` wires, with a RecordingSession as Telegram. Every rep, concurrently with the others and
one lead after another, sends a quick capture such as
`/lead 孙芳 13900000031 华北宏远科技 合作伙伴 预算51万 本月上线 能拍板 销售团队要管线索`
and presses Confirm on the summary. Every lead is new (own phone, own company) and scores above the
team's threshold, so each one is offered to a rep by the team's policy (round-robin by default).
The outbox dispatcher delivers the hand-off cards as in `bot/runner.py`: `serve()` woken by each
commit, plus the scheduler's periodic jobs (outbox tick and sweeps). At the end the run checks that
every lead got a hand-off and every due notification was sent; exit status 1 otherwise.

--pace S: each rep works at a person's pace, waiting S to 1.5 S seconds (seeded, so every run waits
the same) before each of its two actions; 0 (the default) is as fast as possible, i.e. saturation.

Measured per lead: from feeding its quick-capture message until the assignee's hand-off card reaches
the bot session (delivery included; "card p50/p99"), and from feeding the Confirm press to the same
moment. Leads per second: measured leads / (last card sent - first message fed). CPU per lead: the
process CPU time of the measured run (all its threads, the outbox's delivery included) / leads.

The ceiling: the same harness (same people, same two updates per lead, same concurrency and pace)
against a bare aiogram 3 Dispatcher with a two-step FSM (in memory): the message sets a state and
its data and replies; the button press, filtered on that state, reads the data, clears the state and
answers. Its latency runs from feeding the message to answering the press. Printed: both figures,
and the app's CPU per lead as "x of bare".

No Telegram is behind the recording session, so the outbox runs without Telegram's rate caps (as
in the console sandbox); per-user throttling is raised out of the way (as in the flow tests), and so
is the per-person cap of 60 captures an hour (domain/caps.py; a bench rep captures 100 leads in
seconds, and past the cap each capture would be refused, not measured). The first --warmup leads of
each run are not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiogram import Bot, Dispatcher, Router  # noqa: E402
from aiogram.filters import StateFilter  # noqa: E402
from aiogram.fsm.context import FSMContext  # noqa: E402
from aiogram.fsm.state import State, StatesGroup  # noqa: E402
from aiogram.methods import SendMessage  # noqa: E402
from aiogram.types import CallbackQuery, Message  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.cpu_layers import EngineClock, LayerSampler  # noqa: E402
from bench.cpu_layers import table as layer_table  # noqa: E402
from bench.pg import create_database, drop_database  # noqa: E402
from bot import gc_tuning  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.factory import App, build_app  # noqa: E402
from bot.outbox import outbox_of  # noqa: E402
from bot.sandbox import SANDBOX_TOKEN, Call, Person, RecordingSession, Sandbox, Sent  # noqa: E402
from bot.scheduler import start_scheduler  # noqa: E402
from domain.caps import Cap  # noqa: E402
from domain.leads import services as lead_services  # noqa: E402
from domain.team.model import Role  # noqa: E402
from storage import migrate  # noqa: E402
from storage.tables import handoffs, notifications  # noqa: E402
from tests.conftest import join  # noqa: E402

CONFIRM = "确认保存"
HANDED_OFF = "已分配给"
CARD = re.compile(r"新商机请你接手</b>\n客户：(.+?)（")

# The run's own clock starts here: a Thursday, 10:00 in Shanghai (the default team's working hours).
START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


class BenchClock:
    """START, moving on with real time: cards go out at once whatever the hour the bench runs at."""

    def __init__(self, start: datetime = START) -> None:
        self.start = start
        self.origin = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.origin)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "军", "杰", "婷", "强", "明", "霞", "平", "刚")
PLACES = (
    "华东", "华北", "华南", "西南", "江南", "东海", "北辰", "南湖", "西湖", "中原", "天府", "长江", "珠江", "黄河",
    "滨海", "云岭", "金陵", "姑苏", "临安", "岭南", "燕山", "太行", "齐鲁", "闽江", "湘江", "赣江", "徽州", "松江",
    "钱塘", "洞庭",
)
WORDS = (
    "鼎盛", "宏远", "恒通", "瑞丰", "卓越", "博远", "联创", "新锐", "汇智", "启明", "天成", "正泰", "华信", "达安",
    "明德", "同舟", "志诚", "嘉禾", "永安", "远航", "鑫源", "祥云", "凯达", "盛世", "安泰", "海纳", "聚力", "中科",
    "广益", "润和",
)
TRADES = ("科技", "信息技术", "软件", "电子", "智能")
SOURCES = ("官网", "展会", "转介绍", "合作伙伴")  # warm sources: engagement counts
NEEDS = ("想上一套CRM系统", "销售团队要管线索", "替换现有的客户管理", "门店要统一会员数据", "渠道订单要线上化")


def quick_capture(i: int) -> tuple[str, str]:
    """Lead number i as a quick-capture command, and its company. Phones and companies never repeat
    (up to 4,500 leads), and every lead scores 7 or 8 of 10 with the default weights (budget, decision maker,
    timeline, need, source)."""
    place, rest = PLACES[i % len(PLACES)], i // len(PLACES)
    company = f"{place}{WORDS[rest % len(WORDS)]}{TRADES[(rest // len(WORDS)) % len(TRADES)]}"
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]
    phone = f"139{i:08d}"
    text = (
        f"/lead {name} {phone} {company} {SOURCES[i % len(SOURCES)]} 预算{20 + i % 80}万 "
        f"{'本月' if i % 2 else '下月'}上线 能拍板 {NEEDS[i % len(NEEDS)]}"
    )
    return text, company


@dataclass
class Lead:
    fed: float
    confirmed: float = 0.0
    handled: float = 0.0  # the Confirm press's handler returned
    done: float = 0.0
    paused: float = 0.0  # the person's own pause between the message and the press (--pace), not counted


@dataclass
class Run:
    leads: dict[str, Lead] = field(default_factory=dict)
    expected: int = 0
    finished: int = 0
    all_done: asyncio.Event = field(default_factory=asyncio.Event)
    problems: list[str] = field(default_factory=list)
    pace: float = 0.0  # a rep waits pace..1.5*pace seconds before each action
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    async def pause(self, lead: Lead | None = None) -> None:
        if self.pace > 0:
            seconds = self.pace * (1 + self.rng.random() / 2)
            await asyncio.sleep(seconds)
            if lead is not None:
                lead.paused += seconds

    def finish(self, key: str, at: float) -> None:
        lead = self.leads.get(key)
        if lead is None or lead.done:
            return
        lead.done = at
        self.finished += 1
        if self.finished >= self.expected:
            self.all_done.set()


@dataclass
class Figures:
    label: str
    leads: int
    seconds: float
    handled: float  # start -> the last Confirm handled (cards may still be queued)
    full: list[float]  # first update fed -> last outcome
    after_confirm: list[float]
    cpu: float  # process CPU seconds (all threads) over the measured run
    statements: int = 0  # SQL statements the app ran over the measured run

    @property
    def per_second(self) -> float:
        return self.leads / self.seconds


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def confirm_button(person: Person) -> tuple[Sent, str]:
    """The Confirm button of the rep's latest summary (a hand-off card may have arrived after it)."""
    for sent in reversed(person.chat()):
        for label, data in sent.buttons:
            if CONFIRM in label:
                return sent, data
    raise LookupError(f"no summary with {CONFIRM!r}: {person.last.text[:200]!r}")


# --- the two subjects ----------------------------------------------------------------------------------


Capture = Callable[[Person, str, str, Run], Awaitable[None]]


async def app_capture(person: Person, text: str, company: str, run: Run) -> None:
    """One quick capture and its Confirm; the hand-off card's delivery finishes the lead (a listener)."""
    run.leads[company] = lead = Lead(fed=time.perf_counter())
    await person.send(text)
    await run.pause(lead)
    sent, data = confirm_button(person)
    lead.confirmed = time.perf_counter()
    calls = await person.press_data(data, message_id=sent.message_id, text=sent.text)
    lead.handled = time.perf_counter()
    # Calls of other chats (and this chat's cards) run meanwhile: pick this lead's result card.
    saved = f"<b>{company}</b>"
    outcome = next((c.text for c in calls if c.chat_id == person.telegram_id and c.text and saved in c.text), "")
    if HANDED_OFF not in (outcome or ""):
        run.problems.append(f"{company}: not handed off: {(outcome or 'no result card')[:200]!r}")
        run.expected -= 1


async def bare_capture(person: Person, text: str, company: str, run: Run) -> None:
    run.leads[company] = lead = Lead(fed=time.perf_counter())
    await person.send(text)
    await run.pause(lead)
    lead.confirmed = time.perf_counter()
    reply = person.last
    await person.press_data(f"lead:confirm:::{len(run.leads)}", message_id=reply.message_id, text=reply.text)
    run.finish(company, time.perf_counter())


class BareLead(StatesGroup):
    confirming = State()


def bare_dispatcher() -> Dispatcher:
    """A two-step FSM flow in bare aiogram 3: a message opens it, the button press closes it."""
    router = Router()

    @router.message(StateFilter(None))
    async def reply(message: Message, state: FSMContext) -> None:
        await state.set_state(BareLead.confirming)
        await state.update_data(text=message.text or "")
        await message.answer(f"收到：{message.text or ''}")

    @router.callback_query(StateFilter(BareLead.confirming))
    async def pressed(query: CallbackQuery, state: FSMContext) -> None:
        data = await state.get_data()
        await state.clear()
        await query.answer(f"已保存：{str(data.get('text', ''))[:20]}")

    dp = Dispatcher()
    dp.include_router(router)
    return dp


def card_listener(run: Run, reps: dict[int, Person]) -> Callable[[Call, Sent | None], None]:
    def heard(call: Call, shown: Sent | None) -> None:
        if isinstance(call.method, SendMessage) and call.chat_id in reps and call.text:
            found = CARD.search(call.text)
            if found:
                run.finish(found.group(1), time.perf_counter())

    return heard


# --- the harness ---------------------------------------------------------------------------------------


async def drive(
    run: Run, reps: list[Person], capture: Capture, first: int, count: int, timeout: float
) -> float:
    """Leads first..first+count-1, dealt round-robin to the reps; each rep works through its own list
    one lead at a time, all reps at once. Returns the start time once every lead is finished (or at
    the timeout, noted as a problem)."""
    run.expected = count
    mine: dict[int, list[int]] = {r.telegram_id: [] for r in reps}
    for k in range(count):
        mine[reps[k % len(reps)].telegram_id].append(first + k)

    async def work(person: Person) -> None:
        for i in mine[person.telegram_id]:
            text, company = quick_capture(i)
            await run.pause()
            await capture(person, text, company, run)

    start = time.perf_counter()
    await asyncio.gather(*(work(r) for r in reps))
    if run.finished >= run.expected:
        run.all_done.set()
    try:
        await asyncio.wait_for(run.all_done.wait(), timeout)
    except TimeoutError:
        run.problems.append(f"{run.expected - run.finished} leads not finished {timeout:.0f} s after the last capture")
    return start


def figures(label: str, run: Run, start: float, cpu: float) -> Figures:
    done = [x for x in run.leads.values() if x.done]
    end = max((x.done for x in done), default=start)
    handled = max((x.handled for x in run.leads.values()), default=start) - start
    return Figures(
        label, len(done), end - start, handled, [x.done - x.fed - x.paused for x in done],
        [x.done - x.confirmed for x in done], cpu,
    )


async def people(app: App | None, sandbox: Sandbox, reps: int) -> list[Person]:
    """The app's team joins through real invites (/start <code>); the bare bot just has people."""
    if app is None:
        return [sandbox.person(f"rep{n}") for n in range(reps)]
    await join(app, sandbox, "经理", Role.MANAGER)
    return [await join(app, sandbox, f"销售{n + 1}", Role.REP) for n in range(reps)]


def count_statements(app: App, statements: list[int], counting: list[bool]) -> None:
    """Every statement the engine sends to the driver adds one to statements[0] while counting[0]."""
    dialect = app.engine.sync_engine.dialect
    for name in ("do_execute", "do_executemany", "do_execute_no_params"):
        sent = getattr(dialect, name)

        def counted(*args: object, _sent: Callable[..., object] = sent) -> object:
            if counting[0]:
                statements[0] += 1
            return _sent(*args)

        setattr(dialect, name, counted)


async def bench_app(url: str, args: argparse.Namespace) -> tuple[Figures, list[str]]:
    # The anti-script cap (60 captures per person per hour) would refuse a bench rep's 61st lead.
    cap = lead_services.LEADS_PER_HOUR
    lead_services.LEADS_PER_HOUR = Cap(10**9, cap.code, window=cap.window)  # type: ignore[misc]
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url, bot_token=None, redis_url=None, throttle_per_second=10_000.0,
    )
    session = RecordingSession()
    app = build_app(settings, session=session, clock=BenchClock())
    await migrate.upgrade(app.engine)
    gc_tuning.settle_after_startup()  # as bot/runner.py does once the app is ready (the bare run after it too)
    scheduler = start_scheduler(app)
    delivery = asyncio.create_task(outbox_of(app).serve(), name="outbox")
    problems: list[str] = []
    try:
        sandbox = Sandbox(dp=app.dp, bot=app.bot, session=session)
        reps = await people(app, sandbox, args.reps)
        by_chat = {r.telegram_id: r for r in reps}
        # Statements are counted where the dialect hands them to the driver, and only in the measured run.
        # Not with an event listener: any listener of the engine's statement events sends every statement
        # through SQLAlchemy's slower path with events (~25 µs each), which production does not take.
        statements = [0]
        counting = [False]
        count_statements(app, statements, counting)
        warm = Run()
        session.listeners.append(card_listener(warm, by_chat))
        await drive(warm, reps, app_capture, 0, args.warmup, args.timeout)
        session.listeners.clear()

        run = Run(pace=args.pace)
        session.listeners.append(card_listener(run, by_chat))
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        counting[0] = True
        cpu = time.process_time()
        with only_if(args.layers, APP_LAYERS), only_if(args.layers and not args.postgres, ENGINE):
            start = await drive(run, reps, app_capture, args.warmup, args.leads, args.timeout)
        cpu = time.process_time() - cpu
        counting[0] = False
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        problems += warm.problems + run.problems

        offered, unsent = await final_counts(app)
        total = args.warmup + args.leads
        if offered != total:
            problems.append(f"{offered} hand-offs in the database for {total} leads")
        if unsent:
            problems.append(f"notifications not sent at the end (kind, state, count): {unsent}")
        result = figures("app", run, start, cpu)
        result.statements = statements[0]
        return result, problems
    finally:
        scheduler.shutdown(wait=False)
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
        await app.close()


async def final_counts(app: App, settle: float = 5.0) -> tuple[int, list[object]]:
    """Hand-offs in the database, and due notifications not marked sent. A card's sent mark is
    committed just after the card went out: allow the outbox a moment to record the last ones."""
    deadline = time.monotonic() + settle
    while True:
        async with app.engine.connect() as conn:
            offered = (await conn.execute(select(func.count()).select_from(handoffs))).scalar_one()
            unsent = (
                await conn.execute(
                    select(notifications.c.kind, notifications.c.state, func.count())
                    .where(notifications.c.sent_at.is_(None), notifications.c.next_attempt_at <= app.clock.now())
                    .group_by(notifications.c.kind, notifications.c.state)
                )
            ).all()
        if not unsent or time.monotonic() > deadline:
            return offered, [tuple(row) for row in unsent]
        await asyncio.sleep(0.1)


async def bench_bare(args: argparse.Namespace, rounds: int = 5) -> Figures:
    """The ceiling, `rounds` times (a round takes a fraction of a second, so one is noisy): the median
    round by throughput."""
    session = RecordingSession()
    bot = Bot(token=SANDBOX_TOKEN, session=session)
    sandbox = Sandbox(dp=bare_dispatcher(), bot=bot, session=session)
    reps = await people(None, sandbox, args.reps)
    await drive(Run(), reps, bare_capture, 0, args.warmup, args.timeout)
    results = []
    for _ in range(rounds):
        run = Run(pace=args.pace)
        cpu = time.process_time()
        with only_if(args.layers, BARE_LAYERS):
            start = await drive(run, reps, bare_capture, args.warmup, args.leads, args.timeout)
        results.append(figures("bare aiogram", run, start, time.process_time() - cpu))
    await bot.session.close()
    return sorted(results, key=lambda f: f.per_second)[rounds // 2]


APP_LAYERS, BARE_LAYERS = LayerSampler(), LayerSampler()
ENGINE = EngineClock()


def only_if(on: bool, context: contextlib.AbstractContextManager[object]) -> contextlib.AbstractContextManager[object]:
    """--layers: the measured runs sampled by layer, and on SQLite SQLite's own CPU timed (bench/cpu_layers.py)."""
    return context if on else contextlib.nullcontext()


# --- databases -----------------------------------------------------------------------------------------




# --- main ----------------------------------------------------------------------------------------------


def line(f: Figures) -> str:
    return (
        f"{f.label:<13} {f.leads:>5} leads in {f.seconds:6.2f} s = {f.per_second:7.1f} leads/s   "
        f"latency p50 {statistics.median(f.full) * 1000:7.1f} ms  p99 {pct(f.full, 0.99) * 1000:7.1f} ms   "
        f"CPU {cpu_per_lead(f) * 1000:5.2f} ms/lead"
    )


def cpu_per_lead(f: Figures) -> float:
    return f.cpu / max(1, f.leads)


async def bench(args: argparse.Namespace) -> int:
    backend = "PostgreSQL" if args.postgres else "SQLite"
    pg_name = None
    if args.postgres:
        url, pg_name = await create_database()
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='leads-bench-')}/bench.db"
    try:
        app, problems = await bench_app(url, args)
    finally:
        if pg_name:
            await drop_database(pg_name)
    bare = await bench_bare(args, rounds=1 if args.pace else 5)  # a paced round takes as long as the app's

    pace = f"at a person's pace ({args.pace:g}-{args.pace * 1.5:g} s before each action)" if args.pace else "as fast as they can"
    print(f"lead bench: {args.leads} quick captures by {args.reps} reps at once, {pace}, {backend}, "
          f"after {args.warmup} warm-up leads; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print("latency: app = capture message fed -> assignee's hand-off card sent (outbox delivery included;"
          " a paced rep's pause before pressing Confirm is not counted);")
    print("         bare = message fed -> button press answered (same two updates: a two-step FSM flow in"
          f" bare aiogram 3, state in memory; the median of {1 if args.pace else 5} rounds)")
    print(line(app))
    print(line(bare))
    print(f"app, Confirm press fed -> card sent: p50 {statistics.median(app.after_confirm) * 1000:.1f} ms, "
          f"p99 {pct(app.after_confirm, 0.99) * 1000:.1f} ms")
    print(f"app, the last Confirm was handled at {app.handled:.2f} s, the last card sent at {app.seconds:.2f} s")
    print(f"app, SQL statements: {app.statements / app.leads:.0f} per lead (outbox included)")
    print(f"app, capture -> owner's card: p50 {statistics.median(app.full) * 1000:.1f} ms, "
          f"p99 {pct(app.full, 0.99) * 1000:.1f} ms (p99 = {pct(app.full, 0.99) / statistics.median(app.full):.1f}x p50)")
    print(f"app, CPU per captured lead: {cpu_per_lead(app) * 1000:.2f} ms = "
          f"{cpu_per_lead(app) / cpu_per_lead(bare):.1f}x of bare ({cpu_per_lead(bare) * 1000:.2f} ms)")
    print(f"app / bare: throughput {app.per_second / bare.per_second:.1%} of the framework's ceiling; "
          f"latency p50 x{statistics.median(app.full) / statistics.median(bare.full):.0f}, "
          f"p99 x{pct(app.full, 0.99) / pct(bare.full, 0.99):.0f}")
    if args.layers:
        engine_ms = None if args.postgres else (ENGINE.seconds - ENGINE.off_loop) / max(1, app.leads) * 1000
        for text in layer_table(
            APP_LAYERS, cpu_per_lead(app) * 1000, BARE_LAYERS, cpu_per_lead(bare) * 1000, engine_ms,
        ):
            print(text)
    for problem in problems[:10]:
        print("PROBLEM:", problem)
    if args.profile:
        print(f"profile of the measured app run: {args.profile} (python -m pstats {args.profile})")
    return 1 if problems or app.leads != args.leads else 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leads", type=int, default=500, help="leads measured (default 500)")
    parser.add_argument("--reps", type=int, default=5, help="reps in the team, each capturing (default 5)")
    parser.add_argument(
        "--pace", type=float, default=0.0, metavar="S",
        help="each rep waits S to 1.5 S seconds before each action (default 0: as fast as possible)",
    )
    parser.add_argument("--warmup", type=int, default=20, help="leads captured first and not counted")
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL instead of SQLite")
    parser.add_argument("--timeout", type=float, default=60.0, help="wait for the last cards this long")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the measured app run into FILE")
    parser.add_argument(
        "--layers", action="store_true",
        help="sample both measured runs' CPU by layer (SQLAlchemy, aiogram, the app, ...) and print each layer's"
        " ms per lead (bench/cpu_layers.py; adds under 2%% to the CPU figures)",
    )
    args = parser.parse_args()
    if args.leads + args.warmup > len(PLACES) * len(WORDS) * len(TRADES):
        parser.error("at most 4,500 leads (warm-up included) have distinct companies")
    return args


def main() -> int:
    return asyncio.run(bench(parse_args()))


if __name__ == "__main__":
    sys.exit(main())
