"""A simulated sales team over N days against the real bot: does every breakpoint reach its person?

    .venv/bin/python bench/simulate.py                         # 90 days, seed 1, SQLite
    .venv/bin/python bench/simulate.py --days 10 --seed 3 --leads 120
    .venv/bin/python bench/simulate.py --postgres              # the same on PostgreSQL (BENCH_POSTGRES_URL)

A team (1 manager, 8 reps, 1 finance; the team group bound with /bindgroup), joined through real invites,
runs on the app `build_app` wires — the real Dispatcher, handlers, services, sweeps, digests and outbox —
with a RecordingSession as Telegram and a fake clock. The clock moves in steps (--step, 15 minutes by
default, as the console's `!wait` does); after each step every periodic job runs once (the sweeps, the
digests, the outbox), so a step is "one sweep" below. Everything people do goes through chat updates
(commands and button presses) or, for web leads, through the HTTP API (aiohttp test client on the real
web app):

- leads arrive in business-hour patterns (weekdays 09–18, fewer on Saturdays): about half typed by a
  rep or the manager as a quick-capture line (/lead … then ✅ 确认保存), a third posted to
  POST /api/v1/leads with a key made in /apikeys, the rest in a weekly CSV the manager sends and confirms;
  about one in ten is cold (no need, no budget) and goes to nurture;
- each rep has a seeded profile: diligent, average, forgetful (forgets some deals entirely), or average
  but on leave for a week (does nothing then). Reps accept hand-off cards after a delay (some never),
  follow up on their own schedule with /log <company> (kind, outcome, next step), react to the bot's
  nudges (📝 记录跟进 on a nudge) with a profile probability, and the diligent look in /pool each morning;
- customers: a third go silent (calls unanswered; after three the rep marks the deal lost), the rest
  answer with a probability that fades the longer they wait; three good talks and they ask for a
  proposal, and the rep advances the deal (➡️ 推进) — "converted" below.

Simulated stages: capture (chat / HTTP / import), hand-off and acceptance, follow-up and next steps,
silence and escalation, recycling and the pool, and (bench/sim_floors.py) quotes and discount approvals,
contracts and e-signature, payments and finance's confirmation, delivery sign-off, tickets and surveys,
each through its chat flow.

The control run (same seed, same arrivals and customers) drops the bot's nudges at the fake Bot API
(follow-up nudges, silence alerts, escalations, pings, agendas, report digests: answered as sent, never
shown), so reps act only on their own schedule; hand-off cards still arrive. --no-control skips it.

What is counted, and from where:
- occurred / due: from the database and the domain's own deadlines, observed after every step — a
  hand-off past its deadline_at while still pending; a silence period of an owned open deal reaching
  the point `domain.followup.rules.silence_verdict` alerts the owner (no follow-up record: the owner has
  logged nothing since getting the deal; silent deal: otherwise), escalation due at twice the limit; a
  next step (a follow-up reminder) reaching its due_at, escalation due at its escalate_at; a deal
  entering the pool (pooled_at);
- alerted: a notification about that subject (and period) whose message the fake Bot API recorded in
  the responsible person's chat (the row's message_id among the messages the session recorded, so a
  row marked sent that never reached the chat counts as never alerted); "in one sweep" = delivered no
  later than one step after the due moment, or after the next start of working hours when it fell due
  outside them (`domain.worktime.next_working_moment`);
- ownerless minutes: after each step, open deals with no owner, no pending hand-off and not in the
  pool, times the step; pool minutes are shown apart (a pooled deal's manager has been told);
- messages per person per day: messages the bot sent on its own (during the periodic jobs) to each
  person, per team-local day, over every person and day of the run.
- the daily message budget (--budget, DAILY_MESSAGE_BUDGET): the most messages that could wait
  (not exempt: Spec.exempt) in one person's day, how many were sent over the budget (target 0) and how
  many notices were held over to the next working day.

Speed: the run with nudges and the control run go in two processes (--one-process: one); SQLite runs
inline (no worker thread: --threads to use one, as the bot does) on a file in memory (/dev/shm) without
fsync; and a periodic job whose due set is provably empty is skipped (bench/sim_speed.py;
--check-gates runs them anyway and checks that they had nothing to do).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import csv
import heapq
import io
import itertools
import math
import multiprocessing
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiogram.methods import SendMessage, SendPhoto  # noqa: E402
from aiogram.types import Chat, Message  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from sqlalchemy import func, or_, select  # noqa: E402

from bench.pg import create_database, drop_database  # noqa: E402
from bench.sim_floors import (  # noqa: E402
    FLOOR_NUDGES,
    PRODUCTS_CSV,
    Buyer,
    FloorData,
    Floors,
    TicketState,
    chance,
    draw_buyer,
    floor_figures,
    floor_rows,
)
from bench.sim_speed import SWEEP_JOBS, Gates, inline_sqlite, no_fsync, scratch_dir  # noqa: E402
from bot import gc_tuning  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.factory import App, build_app  # noqa: E402
from bot.sandbox import Call, Person, RecordingSession, Sandbox, Sent  # noqa: E402
from bot.web import build_web_app  # noqa: E402
from domain.contracts.policy import cadence_of  # noqa: E402
from domain.deals.model import Stage  # noqa: E402
from domain.followup.rules import NO_STEP_GRACE, idle_limit  # noqa: E402
from domain.outbox.kinds import Kind  # noqa: E402
from domain.policy.services import get_policy  # noqa: E402
from domain.sweeps import sweep  # noqa: E402
from domain.team.model import Role, Team  # noqa: E402
from domain.worktime import is_working_time, local, next_working_moment  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import create_engine, is_sqlite  # noqa: E402
from storage.tables import (  # noqa: E402
    NOTIFICATIONS_PENDING,
    activities,
    contract_milestones,
    contracts,
    handoffs,
    notifications,
    opportunities,
    quote_approvals,
    quotes,
    reminders,
    stage_changes,
    surveys,
    tickets,
    users,
)
from tests.conftest import join  # noqa: E402

GROUP_CHAT = -100_777_001
WORK_HOURS = "09:00-18:00"
NIGHT_STEP_HOURS = 3  # the clock's step outside the team's working hours
TZ = "Asia/Shanghai"
# Monday 30 November 2026, 08:00 in Shanghai.
START = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)

# Notification kinds (the row's `kind`) that are the bot's nudges: dropped in the control run.
NUDGE_KINDS = frozenset({
    "followup.nudge", "followup.stale", "followup.escalated", "followup.ping", "reminder", "digest.agenda",
    "digest.report",
})
MANAGER_ROLES = ("manager", "admin")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "军", "杰", "婷", "强", "明", "霞", "平", "刚")
PLACES = (
    "华东", "华北", "华南", "西南", "江南", "东海", "北辰", "南湖", "西湖", "中原", "天府", "长江", "珠江", "黄河",
    "滨海", "云岭", "金陵", "姑苏", "临安", "岭南", "燕山", "太行", "齐鲁", "闽江", "湘江", "赣江", "徽州", "松江",
)
WORDS = (
    "鼎盛", "宏远", "恒通", "瑞丰", "卓越", "博远", "联创", "新锐", "汇智", "启明", "天成", "正泰", "华信", "达安",
    "明德", "同舟", "志诚", "嘉禾", "永安", "远航", "鑫源", "祥云", "凯达", "盛世", "安泰", "海纳", "聚力", "中科",
)
TRADES = ("科技", "信息技术", "软件", "电子", "智能", "数据", "网络")
NEEDS = ("想上一套CRM系统", "销售团队要管线索", "替换现有的客户管理", "门店要统一会员数据", "渠道订单要线上化")


# --- the simulated world ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    name: str
    accept_p: float  # a hand-off card is accepted at all
    accept_minutes: tuple[float, float]  # how long after the card
    first_days: tuple[float, float]  # first own follow-up after accepting
    every_days: tuple[float, float]  # then, on their own schedule
    forget_p: float  # a deal they never follow up on by themselves
    nudge_p: float  # a nudge makes them follow up
    nudge_hours: tuple[float, float]  # how soon after the nudge
    work_days: tuple[float, float]  # paperwork (a quote, a contract, a payment to report): how long it waits
    ticket_minutes: tuple[float, float]  # working minutes before they answer a customer's ticket
    pool_daily: bool = False  # looks into /pool each morning


PROFILES = {
    "diligent": Profile("diligent", 0.97, (2, 15), (0.05, 0.6), (2, 5), 0.0, 0.95, (0.2, 2), (0.02, 0.4), (5, 60),
                        pool_daily=True),
    "average": Profile("average", 0.9, (5, 45), (0.3, 2), (3, 8), 0.1, 0.8, (0.5, 6), (0.1, 1.2), (15, 240)),
    "forgetful": Profile("forgetful", 0.75, (10, 150), (1, 4), (5, 14), 0.35, 0.6, (2, 24), (0.3, 3), (60, 900)),
}
# The customers' interest (bench/simulate.py log_steps): fresh for FRESH_DAYS after a contact, then fading
# with a patience of PATIENCE_DAYS (each customer's own, seeded); left alone past GONE_AFTER_DAYS, they may
# buy elsewhere.
FRESH_DAYS = 2.0
GONE_AFTER_DAYS = 4.0
PATIENCE_DAYS = (6.0, 14.0)
TEAM_PLAN = ("diligent", "diligent", "average", "average", "average", "forgetful", "forgetful", "leave")


@dataclass
class Rep:
    person: Person
    profile: Profile
    leave: tuple[date, date] | None = None  # on leave these local days (inclusive)

    @property
    def name(self) -> str:
        return self.person.first_name


@dataclass
class Customer:
    """One lead's customer, the same in both runs (drawn from the seed)."""

    index: int
    company: str
    contact: str
    phone: str
    need: str
    cold: bool  # no need, no budget: goes to nurture
    silent: bool  # never answers
    warmth: float  # chance to answer a timely follow-up
    source: str
    channel: str  # chat / http / import
    at: datetime
    by: int  # who types it (chat): index into [manager, *reps]
    patience: float = 7.0  # days: their interest fades as exp(-days since the last contact / patience)
    buyer: Buyer | None = None  # how they behave from the proposal on


@dataclass
class DealState:
    company: str
    touches: int = 0
    good: int = 0
    unanswered: int = 0
    last_touch: datetime | None = None
    # 0 qualified, 1 following up, 2 proposal, 3 contract, 4 payment, 5 delivery, 6 after-sales
    stage: int = 0
    lost: bool = False
    forgotten_by: set[str] = field(default_factory=set)
    owner: Rep | None = None  # the rep who last took it (a hand-off accepted, a claim from the pool)
    requested_at: datetime | None = None  # the customer asked for a proposal
    quote: str | None = None  # the current quote's number
    discount: int = 0
    quote_sent_at: datetime | None = None
    accepted: bool | None = None  # the customer's answer to the quote
    contract: str | None = None
    contract_sent_at: datetime | None = None
    signs_at: datetime | None = None  # when the customer means to sign
    sign_version: int = 0
    signed: bool = False
    milestones: dict[int, date] = field(default_factory=dict)  # position -> due date
    pays_at: dict[int, datetime] = field(default_factory=dict)  # when the customer means to pay
    pay_versions: dict[int, int] = field(default_factory=dict)
    paid: set[int] = field(default_factory=set)  # the money came (the rep still has to report it)
    reported: set[int] = field(default_factory=set)
    chases: int = 0
    tickets_opened: int = 0


def working_moment(at: datetime, rng: random.Random) -> datetime:
    """A rep acts within their own day: 09:00–18:00 Monday–Friday, local time; else the next morning."""
    at_local = local(at, TZ)
    for _ in range(10):
        start = at_local.replace(hour=9, minute=0, second=0, microsecond=0)
        end = at_local.replace(hour=18, minute=0, second=0, microsecond=0)
        if at_local.weekday() < 5 and start <= at_local < end:
            return at_local.astimezone(UTC)
        if at_local.weekday() < 5 and at_local < start:
            at_local = start + timedelta(minutes=rng.uniform(0, 25))
            continue
        at_local = (at_local + timedelta(days=1)).replace(hour=9, minute=0) + timedelta(minutes=rng.uniform(0, 25))
    return at_local.astimezone(UTC)


def make_customers(rng: random.Random, days: int, leads: int, seed: int = 0) -> list[Customer]:
    """`leads` arrivals over `days`, weekdays weighted 5, Saturdays 1, Sundays none; within a day around
    10:00 and 15:00 local. Chat 50 %, HTTP 30 %, import 20 % (weekly, on Monday mornings). Each customer's
    patience and later behaviour come from its own seed (bench/sim_floors.py draw_buyer)."""
    day_weights = []
    first = local(START, TZ).date()
    for d in range(days):
        weekday = (first + timedelta(days=d)).weekday()
        day_weights.append(5.0 if weekday < 5 else 1.0 if weekday == 5 else 0.0)
    total = sum(day_weights)
    customers: list[Customer] = []
    for i in range(leads):
        day = rng.choices(range(days), weights=day_weights)[0]
        hour = min(17.9, max(9.0, rng.gauss(10.5 if rng.random() < 0.5 else 15.0, 1.3)))
        channel = rng.choices(("chat", "http", "import"), weights=(50, 30, 20))[0]
        local_day = first + timedelta(days=day)
        if channel == "import":  # the Monday of that week, 10:00
            local_day -= timedelta(days=local_day.weekday())
            hour = 10.0
        at = datetime(local_day.year, local_day.month, local_day.day, tzinfo=UTC) - timedelta(hours=8) + timedelta(hours=hour)
        at = max(at, START + timedelta(hours=2))
        place, rest = PLACES[i % len(PLACES)], i // len(PLACES)
        company = f"{place}{WORDS[rest % len(WORDS)]}{TRADES[(rest // len(WORDS)) % len(TRADES)]}"
        silent = rng.random() < 0.3
        customers.append(Customer(
            index=i, company=company, contact=SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)],
            phone=f"137{i:08d}", need=NEEDS[i % len(NEEDS)], cold=rng.random() < 0.1, silent=silent,
            warmth=rng.uniform(0.5, 0.9), source=rng.choice(("官网", "展会", "转介绍", "合作伙伴")),
            channel=channel, at=at, by=rng.randrange(9),
        ))
    del total
    for c in customers:
        c.patience = PATIENCE_DAYS[0] + (PATIENCE_DAYS[1] - PATIENCE_DAYS[0]) * chance(seed, c.index, "patience")
        c.buyer = draw_buyer(seed, c.index)
    return sorted(customers, key=lambda c: (c.at, c.index))


BOOK_INDEX = {"account": 100_000, "pipeline": 200_000}  # their customer numbers, apart from the leads'
BOOK_TRADES = {"account": ("实业", "制造", "贸易", "集团"), "pipeline": ("物流", "医药", "教育", "传媒")}


def make_book(seed: int, count: int, channel: str) -> list[Customer]:
    """The team's book when the run starts: existing customers (after-sales deals from before the run, who
    call with problems: channel "account"), or deals whose customer has just asked for a proposal
    ("pipeline")."""
    book = []
    for i in range(count):
        index = BOOK_INDEX[channel] + i
        trades = BOOK_TRADES[channel]
        company = f"{PLACES[-1 - i % len(PLACES)]}{WORDS[(i * 7) % len(WORDS)]}{trades[(i // len(PLACES)) % len(trades)]}"
        account = channel == "account"
        book.append(Customer(
            index=index, company=company, contact=SURNAMES[(i + 7) % len(SURNAMES)] + "总",
            phone=f"{139 if account else 136}{i:08d}", need="售后服务" if account else NEEDS[i % len(NEEDS)],
            cold=False, silent=False, warmth=0.9 if account else 0.8, source="老客户" if account else "转介绍",
            channel=channel, at=START, by=0, patience=30.0 if account else PATIENCE_DAYS[0] + 8 * chance(seed, index, "patience"),
            buyer=draw_buyer(seed, index),
        ))
    return book


HELD_OVER = "攒下来的"  # the digest of notices held over a person's daily budget (outbox-held-over)
MOVED_ON, AFTER_END = "held over, then moved on", "waiting to go after the run"  # Figures.unsent

# --- the harness -----------------------------------------------------------------------------------


@dataclass
class Delivered:
    at: datetime
    chat_id: int
    message_id: int
    pushed: bool  # sent during the periodic jobs (the bot on its own), not as a reply


@dataclass
class RunResult:
    label: str
    url: str
    days: int
    step: timedelta
    seconds: float
    team: Team
    managers: set[int]  # telegram ids
    user_chat: dict[int, int]  # user id -> telegram id
    names: dict[int, str]  # telegram id -> name
    delivered: dict[tuple[int, int], Delivered]  # (chat, message id) -> when
    ownerless_minutes: float
    pool_minutes: float
    observed: Observed
    problems: list[str]
    actions: Counter[str]
    timings: dict[str, float]
    sweeps: list[datetime]
    dropped: int
    action_seconds: dict[str, float]
    skipped: Counter[str]
    gate_seconds: dict[str, float]
    end: datetime
    budget: int = 0  # DAILY_MESSAGE_BUDGET of the run
    db: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class Observed:
    """What the observer saw due, after each step (the database and the domain's deadlines)."""

    # (deal id, silence period start) -> [owner due, manager due, no-record?]
    silence: dict[tuple[int, datetime], list[Any]] = field(default_factory=dict)
    pool: dict[tuple[int, datetime], datetime] = field(default_factory=dict)  # (deal, pooled_at) -> seen
    steps_due: dict[int, datetime] = field(default_factory=dict)  # reminder id -> due_at
    steps_escalation: dict[int, datetime] = field(default_factory=dict)  # reminder id -> escalate_at
    left_pool: set[int] = field(default_factory=set)


class Simulation(Floors):
    def __init__(self, app: App, session: RecordingSession, args: argparse.Namespace, customers: list[Customer],
                 *, nudges: bool, label: str, accounts: list[Customer] | None = None) -> None:
        self.app = app
        self.session = session
        self.args = args
        self.customers = customers
        self.accounts = accounts or []
        self._customers_by_company = {c.company: c for c in [*customers, *self.accounts]}
        self.nudges = nudges
        self.label = label
        assert isinstance(app.clock, SimClock)
        self.clock = app.clock
        self.rng = random.Random(args.seed * 1000 + 7)  # people's choices: the same in both runs
        self.tickets: dict[str, TicketState] = {}
        self.decided: set[str] = set()  # approval buttons pressed (a card and its reminders share them)
        self.asked: Counter[str] = Counter()  # how many times a quote came to the manager
        self.surveys_sent: Counter[str] = Counter()
        self.sandbox = Sandbox(dp=app.dp, bot=app.bot, session=session)
        self.events: list[tuple[datetime, int, str, Callable[[], Awaitable[None]]]] = []
        self.seq = itertools.count()
        self.delivered: dict[tuple[int, int], Delivered] = {}
        self.in_periodic = False
        self.seen: dict[int, int] = defaultdict(int)  # chat -> messages already read by the person
        self.deals: dict[str, DealState] = {}
        self.problems: list[str] = []
        self.actions: Counter[str] = Counter()
        self.observed = Observed()
        self.ownerless_minutes = 0.0
        self.pool_minutes = 0.0
        self.drop: set[tuple[int, str]] = set()
        self.dropped = 0
        self.timings: dict[str, float] = defaultdict(float)
        self.action_seconds: dict[str, float] = defaultdict(float)
        self.gate_seconds: dict[str, float] = defaultdict(float)
        self.client: TestClient[Any, Any] | None = None
        self.team: Team
        self.sweeps: list[datetime] = []
        self.recheck: dict[tuple[int, datetime], datetime] = {}
        self.reps: list[Rep] = []
        self.by_chat: dict[int, Rep] = {}
        session.listeners.append(self.heard)
        if not nudges:
            session.responder = self.drop_nudges

    # -- the fake Bot API's ears --------------------------------------------------------------------

    def heard(self, call: Call, shown: Sent | None) -> None:
        if isinstance(call.method, SendMessage | SendPhoto) and shown is not None and not shown.edited:
            self.delivered[(shown.chat_id, shown.message_id)] = Delivered(
                self.clock.now(), shown.chat_id, shown.message_id, self.in_periodic
            )

    def drop_nudges(self, method: Any) -> Any:
        if isinstance(method, SendMessage | SendPhoto) and self.in_periodic:  # a weekly review is a photo
            chat_id = int(method.chat_id)
            text = method.text if isinstance(method, SendMessage) else method.caption
            if (chat_id, text) in self.drop:
                self.dropped += 1
                return Message(
                    message_id=900_000_000 + self.dropped, date=self.clock.now(),
                    chat=Chat(id=chat_id, type="private"), text=text,
                )
        return None

    # -- set-up -------------------------------------------------------------------------------------

    async def setup(self) -> None:
        self.manager = await join(self.app, self.sandbox, "李经理", Role.MANAGER)
        self.admin = await join(self.app, self.sandbox, "王总", Role.ADMIN)  # the company's boss: big discounts
        self.finance = await join(self.app, self.sandbox, "财务小陈", Role.FINANCE)
        # The third week of a long run; in a short one, from its third day (so its deals go quiet).
        leave_week = local(START, TZ).date() + timedelta(days=min(14, max(2, self.args.days // 4)))
        for n, plan in enumerate(TEAM_PLAN[: self.args.reps]):
            person = await join(self.app, self.sandbox, f"销售{n + 1}", Role.REP)
            if plan == "leave":
                rep = Rep(person, PROFILES["average"], (leave_week, leave_week + timedelta(days=6)))
            else:
                rep = Rep(person, PROFILES[plan])
            self.reps.append(rep)
            self.by_chat[person.telegram_id] = rep
        await self.manager.send("/bindgroup", chat_id=GROUP_CHAT, chat_type="supergroup")
        # The team works Monday to Friday, as its reps do (the default also counts Saturday).
        await self.manager.send(f"/hours {WORK_HOURS} 周一至周五")
        self.team = await team_of(self.app)
        if self.team.work_days != "01234":
            raise RuntimeError(f"/hours did not take: {self.manager.last.text[:200]}")
        self.gates = Gates(self.app, self.team)
        self.gates.check = self.args.check_gates
        self.key = await self.make_key()
        await self.import_catalog()
        for n, account in enumerate(self.accounts):
            await self.take_on_account(self.reps[n % len(self.reps)], account)
        for customer in self.customers:
            if customer.channel != "import":
                self.at(customer.at, f"lead:{customer.channel}", partial(self.capture, customer))
        batches: dict[datetime, list[Customer]] = defaultdict(list)
        for customer in self.customers:
            if customer.channel == "import":
                batches[customer.at].append(customer)
        for at, batch in batches.items():
            self.at(at, "lead:import", partial(self.import_file, batch))
        first = local(START, TZ).date()
        for d in range(self.args.days):
            day = first + timedelta(days=d)
            morning = datetime(day.year, day.month, day.day, 1, 30, tzinfo=UTC)  # 09:30 local
            for rep in self.reps:
                if rep.profile.pool_daily and day.weekday() < 5:
                    self.at(morning + timedelta(minutes=self.rng.uniform(0, 40)), "pool", partial(self.look_in_pool, rep))

    async def import_catalog(self) -> None:
        m = self.manager
        await m.send_document("产品价目表.csv", PRODUCTS_CSV.encode("utf-8"))
        await m.press("确认导入")
        if "导入完成" not in m.last.text:
            raise RuntimeError(f"catalog import: {m.last.text[:200]}")

    async def take_on_account(self, rep: Rep, account: Customer) -> None:
        """The book at the start, typed in by its rep and moved on by the manager (⏭ 跳过阶段), with a
        first call logged: an existing customer goes to 售后 (from then on they call with problems, and the
        rep checks in now and then); a deal in the pipeline to 方案报价 (the rep builds the quote)."""
        person = rep.person
        await person.send(f"/lead {account.contact} {account.phone} {account.company} 预算30万 本月上线 能拍板 已签约要售后服务")
        if any(t == "老客户" for t, _ in person.last.buttons):  # where it came from: no word for it in the line
            await person.press("老客户")
        await person.press("我自己跟进")
        await person.press("确认保存")
        if "线索已保存" not in person.last.text:
            raise RuntimeError(f"account {account.company}: {person.last.text[:200]}")
        is_account = account.channel == "account"
        deal = self.deals[account.company] = DealState(account.company, stage=6 if is_account else 2, owner=rep)
        card = await self.deal_card(self.manager, account.company)
        if card is None:
            raise RuntimeError(f"{account.company}: no card for the manager")
        screen = await self.press_on(self.manager, card, "跳过阶段")
        screen = await self.press_on(self.manager, screen, "售后" if is_account else "方案报价", exact=True)
        await self.press_on(self.manager, screen, "确认跳过")
        await self.log_call(rep, account.company, next_step="下周" if is_account else "3天后")
        every = timedelta(days=(3 if is_account else 1) * self.rng.uniform(*rep.profile.every_days))
        self.rep_at(rep, START + every, "log:own", lambda: self.log_own(rep, account.company))
        if is_account:
            self.schedule_ticket(account.company)
        else:
            self.proposal_asked(rep, deal)

    async def make_key(self) -> str:
        m = self.manager
        await m.send("/apikeys")
        await m.press("➕ 新建密钥")
        await m.send("官网表单")
        await m.press("官网")
        found = re.search(r"lk_[A-Za-z0-9_\-]+", m.last.text)
        if found is None:
            raise RuntimeError(f"no API key: {m.last.text[:200]}")
        return found.group(0)

    # -- the event queue ----------------------------------------------------------------------------

    def at(self, when: datetime, name: str, action: Callable[[], Awaitable[None]]) -> None:
        heapq.heappush(self.events, (when, next(self.seq), name, action))

    def rep_at(self, rep: Rep, when: datetime, name: str, action: Callable[[], Awaitable[None]]) -> None:
        """A rep's action at their next working moment from `when` (after their leave)."""
        when = working_moment(when, self.rng)
        if rep.leave is not None:
            day = local(when, TZ).date()
            if rep.leave[0] <= day <= rep.leave[1]:
                back = rep.leave[1] + timedelta(days=1)
                when = working_moment(datetime(back.year, back.month, back.day, 1, 0, tzinfo=UTC), self.rng)
        self.at(when, name, action)

    def on_leave(self, rep: Rep) -> bool:
        if rep.leave is None:
            return False
        return rep.leave[0] <= local(self.clock.now(), TZ).date() <= rep.leave[1]

    def next_step(self) -> datetime:
        """One sweep later: --step minutes within the team's working hours, NIGHT_STEP_HOURS outside them
        (nothing the bot says on its own goes out then; working-minute deadlines do not run), aligned so
        that a step lands on the moment the working day starts."""
        now = self.clock.now()
        if is_working_time(now, self.team):
            return now + timedelta(minutes=self.args.step)
        return min(now + timedelta(hours=NIGHT_STEP_HOURS), next_working_moment(now + timedelta(seconds=1), self.team))

    async def run(self) -> None:
        self.started = time.perf_counter()
        end = START + timedelta(days=self.args.days)
        while self.clock.now() < end:
            until = self.next_step()
            step = until - self.clock.now()
            while self.events and self.events[0][0] <= until:
                when, _, name, action = heapq.heappop(self.events)
                if when > self.clock.now():
                    self.clock.set(when)
                started = time.perf_counter()
                try:
                    await action()
                    self.actions[name] += 1
                except Exception as error:  # the run goes on; the problem is reported
                    self.problems.append(f"{self.clock.now():%m-%d %H:%M} {name}: {type(error).__name__}: {error}"[:300])
                spent = time.perf_counter() - started
                self.timings["people"] += spent
                self.action_seconds[name] += spent
            self.clock.set(until)
            self.sweeps.append(until)
            # What is due at this moment, seen before the sweeps act on it.
            started = time.perf_counter()
            await self.observe(step)
            self.timings["observer"] += time.perf_counter() - started
            await self.periodic()
            self.read_messages()
            if self.args.progress and local(until, TZ).hour == 0 and local(until, TZ).minute == 0:
                day = (until - START).days
                print(f"  [{self.label}] day {day}/{self.args.days}, {time.perf_counter() - self.started:.0f} s", file=sys.stderr, flush=True)

    async def periodic(self) -> None:
        """Every periodic job once (the sweeps, the digests, the webhooks), the outbox last when a
        notification is due (a drain of nothing costs a few real-time waits and changes nothing)."""
        self.in_periodic = True
        now = self.clock.now()
        try:
            for job in self.app.periodic:
                if job.name == "outbox":
                    continue
                started = time.perf_counter()
                if self.args.gates and self.gates.idle(job.name, now):
                    self.gates.skipped[job.name] += 1
                    kind = SWEEP_JOBS.get(job.name)
                    if self.gates.check and kind is not None:
                        report = await sweep(self.app.uow, kind, now)
                        if report.acted or report.skipped or report.failed:
                            self.problems.append(f"{now:%m-%d %H:%M} {job.name} was skipped with work to do: {report}")
                    self.timings["gates"] += time.perf_counter() - started
                    continue
                quiet = self.gates.quiet(job.name)
                await job.run()
                self.timings[job.name] += time.perf_counter() - started
                started = time.perf_counter()
                if self.args.gates:
                    await self.gates.ran(job.name, now, quiet)
                self.timings["gates"] += time.perf_counter() - started
                self.gate_seconds[job.name] += time.perf_counter() - started
            async with self.app.engine.connect() as conn:
                due = (await conn.execute(
                    select(notifications.c.chat_id, notifications.c.text, notifications.c.kind, notifications.c.notice).where(
                        NOTIFICATIONS_PENDING, notifications.c.next_attempt_at <= self.clock.now()
                    )
                )).all()
            if due:
                self.drop = set() if self.nudges else {
                    (int(r.chat_id), r.text) for r in due if r.kind in NUDGE_KINDS or r.notice in FLOOR_NUDGES
                }
                started = time.perf_counter()
                for job in self.app.periodic:
                    if job.name == "outbox":
                        await job.run()
                self.timings["outbox"] += time.perf_counter() - started
        finally:
            self.in_periodic = False

    # -- people reading their chats -----------------------------------------------------------------

    def read_messages(self) -> None:
        """Everyone reads what the bot pushed to them during the periodic jobs (their own screens they
        have seen already)."""
        readers: list[tuple[Person, Callable[[Sent], None]]] = [(rep.person, partial(self.react, rep)) for rep in self.reps]
        readers += [(self.manager, self.react_manager), (self.admin, self.react_admin), (self.finance, self.react_finance)]
        for person, react in readers:
            chat = person.chat()
            start = self.seen[person.telegram_id]
            if start == len(chat):
                continue
            for sent in chat[start:]:
                shown = self.delivered.get((sent.chat_id, sent.message_id))
                if shown is not None and shown.pushed:
                    if HELD_OVER in sent.text:
                        self.at(self.clock.now(), "held:open", partial(self.open_held, person, sent, react))
                    else:
                        react(sent)
            self.seen[person.telegram_id] = len(chat)

    async def open_held(self, person: Person, digest: Sent, react: Callable[[Sent], None]) -> None:
        """The morning's 📬 message of notices held over the budget: the person opens each (its numbered
        button shows the notice as it was queued, with its own buttons) and reads it as if it had come."""
        for label, data in digest.buttons:
            if not label.strip().isdigit():
                continue
            before = len(person.chat())
            await person.press_data(data, message_id=digest.message_id, text=digest.text)
            chat = person.chat()
            self.seen[person.telegram_id] = max(self.seen[person.telegram_id], len(chat))
            for opened in chat[before:]:
                if "已经处理过了" not in opened.text:
                    self.actions["held:opened"] += 1
                    react(opened)

    def rep_named(self, name: str) -> Rep | None:
        return next((rep for rep in self.reps if rep.name == name), None)

    def react(self, rep: Rep, sent: Sent) -> None:
        if self.floor_react_rep(rep, sent):
            return
        text = sent.text
        labels = [label for label, _ in sent.buttons]
        now = self.clock.now()
        if any("接手" in label for label in labels) and ("请你接手" in text or "改派给你" in text):
            if self.rng.random() < rep.profile.accept_p and not self.on_leave(rep):
                delay = timedelta(minutes=self.rng.uniform(*rep.profile.accept_minutes))
                self.rep_at(rep, now + delay, "accept", lambda: self.accept_card(rep, sent))
            return
        if "导入的新线索" in text and sent.buttons:
            if not self.on_leave(rep):
                delay = timedelta(minutes=self.rng.uniform(*rep.profile.accept_minutes))
                self.rep_at(rep, now + delay, "accept:import", lambda: self.accept_waiting(rep, sent))
            return
        if self.nudges and any("记录跟进" in label for label in labels):
            if self.rng.random() < rep.profile.nudge_p and not self.on_leave(rep):
                delay = timedelta(hours=self.rng.uniform(*rep.profile.nudge_hours))
                self.rep_at(rep, now + delay, "log:nudged", lambda: self.log_from_nudge(rep, sent))

    # -- leads ----------------------------------------------------------------------------------------

    def quick_line(self, c: Customer) -> str:
        if c.cold:
            return f"/lead {c.contact} {c.phone} {c.company} 陌拜"
        return f"/lead {c.contact} {c.phone} {c.company} {c.source} 预算{20 + c.index % 80}万 本月上线 能拍板 {c.need}"

    async def capture(self, c: Customer) -> None:
        self.deals[c.company] = DealState(c.company)
        if c.channel == "http":
            body: dict[str, Any] = {"company": c.company, "contact_name": c.contact, "phone": c.phone}
            if not c.cold:
                body.update(need=c.need, budget="known", authority="yes", timeline="this_month")
            assert self.client is not None
            response = await self.client.post(
                "/api/v1/leads", json=body, headers={"Authorization": f"Bearer {self.key}", "Idempotency-Key": f"sim-{c.index}"}
            )
            if response.status not in (200, 201):
                raise RuntimeError(f"intake {response.status}: {(await response.text())[:200]}")
            return
        who = [self.manager, *(r.person for r in self.reps)][c.by % (1 + len(self.reps))]
        await who.send(self.quick_line(c))
        await who.press("确认保存")
        if "线索已保存" not in who.last.text:
            raise RuntimeError(f"capture of {c.company} not saved: {who.last.text[:200]}")

    async def import_file(self, batch: list[Customer]) -> None:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["公司名称", "联系人", "手机", "来源", "需求", "预算", "时间", "决策人"])
        for c in batch:
            self.deals[c.company] = DealState(c.company)
            if c.cold:
                writer.writerow([c.company, c.contact, c.phone, "展会", "", "", "", ""])
            else:
                writer.writerow([c.company, c.contact, c.phone, "展会", c.need, f"{20 + c.index % 80}万", "本月上线", "是"])
        name = f"展会名单{local(self.clock.now(), TZ):%m%d}.csv"
        await self.manager.send_document(name, out.getvalue().encode("utf-8"))
        await self.manager.press("✅ 导入")
        if "导入" not in self.manager.last.text:
            raise RuntimeError(f"import: {self.manager.last.text[:200]}")

    # -- hand-offs ------------------------------------------------------------------------------------

    async def accept_card(self, rep: Rep, card: Sent) -> None:
        data = next(d for label, d in card.buttons if "接手" in label)
        await rep.person.press_data(data, message_id=card.message_id, text=card.text)
        reply = rep.person.last.text
        found = re.search(r"「(.+?)」现在由你负责", reply)
        if found:
            self.accepted(rep, found.group(1))

    async def accept_waiting(self, rep: Rep, digest: Sent) -> None:
        """The imported leads' message: its button lists the deals waiting for the rep; accept each."""
        if not digest.buttons:
            return
        # The list opens in place of the message (and the accepted card after it): keep the button.
        label, data = digest.buttons[0]
        message_id, text = digest.message_id, digest.text
        for _ in range(30):
            await rep.person.press_data(data, message_id=message_id, text=text)
            listing = self.sandbox.session.last_with_buttons(rep.person.telegram_id)
            if listing is None:
                return
            deals = [(text, data) for text, data in listing.buttons if re.match(r"^\d+\.", text) or "⏳" in text]
            if not deals:
                return
            await rep.person.press_data(deals[0][1], message_id=listing.message_id, text=listing.text)
            if "现在由你负责" not in rep.person.last.text:  # a card to accept (a pending hand-off: accepted at once)
                card = rep.person.last
                accept = next((d for t, d in card.buttons if "接手" in t), None)
                if accept is None:
                    self.problems.append(f"{label}: no ✅ 接手 on {card.text[:120]!r}")
                    return
                await rep.person.press_data(accept, message_id=card.message_id, text=card.text)
            found = re.search(r"「(.+?)」现在由你负责", rep.person.last.text)
            if not found:
                return
            self.accepted(rep, found.group(1))

    def accepted(self, rep: Rep, company: str) -> None:
        deal = self.deals.setdefault(company, DealState(company))
        deal.owner = rep
        self.actions["accepted"] += 1
        if deal.stage == 2 and deal.quote is None:  # taken over while the customer waits for the proposal
            deal.requested_at = None
            self.proposal_asked(rep, deal)
        if self.rng.random() < rep.profile.forget_p:
            deal.forgotten_by.add(rep.name)
            return
        first = timedelta(days=self.rng.uniform(*rep.profile.first_days))
        self.rep_at(rep, self.clock.now() + first, "log:own", lambda: self.log_own(rep, company))

    async def look_in_pool(self, rep: Rep) -> None:
        if self.on_leave(rep):
            return
        await rep.person.send("/pool")
        listing = self.sandbox.session.last_with_buttons(rep.person.telegram_id)
        if listing is None or listing is not rep.person.last:
            return
        claims = [(t, d) for t, d in listing.buttons if "认领" in t]
        if not claims:
            return
        await rep.person.press_data(claims[0][1], message_id=listing.message_id, text=listing.text)
        found = re.search(r"「(.+?)」", rep.person.last.text)
        if found and "认领" in rep.person.last.text:
            self.actions["claimed"] += 1
            self.accepted(rep, found.group(1))

    # -- follow-ups -----------------------------------------------------------------------------------

    async def log_own(self, rep: Rep, company: str) -> None:
        deal = self.deals.get(company)
        if deal is None or deal.lost or rep.name in deal.forgotten_by or (deal.owner is not None and deal.owner is not rep):
            return  # (someone else took it meanwhile: they know from the hand-off or the pool)
        now = self.clock.now()
        if deal.last_touch is not None and now - deal.last_touch < timedelta(days=rep.profile.every_days[0]):
            # Followed up lately (a nudge came first): their own plan counts from then.
            every = timedelta(days=self.rng.uniform(*rep.profile.every_days))
            self.rep_at(rep, deal.last_touch + every, "log:own", lambda: self.log_own(rep, company))
            return
        person = rep.person
        await person.send(f"/log {company}")
        picks = [(t, d) for t, d in (person.last.buttons if person.last.buttons else []) if t.startswith("1.")]
        if not picks:
            return  # not theirs any more (recycled, reassigned) or closed
        await person.press_data(picks[0][1], message_id=person.last.message_id, text=person.last.text)
        await self.log_steps(rep, deal)

    async def log_from_nudge(self, rep: Rep, nudge: Sent) -> None:
        found = re.search(r"「(.+?)」", nudge.text)
        deal = self.deals.get(found.group(1)) if found else None
        if deal is None or deal.lost:
            return
        shown = self.delivered.get((nudge.chat_id, nudge.message_id))
        if shown is not None and deal.last_touch is not None and deal.last_touch >= shown.at:
            return  # followed up since the nudge came (another nudge about it, or their own plan)
        data = next(d for label, d in nudge.buttons if "记录跟进" in label)
        await rep.person.press_data(data, message_id=nudge.message_id, text=nudge.text)
        if not any("电话" in t for t, _ in rep.person.last.buttons):
            return  # the deal moved on (closed, someone else's)
        await self.log_steps(rep, deal, own_schedule=False)

    async def log_steps(self, rep: Rep, deal: DealState, own_schedule: bool = True) -> None:
        """The /log flow from its first step: kind, outcome (the customer decides), next step.

        The customer's interest fades with the time since the last contact (since the lead came in, for
        the first one): they answer with probability warmth x exp(-(days - FRESH_DAYS) / patience), and
        once left alone past GONE_AFTER_DAYS they may have bought elsewhere meanwhile (probability
        1 - exp(-(days - GONE_AFTER_DAYS) / (3 x patience))). A deal past the proposal, or an existing
        account, just gets its check-in."""
        person = rep.person
        now = self.clock.now()
        if not any("电话" in t for t, _ in person.last.buttons):
            self.problems.append(f"/log on {deal.company}: no kind buttons: {person.last.text[:120]!r}")
            return
        await person.press("📞 电话")
        customer = self.customer_of(deal.company)
        since = deal.last_touch or customer.at
        gap = max(0.0, (now - since).total_seconds() / 86400)
        n = deal.touches
        deal.touches += 1
        deal.last_touch = now
        self.actions["follow-up"] += 1
        seed = self.args.seed
        reason = "客户迟迟不决策"
        if customer.channel == "account" or deal.stage >= 3:
            answered = chance(seed, customer.index, "answer", n) < 0.85
            outcome = "已联系上" if answered else "没接通"
        else:
            interest = customer.warmth * math.exp(-max(0.0, gap - FRESH_DAYS) / customer.patience)
            gone = gap > GONE_AFTER_DAYS and chance(seed, customer.index, "gone", n) < 1 - math.exp(
                -(gap - GONE_AFTER_DAYS) / (3 * customer.patience))
            answered = not customer.silent and chance(seed, customer.index, "answer", n) < interest
            if answered and gone:
                outcome, reason = "没兴趣", "输给竞品"  # they bought elsewhere while nobody called
            elif answered:
                deal.good += 1
                deal.unanswered = 0
                if (deal.stage == 0 and deal.good >= 2) or (deal.stage == 1 and deal.good >= 4):
                    outcome = "需要方案报价"
                elif deal.touches >= 6 + 3 * deal.stage and chance(seed, customer.index, "tired", n) < 0.4:
                    outcome, reason = "没兴趣", "价格没谈拢"  # another supplier, or the price did not suit them
                else:
                    outcome = "有意向" if deal.good >= 2 else "已联系上"
            else:
                deal.unanswered += 1
                outcome = "没兴趣" if deal.unanswered >= 3 else "没接通"
        await person.press(outcome)
        if outcome == "没兴趣":
            await person.press("🚫 不定下一步")
            await self.mark_lost(rep, deal, reason)
            return
        if customer.channel == "account":
            await person.press("下周")
        else:
            await person.press(self.rng.choice(("明天", "3天后", "下周")) if answered else "明天")
        if outcome == "需要方案报价":
            with contextlib.suppress(LookupError):
                await person.press("➡️ 推进")
                await person.press("✅ 确认推进")
                if "已推进" in person.last.text or "推进到" in person.last.text or "阶段" in person.last.text:
                    deal.stage += 1
                    self.actions[f"advanced to {'following up' if deal.stage == 1 else 'proposal'}"] += 1
                    if deal.stage == 2:
                        self.proposal_asked(rep, deal)
        if own_schedule:
            every = timedelta(days=self.rng.uniform(*rep.profile.every_days) * (3 if customer.channel == "account" else 1))
            self.rep_at(rep, now + every, "log:own", lambda: self.log_own(rep, deal.company))

    async def log_call(self, rep: Rep, company: str, next_step: str = "3天后") -> None:
        """A call to chase the customer (a contract to sign, money to pay) or to check in, logged with /log."""
        person = rep.person
        await person.send(f"/log {company}")
        picks = [(t, d) for t, d in (person.last.buttons or []) if t.startswith("1.")]
        if not picks:
            return
        await person.press_data(picks[0][1], message_id=person.last.message_id, text=person.last.text)
        if not any("电话" in t for t, _ in person.last.buttons):
            return
        await person.press("📞 电话")
        await person.press("已联系上")
        await person.press(next_step)
        deal = self.deals.get(company)
        if deal is not None:
            deal.last_touch = self.clock.now()
            deal.touches += 1
        self.actions["follow-up"] += 1

    async def mark_lost(self, rep: Rep, deal: DealState, reason: str) -> None:
        person = rep.person
        await person.press("❌ 标记丢单")
        await person.press(reason)
        await person.press("跳过")
        await person.press("✅ 确认丢单")
        deal.lost = True
        self.actions["lost"] += 1

    async def mark_lost_from_card(self, rep: Rep, deal: DealState, card: Sent, reason: str) -> None:
        screen = await self.press_on(rep.person, card, "标记丢单")
        screen = await self.press_on(rep.person, screen, reason)
        if any("跳过" in t for t, _ in screen.buttons):
            screen = await self.press_on(rep.person, screen, "跳过")
        await self.press_on(rep.person, screen, "确认丢单")
        deal.lost = True
        self.actions["lost"] += 1

    def customer_of(self, company: str) -> Customer:
        return self._customers_by_company[company]

    # -- the observer ---------------------------------------------------------------------------------

    async def observe(self, step: timedelta) -> None:
        """After each step: what is due now, by the database and the domain's deadlines. Deals without an
        owner every step (ownerless minutes); silence candidates every hour (their due moments are
        computed from the deal's own times, so the hour only delays the observation, not the figure)."""
        now = self.clock.now()
        minutes = step.total_seconds() / 60
        pending = select(handoffs.c.opportunity_id).where(handoffs.c.state == "pending")
        open_deal = opportunities.c.stage.notin_(("won", "lost"))
        async with self.app.engine.connect() as conn:
            ownerless = (await conn.execute(
                select(opportunities.c.id, opportunities.c.pooled_at).where(
                    open_deal, opportunities.c.owner_id.is_(None), opportunities.c.id.notin_(pending)
                )
            )).all()
            # A next step of a deal closed meanwhile is nobody's to take (the sweep drops it at its time).
            steps = (await conn.execute(
                select(reminders.c.id, reminders.c.due_at, reminders.c.escalate_at, reminders.c.state)
                .join(opportunities, opportunities.c.id == reminders.c.subject_id)
                .where(
                    reminders.c.subject_kind == "opportunity", reminders.c.due_at <= now,
                    reminders.c.due_at > now - 2 * step, reminders.c.state.in_(("pending", "sent")), open_deal,
                )
            )).all()
            escalating = (await conn.execute(
                select(reminders.c.id, reminders.c.escalate_at).where(
                    reminders.c.subject_kind == "opportunity", reminders.c.state == "sent",
                    reminders.c.escalate_at <= now,
                )
            )).all()
            owned: list[Any] = []
            if now.minute == 0:
                owned = list((await conn.execute(
                    select(
                        opportunities.c.id, opportunities.c.owner_id, opportunities.c.stage,
                        opportunities.c.last_activity_at, opportunities.c.owner_since, opportunities.c.created_at,
                    ).where(open_deal, opportunities.c.owner_id.is_not(None))
                )).all())
        for step_row in steps:
            self.observed.steps_due.setdefault(step_row.id, step_row.due_at)
        for step_row in escalating:
            self.observed.steps_escalation.setdefault(step_row.id, step_row.escalate_at)
        in_pool = set()
        for row in ownerless:
            if row.pooled_at is None:
                self.ownerless_minutes += minutes
                self.problems.append(f"{now:%m-%d %H:%M} deal #{row.id} has no owner, no pending hand-off and is not in the pool")
            else:
                in_pool.add(row.id)
                self.pool_minutes += minutes
                self.observed.pool.setdefault((row.id, row.pooled_at), now)
        for deal_id, _ in self.observed.pool:
            if deal_id not in in_pool:
                self.observed.left_pool.add(deal_id)
        if not owned:
            return
        async with self.app.uow() as uow:
            policy = await get_policy(uow, team_id=self.team.id or 0)
            for row in owned:
                since = max(m for m in (row.last_activity_at, row.owner_since, row.created_at) if m is not None)
                key = (row.id, since)
                entry = self.observed.silence.get(key)
                if entry is not None and entry[1] is not None:
                    continue
                limit = idle_limit(policy, Stage(row.stage))
                if now < since + min(limit, NO_STEP_GRACE):
                    continue
                if entry is None:
                    if now < self.recheck.get(key, now):
                        continue
                    has_step = await uow.followups.has_next_step(row.id, row.owner_id)
                    owner_at = since + (limit if has_step else min(limit, NO_STEP_GRACE))
                    if now < owner_at:
                        self.recheck[key] = owner_at  # a step planned meanwhile only pushes it later
                        continue
                    no_record = row.last_activity_at is None or (
                        row.owner_since is not None and row.last_activity_at < row.owner_since
                    )
                    entry = self.observed.silence[key] = [owner_at, None, no_record, row.owner_id]
                if now >= since + 2 * limit:
                    entry[1] = since + 2 * limit


# --- running and reporting -------------------------------------------------------------------------


def settings_for(url: str, budget: int | None = None) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url, bot_token=None, redis_url=None, throttle_per_second=1e6,
        rate_global_per_second=1e6, rate_private_per_second=1e6, rate_group_per_minute=1e6,
        intake_per_minute=100_000, **({} if budget is None else {"daily_message_budget": budget}),
    )


class SimClock:
    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def set(self, at: datetime) -> None:
        self.current = at


def quick_outbox() -> None:
    """The fake Bot API answers at once: the outbox's pause between two claims of one drain (meant to
    let Telegram's answers come back) is only real time lost here."""
    import bot.outbox

    drain = getattr(bot.outbox, "_Drain", None)
    if drain is not None and hasattr(drain, "CLAIM_INTERVAL"):
        drain.CLAIM_INTERVAL = 0.0


async def run_once(url: str, args: argparse.Namespace, customers: list[Customer], *, nudges: bool, label: str,
                   accounts: list[Customer] | None = None) -> RunResult:
    quick_outbox()
    sqlite = is_sqlite(url)
    with inline_sqlite() if sqlite and not args.threads else contextlib.nullcontext():
        return await _run_once(url, args, customers, nudges=nudges, label=label, accounts=accounts)


async def _run_once(url: str, args: argparse.Namespace, customers: list[Customer], *, nudges: bool, label: str,
                    accounts: list[Customer] | None) -> RunResult:
    clock = SimClock(START)
    session = RecordingSession()
    settings = settings_for(url, args.budget)
    app = build_app(settings, session=session, clock=clock)  # the database is migrated already
    if is_sqlite(url):
        no_fsync(app)
    started = time.perf_counter()
    sim = Simulation(app, session, args, customers, nudges=nudges, label=label, accounts=accounts)
    try:
        async with TestClient(TestServer(build_web_app(app))) as client:
            sim.client = client
            await sim.setup()
            await sim.run()
        result = RunResult(
            label=label, url=url, days=args.days, step=timedelta(minutes=args.step), seconds=time.perf_counter() - started,
            team=sim.team, managers={sim.manager.telegram_id},
            user_chat={}, names={p.telegram_id: n for n, p in sim.sandbox.people.items() if not n.startswith("客户·")},
            delivered=sim.delivered, ownerless_minutes=sim.ownerless_minutes, pool_minutes=sim.pool_minutes,
            observed=sim.observed, problems=sim.problems, actions=sim.actions, timings=sim.timings, sweeps=sim.sweeps, dropped=sim.dropped, end=clock.now(),
            action_seconds=dict(sim.action_seconds), skipped=sim.gates.skipped, gate_seconds=dict(sim.gate_seconds),
            budget=settings.daily_message_budget,
        )
        await load_db(app, result)
        return result
    finally:
        await app.close()


async def team_of(app: App) -> Team:
    from storage.tables import teams

    async with app.engine.connect() as conn:
        team_id: int = (await conn.execute(select(teams.c.id).limit(1))).scalar_one()
    async with app.uow() as uow:
        team = await uow.teams.get(team_id)
    assert team is not None
    return team


def plain(rows: Any) -> list[Any]:
    """Rows as plain objects (a run's result crosses from its process to the report's)."""
    return [SimpleNamespace(**dict(row._mapping)) for row in rows]


def tuples(rows: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in rows]


async def load_db(app: App, result: RunResult) -> None:
    async with app.engine.connect() as conn:
        for row in (await conn.execute(select(users.c.id, users.c.telegram_id, users.c.role))).all():
            result.user_chat[row.id] = row.telegram_id
            if str(getattr(row.role, "value", row.role)) in MANAGER_ROLES:
                result.managers.add(row.telegram_id)
        result.db["notifications"] = plain((await conn.execute(
            select(
                notifications.c.kind, notifications.c.chat_id, notifications.c.message_id, notifications.c.subject_kind,
                notifications.c.subject_id, notifications.c.dedupe_key, notifications.c.state, notifications.c.recipient_id,
                notifications.c.notice, notifications.c.last_error, notifications.c.held_over,
                notifications.c.next_attempt_at,
            )
        )).all())
        result.db["handoffs"] = plain((await conn.execute(
            select(handoffs.c.id, handoffs.c.opportunity_id, handoffs.c.to_user_id, handoffs.c.requested_at,
                   handoffs.c.deadline_at, handoffs.c.state, handoffs.c.decided_at)
        )).all())
        result.db["first_activity"] = tuples((await conn.execute(
            select(activities.c.opportunity_id, func.min(activities.c.at))
            .where(activities.c.opportunity_id.is_not(None), activities.c.kind != "note")
            .group_by(activities.c.opportunity_id)
        )).all())
        result.db["deals"] = plain((await conn.execute(
            select(opportunities.c.id, opportunities.c.created_at, opportunities.c.stage, opportunities.c.pooled_at)
        )).all())
        result.db["proposal"] = [r[0] for r in (await conn.execute(
            select(stage_changes.c.opportunity_id).where(stage_changes.c.to_stage == "proposal").distinct()
        )).all()]
        result.db["reminders"] = plain((await conn.execute(
            select(reminders.c.id, reminders.c.subject_id, reminders.c.user_id).where(reminders.c.subject_kind == "opportunity")
        )).all())
        floors = FloorData()
        floors.approvals = plain((await conn.execute(select(quote_approvals))).all())
        floors.quotes = plain((await conn.execute(select(quotes.c.id, quotes.c.opportunity_id, quotes.c.sent_at))).all())
        floors.contracts = plain((await conn.execute(select(contracts))).all())
        floors.milestones = plain((await conn.execute(select(contract_milestones))).all())
        floors.tickets = plain((await conn.execute(select(tickets))).all())
        floors.surveys = plain((await conn.execute(select(surveys))).all())
        for row in (await conn.execute(
            select(stage_changes.c.opportunity_id, func.min(stage_changes.c.at))
            .where(stage_changes.c.to_stage == "proposal").group_by(stage_changes.c.opportunity_id)
        )).all():
            floors.proposal_at[int(row[0])] = row[1]
        floors.contract_stage = {int(r[0]) for r in (await conn.execute(
            select(stage_changes.c.opportunity_id).where(stage_changes.c.to_stage == "contract").distinct()
        )).all()}
        floors.ownerless_tickets = int((await conn.execute(
            select(func.count()).select_from(tickets.outerjoin(users, users.c.id == tickets.c.owner_id))
            .where(or_(users.c.id.is_(None), users.c.active.is_(False)))
        )).scalar_one())
        finance = (await conn.execute(select(users.c.telegram_id).where(users.c.role == "finance"))).all()
        floors.finance_chats = {int(r[0]) for r in finance}
    async with app.uow() as uow:
        team_id = result.team.id or 0
        floors.quote_sla_minutes = (await uow.quotes.policy(team_id)).sla_minutes
        floors.cadence = await cadence_of(uow, team_id)
    result.db["floors"] = floors


# --- the figures -----------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    occurred: int | None = None
    on_time: int = 0
    alerted: int = 0
    ignored: int = 0
    escalated: int = 0
    delays: list[float] = field(default_factory=list)  # minutes, due -> alert
    note: str = ""
    after_end: int = 0  # fell due so late that its alert would go out after the run: not counted
    held: int = 0  # its alert was held over the person's daily budget and its subject moved on before it went
    asides: Counter[str] = field(default_factory=Counter)  # not counted either, and why

    def cells(self) -> list[str]:
        if self.occurred is None:
            return [self.name, "—", "—", "—", "—", "—", self.note]
        n = self.occurred
        share = f"{self.on_time / n:.0%}" if n else "—"
        esc = f"{self.escalated}/{self.ignored}" if self.ignored else "—"
        median = fmt_minutes(statistics.median(self.delays)) if self.delays else "—"
        note = f"{self.note}; {self.after_end} due too late to judge" if self.after_end else self.note
        for why, count in self.asides.items():
            note += f"; {count} {why}"
        if self.held:
            note += f"; {self.held} held over the budget, done before it went"
        return [self.name, str(n), share, esc, median, str(n - self.alerted - self.held), note]


def fmt_minutes(m: float) -> str:
    return f"{m:.0f} min" if m < 120 else f"{m / 60:.1f} h"


class Figures:
    def __init__(self, r: RunResult) -> None:
        self.r = r
        self.by_subject: dict[tuple[str, int], list[Any]] = defaultdict(list)
        self.missed: list[str] = []
        # What the last alerts() call saw of the notices it looked at that never reached a chat (score(),
        # called right after, reads it): MOVED_ON, one was held over its person's daily budget and cancelled
        # before the morning because its subject moved on (the deal was followed up meanwhile) — not a missed
        # alert, the budget's trade, counted apart; AFTER_END, one still waits at the run's end to go after it
        # (held over to the next morning, or queued at closing time on the last working day) — not judged,
        # like an alert due too late in the run.
        self.unsent: set[str] = set()
        for n in r.db["notifications"]:
            if n.subject_kind is not None and n.subject_id is not None:
                self.by_subject[(n.subject_kind, int(n.subject_id))].append(n)

    def delivered_at(self, n: Any) -> datetime | None:
        """When the notification's message reached its chat, by the fake Bot API's record."""
        if n.message_id is None:
            return None
        found = self.r.delivered.get((int(n.chat_id), int(n.message_id)))
        return found.at if found else None

    def alerts(self, subject: tuple[str, int], kinds: set[str] | None = None, *, notices: set[str] | None = None,
               contains: str | None = None, managers: bool | None = None, chats: set[int] | None = None,
               since: datetime | None = None) -> list[datetime]:
        """When the notices about `subject` (of these kinds — the row's category — or these notices, the
        catalogue keys) reached their chats, optionally only a manager's (or not), only these chats', only
        from `since` on."""
        out = []
        self.unsent = set()
        for n in self.by_subject.get(subject, ()):
            if kinds is not None and n.kind not in kinds:
                continue
            if notices is not None and n.notice not in notices:
                continue
            if contains is not None and contains not in n.dedupe_key:
                continue
            if managers is not None and (int(n.chat_id) in self.r.managers) != managers:
                continue
            if chats is not None and int(n.chat_id) not in chats:
                continue
            at = self.delivered_at(n)
            if at is not None and (since is None or at >= since):
                out.append(at)
            elif at is None and n.held_over and str(getattr(n.state, "value", n.state)) == "cancelled":
                self.unsent.add(MOVED_ON)
            elif at is None and str(getattr(n.state, "value", n.state)) == "pending" and n.next_attempt_at > self.r.end:
                self.unsent.add(AFTER_END)
        return sorted(out)

    def score(self, row: Row, due: datetime, alerts: list[datetime], subject: str = "") -> None:
        grace = max(due, next_working_moment(due, self.r.team)) + self.r.step
        unsent, self.unsent = self.unsent, set()
        if (grace > self.r.end or AFTER_END in unsent) and not alerts:
            # Its alert may go out after the run's end (due on a Saturday, say): not judged.
            row.after_end += 1
            return
        row.occurred = (row.occurred or 0) + 1
        if not alerts and MOVED_ON in unsent:
            row.held += 1
            return
        if not alerts:
            self.missed.append(f"{row.name}: {subject} due {local(due, TZ):%m-%d %H:%M} never alerted")
            return
        row.alerted += 1
        first = min(alerts)
        row.delays.append(max(0.0, (first - due).total_seconds() / 60))
        if first <= grace:
            row.on_time += 1

    def rows(self) -> list[Row]:
        r = self.r
        pool = Row("unassigned lead (deal in the pool)", 0, note="the manager: pooled, recycled, or nobody took the hand-off")
        offers: dict[int, list[int]] = defaultdict(list)
        for h in r.db["handoffs"]:
            offers[int(h.opportunity_id)].append(int(h.id))
        for (deal_id, pooled_at), _ in r.observed.pool.items():
            alerts = self.alerts(("opportunity", deal_id), {"pipeline.pool", "pipeline.recycled"}, managers=True)
            unsent = self.unsent
            for handoff_id in offers[deal_id]:  # nobody took it: the manager's alert says it went to the pool
                alerts += self.alerts(("handoff", handoff_id), {"handoff.expired", "handoff.declined"}, managers=True)
                unsent |= self.unsent
            self.unsent = unsent
            self.score(pool, pooled_at, [a for a in alerts if a >= pooled_at - timedelta(minutes=1)], f"deal #{deal_id}")
        pool.occurred = len(r.observed.pool)
        no_record = Row("no follow-up record", 0, note="owner nudged at the limit; manager at 2x")
        silent = Row("silent deal", 0, note="owner nudged at the limit; manager at 2x")
        for (deal_id, since), (owner_at, manager_at, is_no_record, _owner) in r.observed.silence.items():
            row = no_record if is_no_record else silent
            period = f":{int(since.timestamp())}:"
            owner_alerts = self.alerts(("opportunity", deal_id), {"followup.stale"}, contains=period + "owner")
            self.score(row, owner_at, owner_alerts, f"deal #{deal_id} silent since {local(since, TZ):%m-%d %H:%M}")
            if manager_at is not None:
                row.ignored += 1
                if self.alerts(("opportunity", deal_id), {"followup.stale"}, contains=period + "manager"):
                    row.escalated += 1
        step = Row("next step due (follow-up nudge)", 0, note="owner at its time; manager end of next working day")
        for reminder_id, due in r.observed.steps_due.items():
            self.score(step, due, self.alerts(("reminder", reminder_id), {"followup.nudge"}), f"reminder #{reminder_id}")
        for reminder_id in r.observed.steps_escalation:
            step.ignored += 1
            if self.alerts(("reminder", reminder_id), {"followup.escalated"}):
                step.escalated += 1
        handoff = Row("hand-off not accepted", 0, note="assignee and manager told, next rep offered")
        for h in r.db["handoffs"]:
            if h.deadline_at > r.end:
                continue
            # Due at its deadline; it became a breakpoint if still pending when the first sweep after
            # the deadline came (a rep who accepted between the deadline and that sweep was in time).
            first_sweep = r.sweeps[bisect.bisect_left(r.sweeps, h.deadline_at)] if h.deadline_at <= r.sweeps[-1] else r.end
            # People act before their step's sweeps: accepted at the sweep's own moment is in time.
            expired = str(getattr(h.state, "value", h.state)) == "expired"
            if h.decided_at is not None and (h.decided_at < first_sweep or (h.decided_at == first_sweep and not expired)):
                continue
            alerts = self.alerts(("handoff", int(h.id)), {"handoff.expired"})
            self.score(handoff, h.deadline_at, alerts, f"hand-off #{h.id} (deal #{h.opportunity_id}, {h.state})")
            handoff.ignored += 1
            if self.alerts(("handoff", int(h.id)), {"handoff.expired"}, managers=True):
                handoff.escalated += 1
        return [pool, handoff, no_record, silent, step, *floor_rows(self, Row), self.review_row()]

    def review_row(self) -> Row:
        """"No data to review": each working morning the manager's digest of yesterday, each Monday the
        week's review (funnel, breakpoints, the change on the week before), at the start of working hours.
        The run's first working day is left out: there is no yesterday to report."""
        r = self.r
        row = Row("no data to review (manager's digests)", 0, note="yesterday's digest each working morning; the week's review on Mondays")
        which = {Kind.REPORT_DAILY.spec.key: "daily", Kind.REPORT_WEEKLY.spec.key: "weekly"}
        got: dict[tuple[str, date], list[datetime]] = defaultdict(list)
        for n in r.db["notifications"]:
            name = which.get(n.notice or "")
            at = self.delivered_at(n) if name and int(n.chat_id) in r.managers else None
            if name and at is not None:
                got[(name, local(at, TZ).date())].append(at)
        first = local(START, TZ).date()
        opened = 0
        for offset in range(r.days):
            day = first + timedelta(days=offset)
            midnight = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(TZ)).astimezone(UTC)
            opens = next_working_moment(midnight, r.team)
            if local(opens, TZ).date() != day:
                continue  # not a working day
            opened += 1
            if opened == 1:
                continue
            self.unsent = set()
            self.score(row, opens, got[("daily", day)], f"daily digest of {day}")
            if day.weekday() == 0:
                self.score(row, opens, got[("weekly", day)], f"weekly review of {day}")
        return row

    def team_figures(self) -> dict[str, Any]:
        r = self.r
        deals = {d.id: d for d in r.db["deals"]}
        first = {int(k): v for k, v in r.db["first_activity"]}
        to_first = [(first[i] - deals[i].created_at).total_seconds() / 3600 for i in deals if i in first]
        offered = [h for h in r.db["handoffs"]]
        accepted = [(h.decided_at - h.requested_at).total_seconds() / 60 for h in offered if h.state == "accepted" and h.decided_at]
        converted = len(set(r.db["proposal"]))
        return {
            "deals": len(deals),
            "with_followup": len(to_first),
            "lead_to_first_h": statistics.median(to_first) if to_first else float("nan"),
            "handoffs": len(offered),
            "accepted": len(accepted),
            "offer_to_accept_min": statistics.median(accepted) if accepted else float("nan"),
            "converted": converted,
            "lost": sum(1 for d in deals.values() if str(getattr(d.stage, "value", d.stage)) == "lost"),
        }

    def per_person_day(self) -> tuple[float, int, str]:
        r = self.r
        counts: Counter[tuple[int, date]] = Counter()
        for d in r.delivered.values():
            if d.pushed and d.chat_id > 0:
                counts[(d.chat_id, local(d.at, TZ).date())] += 1
        people = [c for c in r.names if c > 0]
        first = local(START, TZ).date()
        values = [counts.get((p, first + timedelta(days=n)), 0) for p in people for n in range(r.days)]
        (who, day), most = counts.most_common(1)[0] if counts else ((0, first), 0)
        return statistics.median(values) if values else 0.0, most, f"{r.names.get(who, who)} on {day:%m-%d}"


    def budget(self) -> dict[str, Any]:
        """The daily message budget (DAILY_MESSAGE_BUDGET) as each person felt it. A message is *exempt* when
        one of the notices it carries always goes (kinds.py Spec.exempt: decisions, digests, urgent or at a
        time the person chose); the others could wait. *Over budget*: a message that could wait, sent to a
        person who already had the budget's worth of messages earlier that day (at an earlier moment: the
        outbox counts once per claimed batch, so one batch may pass the line)."""
        r = self.r
        exempt: dict[tuple[int, int], bool] = {}
        held = 0
        for n in r.db["notifications"]:
            held += bool(n.held_over)
            if n.message_id is None:
                continue
            kind = Kind.of_notice(n.notice)
            key = (int(n.chat_id), int(n.message_id))
            exempt[key] = exempt.get(key, False) or kind is None or kind.spec.exempt
        days: dict[tuple[int, date], list[tuple[datetime, bool]]] = defaultdict(list)
        for d in r.delivered.values():
            if d.pushed and d.chat_id > 0:
                days[(d.chat_id, local(d.at, TZ).date())].append((d.at, exempt.get((d.chat_id, d.message_id), True)))
        per_day = r.budget
        waiting_most, over = 0, 0
        for sent in days.values():
            sent.sort()
            waiting_most = max(waiting_most, sum(1 for _, free in sent if not free))
            if per_day > 0:
                over += sum(1 for at, free in sent if not free and sum(1 for earlier, _ in sent if earlier < at) >= per_day)
        return {"per_day": per_day, "waiting_most": waiting_most, "over": over, "held_over": held}


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%} ({part}/{whole})" if whole else "—"


def _hours(h: float) -> str:
    return "—" if math.isnan(h) else f"{h:.1f} h" if h < 48 else f"{h / 24:.1f} d"


# The team's own figures, as the business quotes them (with and without the bot's nudges).
TEAM_LINES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("deals (opportunities)", lambda m: str(m["deals"])),
    ("lead → first follow-up, median", lambda m: f"{_hours(m['lead_to_first_h'])} ({m['with_followup']} deals)"),
    ("hand-off offered → accepted, median", lambda m: f"{m['offer_to_accept_min']:.0f} min ({m['accepted']}/{m['handoffs']})"),
    ("conversion (deal reached the proposal stage)", lambda m: f"{m['converted'] / max(1, m['deals']):.1%} ({m['converted']})"),
    ("proposal asked → quote sent, median", lambda m: f"{_hours(m['to_quote_h'])} ({m['quoted']} quotes)"),
    ("discount approval asked → decided, median", lambda m: f"{_hours(m['approval_h'])} ({m['approvals']} steps)"),
    ("quote accepted (deal reached 合同签署)", lambda m: str(m["quotes_accepted"])),
    ("contract sent → signed, median", lambda m: f"{_hours(m['sign_h'])} ({m['signed']}/{m['contracts_sent']} signed)"),
    ("milestones due in the run paid by their due day", lambda m: _share(m["paid_on_time"], m["milestones_due"])),
    ("money collected (confirmed by finance)", lambda m: f"¥{m['collected']:,.0f}"),
    ("tickets answered within the response SLA", lambda m: _share(m["responded_in"], m["tickets"])),
    ("tickets resolved within the resolution SLA", lambda m: _share(m["resolved_in"], m["tickets"])),
    ("lost", lambda m: str(m["lost"])),
]


def coalesced_messages(notifications: list[Any]) -> tuple[int, int]:
    """(notifications, messages): notices that reached their chat together, as one message (several rows
    with one message id: a family's digest, domain/outbox/kinds.py). The hook for the outbox's daily budget
    per person: a notice it folds into a later message keeps that message's id and is counted here; one it
    holds back without a message id is not (count it from its state here once the budget exists)."""
    shared = Counter((int(n.chat_id), int(n.message_id)) for n in notifications if n.message_id is not None)
    return sum(count for count in shared.values() if count > 1), sum(1 for count in shared.values() if count > 1)


def table(rows: list[list[str]], head: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=False)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)) + " |" for row in rows]
    return "\n".join(lines)


def report(main: RunResult, control: RunResult | None, args: argparse.Namespace, backend: str) -> tuple[str, dict[str, Any]]:
    f = Figures(main)
    rows = f.rows()
    out = [
        f"simulation: {args.days} days, seed {args.seed}, {args.leads} leads, {args.reps} reps, {backend}, "
        f"step (one sweep) {args.step} min in working hours, {NIGHT_STEP_HOURS} h outside; "
        f"took {getattr(args, 'wall', main.seconds):.0f} s" + (" (with the control run alongside)" if control else ""),
        "",
        table([row.cells() for row in rows], [
            "breakpoint", "occurred", "alerted in one sweep", "escalated / ignored", "median due→alert",
            "never alerted", "",
        ]),
        "",
        f"ownerless opportunity-minutes (no owner, no pending hand-off, not in the pool): {main.ownerless_minutes:.0f}",
        f"pool: {len(main.observed.pool)} deals entered it, {len(main.observed.left_pool)} left it (claimed), "
        f"{main.pool_minutes / 60:.0f} deal-hours waiting there",
    ]
    median, most, where = f.per_person_day()
    coalesced, digests = coalesced_messages(main.db["notifications"])
    out.append(
        f"bot messages per person per day (pushed, not replies; every person and day): median {median:g}, "
        f"max {most} ({where}); {coalesced} notifications went as {digests} coalesced messages"
    )
    budget = f.budget()
    out.append(
        f"daily message budget {budget['per_day'] or 'off'}: at most {budget['waiting_most']} messages that could wait "
        f"in a person's day; {budget['over']} such messages sent over the budget; {budget['held_over']} notices held "
        f"over to the next working day"
    )
    floors = main.db["floors"]
    out.append(f"tickets whose owner is missing or deactivated: {floors.ownerless_tickets} (of {len(floors.tickets)})")
    mine = {**f.team_figures(), **floor_figures(main)}
    figures: dict[str, Any] = {"rows": rows, "main": mine, "ownerless": main.ownerless_minutes, "budget": budget}
    head = ["team figure", "with nudges"]
    columns = [mine]
    if control is not None:
        theirs = {**Figures(control).team_figures(), **floor_figures(control)}
        figures["control"] = theirs
        head.append("control (nudges dropped)")
        columns.append(theirs)
    out += ["", table([[label, *(show(c) for c in columns)] for label, show in TEAM_LINES], head)]
    floors = mine
    out.append(
        f"tickets: {floors['tickets']} ({floors['tickets_open']} still open at the end); surveys: {floors['surveys']} links, "
        f"{floors['answered']} answered, mean score {floors['score']:.1f}, {floors['low']} low (manager alerted)"
    )
    for missed in f.missed[:20]:
        out.append(f"NEVER ALERTED: {missed}")
    if args.debug:
        out.append(f"database: {main.url}")
    actions = ", ".join(f"{k} {v}" for k, v in sorted(main.actions.items()))
    out += ["", f"actions (with nudges): {actions}"]
    if control is not None:
        out.append(f"control: {control.dropped} nudges dropped at the fake Bot API")
    spent = ", ".join(f"{k} {v:.0f} s" for k, v in sorted(main.timings.items(), key=lambda kv: -kv[1])[:8])
    out.append(f"time spent (with nudges): {spent}")
    people = ", ".join(f"{k} {v:.0f} s" for k, v in sorted(main.action_seconds.items(), key=lambda kv: -kv[1])[:8])
    out.append(f"people's time by action: {people}; periodic jobs skipped while idle: {sum(main.skipped.values())}")
    if args.debug:
        gates = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(main.gate_seconds.items(), key=lambda kv: -kv[1])[:8])
        out.append(f"the gates' own time: {gates}; skipped: {dict(main.skipped)}")
    problems = main.problems + (control.problems if control else [])
    figures["problems"] = problems
    for problem in problems[:15]:
        out.append(f"PROBLEM: {problem}")
    if len(problems) > 15:
        out.append(f"... and {len(problems) - 15} more problems")
    return "\n".join(out), figures


async def simulate(args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    customers = make_customers(random.Random(args.seed), args.days, args.leads, args.seed)
    accounts = make_book(args.seed, args.accounts, "account") + make_book(args.seed, args.pipeline, "pipeline")
    backend = "PostgreSQL" if args.postgres else "SQLite"

    labels = [(True, "nudges")] + ([(False, "control")] if args.control else [])
    urls: list[str] = []
    pg_names: list[str] = []
    for _ in labels:
        if args.postgres:
            url, pg_name = await create_database()
            pg_names.append(pg_name)
        else:
            url = f"sqlite:///{scratch_dir()}/sim.db"
        # One after the other: Alembic's migration context is one per process.
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()
        urls.append(url)

    # The two runs share nothing but the customers: each in its own process (on its own core, when the
    # machine has two free), or side by side in this event loop.
    wall = time.perf_counter()
    try:
        if len(urls) > 1 and not args.one_process:
            loop = asyncio.get_running_loop()
            with ProcessPoolExecutor(max_workers=len(urls), mp_context=multiprocessing.get_context("spawn")) as pool:
                results = await asyncio.gather(*(
                    loop.run_in_executor(pool, run_in_process, url, args, customers, accounts, nudges, label)
                    for url, (nudges, label) in zip(urls, labels, strict=True)
                ))
        else:
            results = await asyncio.gather(*(
                run_once(url, args, customers, nudges=nudges, label=label, accounts=accounts)
                for url, (nudges, label) in zip(urls, labels, strict=True)
            ))
    finally:
        for pg_name in pg_names:
            await drop_database(pg_name)
    args.wall = time.perf_counter() - wall
    return report(results[0], results[1] if len(results) > 1 else None, args, backend)


def run_in_process(url: str, args: argparse.Namespace, customers: list[Customer], accounts: list[Customer],
                   nudges: bool, label: str) -> RunResult:
    gc_tuning.settle_after_startup()  # as bot/runner.py does
    return asyncio.run(run_once(url, args, customers, nudges=nudges, label=label, accounts=accounts))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--leads", type=int, default=None, help="default: 1,000 for 90 days, pro rata")
    parser.add_argument("--reps", type=int, default=8, choices=range(1, 9))
    parser.add_argument("--accounts", type=int, default=None,
                        help="existing customers (after-sales deals) at the start; default 24 for 90 days, pro rata, at least 6")
    parser.add_argument("--pipeline", type=int, default=None,
                        help="deals at 方案报价 at the start; default 12 for 90 days, pro rata, at least 6")
    parser.add_argument("--step", type=int, default=15, help="minutes the clock moves between sweeps")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--budget", type=int, default=None,
                        help="DAILY_MESSAGE_BUDGET for the simulated bot (default: the setting's default, 20; 0: off)")
    parser.add_argument("--debug", action="store_true", help="print the database's URL (SQLite: kept) and more")
    parser.add_argument("--progress", action="store_true", help="a line on stderr per simulated day")
    parser.add_argument("--no-control", dest="control", action="store_false", help="skip the run without nudges")
    parser.add_argument("--one-process", action="store_true", help="both runs in this process (default: one each)")
    parser.add_argument("--threads", action="store_true",
                        help="SQLite through aiosqlite's worker thread, as the bot runs (default: inline)")
    parser.add_argument("--no-gates", dest="gates", action="store_false",
                        help="run every periodic job at every step (to measure what the gates save)")
    parser.add_argument("--check-gates", action="store_true",
                        help="run the sweeps the gates skip anyway; a problem when one had work to do")
    args = parser.parse_args(argv)
    if args.leads is None:
        args.leads = max(10, round(1000 * args.days / 90))
    if args.accounts is None:
        args.accounts = max(6, round(24 * args.days / 90))
    if args.pipeline is None:
        args.pipeline = max(6, round(12 * args.days / 90))
    return args


def main() -> int:
    args = parse_args()
    gc_tuning.settle_after_startup()  # as bot/runner.py does (the runs in their own processes do it there)
    text, figures = asyncio.run(simulate(args))
    print(text)
    failed = any(row.occurred and row.occurred > row.alerted + row.held for row in figures["rows"]) or figures["ownerless"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
