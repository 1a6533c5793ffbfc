"""Sweep benchmark: does a sweep's work grow with what is due, or with the table?

    .venv/bin/python bench/sweeps.py                          # 100,000 and 1,000,000 deals, SQLite and PostgreSQL
    .venv/bin/python bench/sweeps.py --sizes 100000           # smaller
    .venv/bin/python bench/sweeps.py --backends postgresql --due 50

For each database and size it seeds N opportunities (with their leads, one activity and one reminder
each) in 50 teams of a manager and 20 reps: 70% closed, the open ones mostly quiet with a silence check
days ahead, some long silent and fully alerted already, plus a small due set of the same size at every
N: `--due` reminders due now (half of them follow-ups of a deal, half personal), `--due` deals whose
silence check has come (each earns an alert) and `--due` nudged follow-ups past their escalation time.
Seeding goes around the ORM: COPY on PostgreSQL (asyncpg copy_records_to_table), executemany in one
transaction on SQLite.

Then it runs each sweep once through the real services (the same App the bot builds, rendering the
messages into the outbox) and prints its time and the SQL statements it issued, counted with
SQLAlchemy's before_cursor_execute event; and the plan of every distinct query the sweeps ran
(PostgreSQL EXPLAIN / SQLite EXPLAIN QUERY PLAN), so that a scan would show. Target: the statement
count the same at every size (it depends on the due set only) and under 1 s at 1,000,000 on PostgreSQL.
A "Seq Scan" on teams, team_policies or a still-empty notifications table is the planner's choice for a
table of a few dozen rows, not a scan of the deals.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as wall
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench.pg import create_database, drop_database  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.factory import App, build_app  # noqa: E402
from domain.deals.model import PIPELINE  # noqa: E402
from domain.followup.nudges import ESCALATION_SWEEP  # noqa: E402
from domain.followup.silence import SILENCE_SWEEP  # noqa: E402
from domain.reminders.services import REMINDER_SWEEP  # noqa: E402
from domain.sweeps import Sweep, sweep  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import create_engine  # noqa: E402

SHOW = False
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai: working hours
TEAMS = 50
REPS = 20
CHUNK = 50_000


class FixedClock:
    def now(self) -> datetime:
        return NOW


# --- the data ---------------------------------------------------------------------------------------


def naive(at: datetime | None) -> datetime | None:
    return None if at is None else at.astimezone(UTC).replace(tzinfo=None)


@dataclass
class Plan:
    """Which rows are which, decided by id alone so every size gets the same due sets."""

    size: int
    due: int
    open_ids: list[int] = field(default_factory=list)

    def stage(self, i: int) -> str:
        if i % 10 < 7:
            return "won" if i % 2 else "lost"
        return PIPELINE[(i // 10) % len(PIPELINE)].value

    def team(self, i: int) -> int:
        return i % TEAMS + 1

    def owner(self, i: int) -> int:
        team = self.team(i)
        return (team - 1) * (REPS + 1) + 2 + (i // TEAMS) % REPS  # user ids: manager, then the reps

    # Open deals are every 10th..; the first `due` of them are silence-due, the next `due` have a
    # follow-up due now, the next `due` a nudged follow-up past its escalation time.
    def kind(self, i: int) -> str:
        if i % 10 < 7:
            return "closed"
        rank = (i // 10) * 3 + (i % 10 - 7)  # 0, 1, 2, ... over the open deals in id order
        if rank < self.due:
            return "silence_due"
        if rank < 2 * self.due:
            return "reminder_due"
        if rank < 3 * self.due:
            return "escalation_due"
        return "long_silent" if rank % 4 == 0 else "quiet"


def teams_rows() -> Iterator[tuple[Any, ...]]:
    for t in range(1, TEAMS + 1):
        yield (t, f"团队{t}", "Asia/Shanghai", wall(9), wall(21), "012345", None, naive(NOW - timedelta(days=800)))


def users_rows() -> Iterator[tuple[Any, ...]]:
    uid = 0
    for t in range(1, TEAMS + 1):
        for k in range(REPS + 1):
            uid += 1
            role = "manager" if k == 0 else "rep"
            yield (uid, 10_000_000 + uid, f"{'经理' if k == 0 else '销售'}{uid}", None, role, t, "zh", True, True, naive(NOW))


def policy_rows() -> Iterator[tuple[Any, ...]]:
    for t in range(1, TEAMS + 1):
        yield (
            t, t, "round_robin", True, 6, '{"need": 1}', 30, 3650, 5, 3, '["制造"]', '["price"]', 0, "{}",
        )


def lead_rows(plan: Plan, lo: int, hi: int) -> Iterator[tuple[Any, ...]]:
    for i in range(lo, hi):
        created = naive(NOW - timedelta(days=60 + i % 600))
        yield (
            i, plan.team(i), plan.owner(i), f"客户{i}科技有限公司", f"客户{i}科技", "张总", f"+86138{i:08d}", None,
            "referral", "想上 CRM", None, "known", None, "yes", "this_month", "制造", None, None, 8, "{}",
            "converted", None, created, created,
        )


def opportunity_rows(plan: Plan, lo: int, hi: int) -> Iterator[tuple[Any, ...]]:
    for i in range(lo, hi):
        kind = plan.kind(i)
        created = NOW - timedelta(days=60 + i % 600)
        stage = plan.stage(i)
        level, check = 0, None
        if kind == "closed":
            last = created + timedelta(days=20)
        elif kind == "silence_due":
            last, check = NOW - timedelta(days=45), NOW - timedelta(minutes=1)  # every stage's owner limit passed
        elif kind == "long_silent":
            last, level = NOW - timedelta(days=200), 2  # alerted long ago: nothing left to say, no check
        elif kind == "escalation_due":
            last, check = NOW - timedelta(days=3), NOW + timedelta(days=1)  # nothing logged since the nudge
        else:
            last = NOW - timedelta(hours=1 + i % 20)
            check = NOW + timedelta(days=1 + i % 6)
        yield (
            i, plan.team(i), i, f"客户{i}科技有限公司", plan.owner(i), stage, 100_000 * (i % 50 + 1), "CNY", None,
            "price" if stage == "lost" else None, None, naive(last), naive(created), None, None, None, False,
            naive(created), naive(last), level, naive(check),
        )


def activity_rows(plan: Plan, lo: int, hi: int) -> Iterator[tuple[Any, ...]]:
    for i in range(lo, hi):
        kind = plan.kind(i)
        at = (
            NOW - timedelta(days=45) if kind == "silence_due" else
            NOW - timedelta(days=200) if kind == "long_silent" else
            NOW - timedelta(days=3) if kind == "escalation_due" else
            NOW - timedelta(days=40 + i % 600) if kind == "closed" else NOW - timedelta(hours=1 + i % 20)
        )
        yield (
            i, plan.team(i), i, i, plan.owner(i), "call", f"第{i}次跟进：客户在比较方案", naive(at), "reached", None, None,
            None, None,
        )


def reminder_rows(plan: Plan, lo: int, hi: int) -> Iterator[tuple[Any, ...]]:
    for i in range(lo, hi):
        kind = plan.kind(i)
        state, due, sent, done, escalate, escalated = "pending", NOW + timedelta(days=1 + i % 9), None, None, None, None
        subject_kind: str | None = "opportunity"
        if kind == "closed":
            state, due, done = "done", NOW - timedelta(days=50 + i % 500), NOW - timedelta(days=49 + i % 500)
        elif kind == "long_silent":
            state, due, sent, escalated = "sent", NOW - timedelta(days=150), NOW - timedelta(days=150), NOW - timedelta(days=148)
        elif kind == "reminder_due":
            due = NOW - timedelta(minutes=1)
            if i % 2:
                subject_kind = None  # a personal reminder
        elif kind == "escalation_due":
            state, due, sent = "sent", NOW - timedelta(days=2), NOW - timedelta(days=2)
            escalate = NOW - timedelta(minutes=1)
        yield (
            i, plan.owner(i), plan.team(i), "回访客户", None, naive(due), state, False, subject_kind,
            i if subject_kind else None, naive(NOW - timedelta(days=60)), naive(sent), naive(done), 0, naive(escalate),
            naive(escalated),
        )


TABLES: dict[str, tuple[str, ...]] = {
    "teams": ("id", "name", "timezone", "work_start", "work_end", "work_days", "group_chat_id", "created_at"),
    "users": ("id", "telegram_id", "name", "username", "role", "team_id", "language", "active", "reachable", "created_at"),
    "team_policies": (
        "id", "team_id", "assignment", "allow_self_assign", "threshold", "weights", "handoff_minutes", "recycle_days",
        "pool_claim_limit", "cooloff_days", "industries", "lost_reasons", "rr_cursor", "idle_days",
    ),
    "leads": (
        "id", "team_id", "created_by", "company", "company_key", "contact_name", "phone", "email", "source", "need",
        "need_voice_file_id", "budget", "budget_note", "authority", "timeline", "industry", "region", "product",
        "score", "score_reasons", "status", "related_lead_id", "created_at", "updated_at",
    ),
    "opportunities": (
        "id", "team_id", "lead_id", "title", "owner_id", "stage", "amount_minor", "currency", "expected_close",
        "lost_reason", "lost_note", "last_activity_at", "owner_since", "recycled_from_id", "recycled_at", "pooled_at",
        "claimed_from_pool", "created_at", "updated_at", "silence_level", "silence_check_at",
    ),
    "activities": (
        "id", "team_id", "opportunity_id", "lead_id", "actor_id", "kind", "note", "at", "outcome", "voice_file_id",
        "needs", "next_step", "next_due",
    ),
    "reminders": (
        "id", "user_id", "team_id", "text", "note", "due_at", "state", "explicit", "subject_kind", "subject_id",
        "created_at", "sent_at", "done_at", "snoozes", "escalate_at", "escalated_at",
    ),
}
PER_DEAL = (("leads", lead_rows), ("opportunities", opportunity_rows), ("activities", activity_rows), ("reminders", reminder_rows))


# --- seeding ----------------------------------------------------------------------------------------


def sqlite_value(value: Any) -> Any:
    # As SQLAlchemy's SQLite DATETIME stores it, so that the app's comparisons see the same strings.
    if isinstance(value, datetime | wall):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f" if isinstance(value, datetime) else "%H:%M:%S.%f")
    return value


def seed_sqlite(path: str, plan: Plan) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-400000")

        def put(table: str, rows: Iterator[tuple[Any, ...]]) -> None:
            columns = TABLES[table]
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            conn.executemany(sql, ([sqlite_value(v) for v in row] for row in rows))

        put("teams", teams_rows())
        put("users", users_rows())
        put("team_policies", policy_rows())
        for table, rows in PER_DEAL:
            for lo in range(1, plan.size + 1, CHUNK):
                put(table, rows(plan, lo, min(plan.size + 1, lo + CHUNK)))
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
    finally:
        conn.close()


async def seed_postgres(dsn: str, plan: Plan) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        async def put(table: str, rows: Iterator[tuple[Any, ...]]) -> None:
            records = list(rows)
            await conn.copy_records_to_table(table, records=records, columns=list(TABLES[table]))

        await put("teams", teams_rows())
        await put("users", users_rows())
        await put("team_policies", policy_rows())
        for table, rows in PER_DEAL:
            for lo in range(1, plan.size + 1, CHUNK):
                await put(table, rows(plan, lo, min(plan.size + 1, lo + CHUNK)))
        for table in TABLES:  # the ORM inserts after the seed must not collide with seeded ids
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


# --- measuring --------------------------------------------------------------------------------------


class Counter:
    def __init__(self, app: App) -> None:
        self.statements: list[tuple[str, Any]] = []
        self.on = False
        event.listen(app.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool) -> None:
        if self.on:
            self.statements.append((statement, parameters))


@dataclass
class Measure:
    backend: str
    size: int
    sweep: str
    acted: int
    statements: int
    seconds: float
    plans: dict[str, str] = field(default_factory=dict)


async def plan_of(app: App, backend: str, statement: str, parameters: Any) -> str:
    prefix = "EXPLAIN " if backend == "postgresql" else "EXPLAIN QUERY PLAN "
    async with app.engine.connect() as conn:
        rows = (await conn.exec_driver_sql(prefix + statement, parameters)).all()
    if backend == "postgresql":
        lines = [str(r[0]).strip() for r in rows]
        return " | ".join(line.lstrip("-> ").split("  (")[0] for line in lines if "Scan" in line or "Index" in line)
    return " | ".join(str(r[-1]) for r in rows)


def short(statement: str) -> str:
    text = " ".join(statement.split())
    if text.startswith("SELECT"):
        match = re.search(r"FROM (\w+)", text)
        where = re.search(r"WHERE (.*?)(?: ORDER BY | LIMIT | FOR UPDATE|$)", text)
        condition = where.group(1) if where else ""
        condition = condition if len(condition) <= 90 else condition[:90] + "…"
        return f"SELECT … FROM {match.group(1) if match else '?'} WHERE {condition}"
    return text[:90]


async def measure(app: App, backend: str, size: int, kind: Sweep[Any], counter: Counter) -> Measure:
    await sweep(app.uow, kind, NOW - timedelta(days=3650))  # warm-up: connections, caches; nothing is due then
    counter.statements.clear()
    counter.on = True
    started = time.perf_counter()
    report = await sweep(app.uow, kind, NOW)
    seconds = time.perf_counter() - started
    counter.on = False
    result = Measure(backend, size, kind.name, report.acted, len(counter.statements), seconds)
    if SHOW:
        print(f"  {kind.name}: {len(counter.statements)} statements")
        for statement, _ in counter.statements:
            print("    " + " ".join(statement.split())[:150])
    seen: set[str] = set()
    for statement, parameters in counter.statements:
        if not statement.lstrip().upper().startswith("SELECT") or statement in seen:
            continue
        seen.add(statement)
        result.plans[short(statement)] = await plan_of(app, backend, statement, parameters)
    return result


async def database(backend: str) -> tuple[str, str | None]:
    if backend == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='sweeps-bench-')}/bench.db", None
    return await create_database()


async def run_one(backend: str, size: int, due: int) -> list[Measure]:
    url, pg_name = await database(backend)
    try:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()
        plan = Plan(size=size, due=due)
        started = time.perf_counter()
        if backend == "sqlite":
            await asyncio.to_thread(seed_sqlite, url.removeprefix("sqlite:///"), plan)
        else:
            await seed_postgres(url, plan)
        seeded = time.perf_counter() - started
        rows = size * 4
        print(f"  seeded {size:,} deals ({rows:,} rows: leads, deals, activities, reminders) in {seeded:.1f} s", flush=True)
        settings = Settings(_env_file=None, database_url=url, bot_token=None, redis_url=None)  # type: ignore[call-arg]
        app = build_app(settings, clock=FixedClock())
        try:
            counter = Counter(app)
            return [await measure(app, backend, size, kind, counter) for kind in (REMINDER_SWEEP, SILENCE_SWEEP, ESCALATION_SWEEP)]
        finally:
            await app.close()
    finally:
        if pg_name:
            await drop_database(pg_name)


def report(results: Sequence[Measure], due: int) -> None:
    print()
    print(f"{'backend':<11} {'deals':>10} {'sweep':<20} {'due':>4} {'acted':>5} {'statements':>10} {'per item':>8} {'ms':>9}")
    for m in results:
        print(
            f"{m.backend:<11} {m.size:>10,} {m.sweep:<20} {due:>4} {m.acted:>5} {m.statements:>10} "
            f"{m.statements / max(due, 1):>8.1f} {m.seconds * 1000:>9.1f}"
        )
    print()
    for backend in sorted({m.backend for m in results}):
        largest = max(m.size for m in results if m.backend == backend)
        print(f"Query plans on {backend} at {largest:,} deals:")
        for m in results:
            if m.backend == backend and m.size == largest:
                print(f"  {m.sweep}:")
                for query, plan in m.plans.items():
                    print(f"    {query}\n      -> {plan}")
    counts: dict[tuple[str, str], set[int]] = {}
    for m in results:
        counts.setdefault((m.backend, m.sweep), set()).add(m.statements)
    steady = all(len(v) == 1 for v in counts.values())
    print()
    print("statement counts the same at every size:", "yes" if steady else f"NO {counts}")
    pg = [m for m in results if m.backend == "postgresql" and m.size >= 1_000_000]
    if pg:
        worst = max(m.seconds for m in pg)
        print(f"slowest sweep at 1,000,000 on PostgreSQL: {worst * 1000:.0f} ms ({'under' if worst < 1 else 'OVER'} 1 s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--due", type=int, default=50, help="items due in each sweep's due set")
    parser.add_argument("--show", action="store_true", help="print every statement each sweep ran")
    args = parser.parse_args()
    global SHOW
    SHOW = args.show
    assert all(size >= 10 * args.due for size in args.sizes), "each size must hold the due sets"
    results: list[Measure] = []
    for backend in args.backends:
        for size in args.sizes:
            print(f"{backend}, {size:,} deals:", flush=True)
            results.extend(asyncio.run(run_one(backend, size, args.due)))
    report(results, args.due)
    return 0


if __name__ == "__main__":
    sys.exit(main())
