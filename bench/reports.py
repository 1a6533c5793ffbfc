"""Reports benchmark: /report over 1,000,000 deals with their history, and a 100,000-row XLSX export.

    .venv/bin/python bench/reports.py                 # 1,000,000 deals on PostgreSQL
    .venv/bin/python bench/reports.py --deals 200000  # smaller

Seeds, entirely inside PostgreSQL (INSERT … SELECT over generate_series: no rows travel to Python),
50 teams of a manager and 20 reps and N deals spread over the last 365 days, each with its lead, its
stage history (about 3.4 per deal: 30% won through every stage, 30% lost from following-up, the rest
open in following-up or proposal), two activities, a hand-off, a follow-up reminder, and for half of
them a quote (a quarter of those with an approval step), a contract for each won deal and for one open
proposal in ten (never signed), with their deadline notices; silence notices for 1 deal in 37.

Then it times what /report asks for (domain/reports/services.compute: the funnel, cycle times, the
breakpoint board, lost reasons, activity and timeliness, all in SQL) for one team's last full month
(target < 1 s) and for the whole organisation's (target < 3 s), each the best of 3 runs after one
warm-up, plus drawing the chart; and an XLSX export of about 100,000 rows (the whole organisation's
latest days, enough of them to reach that) through the same code as 📥 导出 Excel (target < 30 s,
peak memory of the process < 300 MB). Prints the figures and the machine's load.

    .venv/bin/python bench/reports.py --keep                 # seed 1M (5-9 minutes) and keep it
    .venv/bin/python bench/reports.py --url URL --parts      # time again on it, each part of the org's report too

Measured on 2026-11-30, 1,000,000 deals, 2 cores: a team's month 0.25 s, the whole organisation's 2.24 s
(load 2.1-2.7; 2.34 s at load 3.9), the parts run 4 at a time on PostgreSQL (storage/reports_repo.py LANES);
the 95,896-row export 19.7 s, peak RSS 250 MB (15.5 s of this process's CPU, in openpyxl's XML writer).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.pg import create_database, drop_database  # noqa: E402
from bot.charts import draw_report  # noqa: E402
from bot.i18n import catalogue as load_catalogue  # noqa: E402
from domain.reports.export import plan_export  # noqa: E402
from domain.reports.model import Scope, Sheet  # noqa: E402
from domain.reports.periods import PeriodKind, between  # noqa: E402
from domain.reports.services import compute  # noqa: E402
from domain.team.model import Language, Role, User  # noqa: E402
from handlers.report_export import build_xlsx  # noqa: E402
from handlers.report_view import chart_text, summary  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import create_engine, session_factory  # noqa: E402
from storage.reports_repo import SqlReports  # noqa: E402

TEAMS, REPS = 50, 20
TZ = "Asia/Shanghai"

SEED = [
    """INSERT INTO teams (id, name, timezone, work_start, work_end, work_days)
       SELECT g, 'team ' || g, 'Asia/Shanghai', '09:00', '21:00', '012345' FROM generate_series(1, :teams) g""",
    """INSERT INTO users (id, telegram_id, name, role, team_id, active, reachable)
       SELECT (t - 1) * (:reps + 1) + k, 500000 + (t - 1) * (:reps + 1) + k, 'u' || t || '-' || k,
              CASE WHEN k = 1 THEN 'manager' ELSE 'rep' END, t, true, true
       FROM generate_series(1, :teams) t, generate_series(1, :reps + 1) k""",
    """INSERT INTO leads (id, team_id, created_by, company, company_key, source, budget, authority, timeline,
                          score_reasons, status, created_at)
       SELECT i, 1 + i % :teams, (i % :teams) * (:reps + 1) + 2 + (i / :teams) % :reps, 'c' || i, 'c' || i,
              (ARRAY['website', 'event', 'referral', 'cold_call', 'partner'])[1 + i % 5],
              'unknown', 'no', 'unknown', '[]', 'converted',
              CAST(:base AS timestamp) + (i % 365) * interval '1 day' + ((i::bigint * 7919) % 86400) * interval '1 second'
       FROM generate_series(1, :deals) i""",
    """INSERT INTO opportunities (id, team_id, lead_id, title, owner_id, stage, amount_minor, currency,
                                  claimed_from_pool, created_at, owner_since, last_activity_at, silence_level,
                                  lost_reason)
       SELECT l.id, l.team_id, l.id, 'deal ' || l.id, l.created_by,
              CASE WHEN l.id / :teams % 10 < 3 THEN 'won' WHEN l.id / :teams % 10 < 6 THEN 'lost'
                   WHEN l.id / :teams % 10 < 8 THEN 'following_up' ELSE 'proposal' END,
              (l.id % 100 + 1) * 100000, 'CNY', false, l.created_at, l.created_at, l.created_at + interval '2 days',
              CASE WHEN l.id % 37 = 0 AND l.id / :teams % 10 >= 6 THEN 1 ELSE 0 END,
              CASE WHEN l.id / :teams % 10 BETWEEN 3 AND 5 THEN (ARRAY['价格太高', '没预算', '选了竞品'])[1 + l.id % 3] END
       FROM leads l""",
    # The stage history: every deal qualified at creation and into following-up a day later; then by its fate.
    """INSERT INTO stage_changes (opportunity_id, team_id, from_stage, to_stage, actor_id, at, override)
       SELECT o.id, o.team_id, s.from_stage, s.to_stage, o.owner_id, o.created_at + s.after, false
       FROM opportunities o
       CROSS JOIN LATERAL (VALUES
           (CAST(NULL AS varchar), 'qualified', interval '0', true),
           ('qualified', 'following_up', interval '1 day', true),
           ('following_up', 'proposal', interval '3 days', o.id / :teams % 10 < 3 OR o.id / :teams % 10 >= 8),
           ('proposal', 'contract', interval '6 days', o.id / :teams % 10 < 3),
           ('contract', 'won', interval '9 days', o.id / :teams % 10 < 3),
           ('following_up', 'lost', interval '5 days', o.id / :teams % 10 BETWEEN 3 AND 5)
       ) AS s(from_stage, to_stage, after, happened)
       WHERE s.happened""",
    """INSERT INTO activities (team_id, opportunity_id, actor_id, kind, at, outcome)
       SELECT o.team_id, o.id, o.owner_id, s.kind, o.created_at + s.after, 'reached'
       FROM opportunities o
       CROSS JOIN LATERAL (VALUES ('call', interval '4 hours'), ('visit', interval '2 days')) AS s(kind, after)""",
    """INSERT INTO handoffs (team_id, opportunity_id, to_user_id, requested_at, deadline_at, state, decided_at, attempt)
       SELECT team_id, id, owner_id, created_at, created_at + interval '30 minutes', 'accepted',
              created_at + ((id % 40) + 5) * interval '1 minute', 1
       FROM opportunities""",
    """INSERT INTO reminders (user_id, team_id, text, due_at, state, explicit, subject_kind, subject_id, created_at,
                              snoozes, done_at, escalated_at)
       SELECT owner_id, team_id, 'next step', created_at + interval '2 days', 'done', false, 'opportunity', id,
              created_at, 0, created_at + interval '2 days 1 hour',
              CASE WHEN id % 7 = 0 THEN created_at + interval '3 days' END
       FROM opportunities""",
    """INSERT INTO quotes (id, team_id, opportunity_id, owner_id, year, seq, version, status, currency, discount_bp,
                          valid_until, needs, covered, total_minor, submitted_at, decided_at, created_at, expiry_nudged)
       SELECT id, team_id, id, owner_id, 2026, id, 1,
              CASE WHEN stage = 'won' THEN 'accepted' ELSE 'pending' END, 'CNY', (id % 20) * 100,
              (created_at + interval '20 days')::date,
              CAST('["CRM", "培训"]' AS json), CAST(CASE WHEN id % 3 = 0 THEN '[0]' ELSE '[0, 1]' END AS json),
              amount_minor, created_at + interval '3 days',
              CASE WHEN stage = 'won' THEN created_at + interval '4 days' END, created_at + interval '3 days', false
       FROM opportunities WHERE stage IN ('won', 'proposal')""",
    """INSERT INTO quote_approvals (quote_id, team_id, step, level, state, requested_at, due_at, sla_stage, decided_at)
       SELECT id, team_id, 1, 'manager', CASE WHEN status = 'accepted' THEN 'approved' ELSE 'pending' END,
              submitted_at, submitted_at + interval '4 hours', 0,
              CASE WHEN status = 'accepted' THEN submitted_at + interval '6 hours' END
       FROM quotes WHERE id % 4 = 0""",
    # Contracts: every won deal's, signed two days after it was sent (signing deadline six days after sending);
    # one open proposal in ten has one sent and never signed (past its deadline by now, most of them).
    """INSERT INTO contracts (team_id, opportunity_id, quote_id, owner_id, created_by, year, seq, amount_minor, currency,
                             status, sign_by, created_at, sent_at, signed_at, provider, paid_minor, sign_stage)
       SELECT team_id, id, CASE WHEN stage = 'won' THEN id END, owner_id, owner_id, 2026, id, amount_minor, 'CNY',
              CASE WHEN stage = 'won' THEN 'completed' ELSE 'sent' END, (created_at + interval '12 days')::date,
              created_at + interval '6 days', created_at + interval '6 days',
              CASE WHEN stage = 'won' THEN created_at + interval '8 days' END, 'chat',
              CASE WHEN stage = 'won' THEN amount_minor ELSE 0 END, CASE WHEN stage = 'won' THEN 0 ELSE 2 END
       FROM opportunities WHERE stage = 'won' OR (stage = 'proposal' AND id / 500 % 10 = 0)""",
    """INSERT INTO notifications (kind, team_id, recipient_id, chat_id, text, urgent, not_before, dedupe_key, state,
                                  attempts, next_attempt_at, created_at, subject_kind, subject_id, notice)
       SELECT 'contract.signing', team_id, owner_id, 1, '…', false, sign_by + interval '1 day 1 hour',
              'bench:contract:' || id, 'sent', 0, sign_by + interval '1 day 1 hour', sign_by + interval '1 day 1 hour',
              'contract', id, 'contract-sign-overdue'
       FROM contracts WHERE status = 'sent'""",
    """INSERT INTO notifications (kind, team_id, recipient_id, chat_id, text, urgent, not_before, dedupe_key, state,
                                  attempts, next_attempt_at, created_at, subject_kind, subject_id, notice)
       SELECT 'followup.stale', team_id, owner_id, 1, '…', false, last_activity_at + interval '7 days',
              'bench:' || id, 'sent', 0, last_activity_at + interval '7 days', last_activity_at + interval '7 days',
              'opportunity', id, 'followup-stale-owner'
       FROM opportunities WHERE silence_level = 1""",
]


async def seed(engine: Any, deals: int, now: datetime) -> None:
    base = (now - timedelta(days=365)).replace(tzinfo=None)
    params = {"teams": TEAMS, "reps": REPS, "deals": deals, "base": base}
    async with engine.begin() as conn:
        for statement in SEED:
            started = time.perf_counter()
            used = {k: v for k, v in params.items() if f":{k}" in statement}
            result = await conn.execute(text(statement), used)
            print(f"  {statement.split()[2]:<16} {result.rowcount:>10,} rows  {time.perf_counter() - started:6.1f} s")
    # Vacuumed and analysed, as autovacuum keeps a live database (the visibility map lets index-only scans
    # skip the table; a server may have autovacuum off, as a test server does).
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))


async def timed_report(sessions: Any, scope: Scope, period: Any, now: datetime, runs: int = 3) -> tuple[float, Any]:
    best = float("inf")
    report = None
    for attempt in range(runs + 1):
        async with sessions() as session:
            started = time.perf_counter()
            report = await compute(SqlReports(session), scope, period, now, "team 1")
            took = time.perf_counter() - started
        if attempt:  # the first run warms the caches
            best = min(best, took)
    return best, report


async def timed_parts(sessions: Any, scope: Scope, period: Any, now: datetime, runs: int = 3) -> dict[str, float]:
    """Each part of compute() on its own (a fresh session each run, as /report opens one): the best of
    `runs` after a warm-up, to see which dominates."""
    parts: dict[str, Callable[[SqlReports], Awaitable[object]]] = {
        "funnel": lambda r: r.funnel(scope, period),
        "cycle times": lambda r: r.cycle_times(scope, period),
        "breakpoints": lambda r: r.breakpoints(scope, period, now),
        "lost reasons": lambda r: r.lost_reasons(scope, period),
        "activity": lambda r: r.activity(scope, period),
        "timeliness": lambda r: r.timeliness(scope, period, now),
    }
    best = dict.fromkeys(parts, float("inf"))
    for attempt in range(runs + 1):
        async with sessions() as session:
            repo = SqlReports(session)
            for name, part in parts.items():
                started = time.perf_counter()
                await part(repo)
                if attempt:
                    best[name] = min(best[name], time.perf_counter() - started)
    return best


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return _status("VmHWM")


async def export(sessions: Any, t: Any, now: datetime, rows: int) -> tuple[int, int, float, int, int, float]:
    """The whole organisation's latest days, enough of them for about `rows` rows, through build_xlsx."""
    from domain.team.model import Team

    today = now.date()
    admin = User(telegram_id=1, name="admin", role=Role.ADMIN, team_id=1)
    admin.id = 1
    async with sessions() as session:
        repo = SqlReports(session)
        probe = between(today - timedelta(days=29), today, TZ)
        per_day = sum([await repo.export_count(sheet, Scope(None), probe) for sheet in Sheet]) / 30
    days = max(1, round(rows / max(per_day, 1)))
    first: date = today - timedelta(days=days - 1)
    async with sessions() as session:
        repo = SqlReports(session)

        class Teams:
            async def get(self, team_id: int) -> Team:
                return Team(name="team 1", timezone=TZ, id=team_id)

        class Work:
            teams = Teams()
            reports = repo

        plan = await plan_export(Work(), admin, PeriodKind.CUSTOM, now, repo, first=first, last=today, whole_org=True)  # type: ignore[arg-type]
        before = _status("VmRSS")
        started = time.perf_counter()
        pages = 0

        async def progress(done: int) -> None:
            nonlocal pages
            pages += 1

        data, count = await build_xlsx(repo, plan, t, progress)
        return count, days, time.perf_counter() - started, len(data), pages, before


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its URL)")
    parser.add_argument("--url", help="time again on a database an earlier --keep run seeded (with its --deals)")
    parser.add_argument("--parts", action="store_true", help="also time each part of the whole organisation's report")
    parser.add_argument("--no-export", action="store_true", help="skip the XLSX export")
    args = parser.parse_args()

    url, name = (args.url, "") if args.url else await create_database()
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        now = datetime.now(UTC).replace(microsecond=0)
        if not args.url:
            print(f"seeding {args.deals:,} deals in {TEAMS} teams on PostgreSQL ({name})")
            started = time.perf_counter()
            await seed(engine, args.deals, now)
            print(f"  seeded in {time.perf_counter() - started:.0f} s")

        sessions = session_factory(engine)
        today = now.date()
        catalogue = load_catalogue()

        def t(key: str, **params: Any) -> str:
            return str(catalogue.get(Language.ZH, key, **params))

        # The export first, while the process holds nothing else (matplotlib is not imported yet).
        if not args.no_export:
            cpu = time.process_time()
            count, days, took, size, pages, before = await export(sessions, t, now, args.export_rows)
            cpu = time.process_time() - cpu
            print(f"\nXLSX export of {count:,} rows ({days} days, whole organisation; {pages} pages of 2,000)")
            print(f"  {took:6.1f} s (target < 30 s; this process's CPU {cpu:.1f} s), file {size / 1e6:.1f} MB, "
                  f"peak RSS {peak_mb():.0f} MB (RSS before the export {before:.0f} MB; target < 300 MB)")

        last_month_end = today.replace(day=1) - timedelta(days=1)
        month = between(last_month_end.replace(day=1), last_month_end, TZ, PeriodKind.THIS_MONTH)
        print(f"\n/report for {month.first_day} – {month.last_day} (best of 3 after a warm-up)")
        team_s, team_report = await timed_report(sessions, Scope(2), month, now)
        print(f"  one team (≈{args.deals // TEAMS:,} deals):        {team_s * 1000:7.0f} ms   (target < 1,000 ms)")
        org_s, _ = await timed_report(sessions, Scope(None), month, now)
        print(f"  whole organisation ({args.deals:,} deals): {org_s * 1000:7.0f} ms   (target < 3,000 ms)")
        if args.parts:
            parts = await timed_parts(sessions, Scope(None), month, now)
            print("  the whole organisation's parts (each best of 3; the funnel includes the deals closed, which the")
            print("  lost reasons then reuse): " + ", ".join(f"{name} {took * 1000:.0f} ms" for name, took in parts.items()))
        for attempt in ("first (imports matplotlib, loads the font)", "second"):
            started = time.perf_counter()
            text_out = summary(t, Language.ZH, team_report)
            chart = draw_report(chart_text(t, team_report))
            print(f"  summary text + chart PNG, {attempt}: {(time.perf_counter() - started) * 1000:6.0f} ms "
                  f"({len(text_out):,} characters, {len(chart.png):,} bytes)")
        print(f"  team 2's month: {team_report.funnel.leads:,} leads, {team_report.funnel.won:,} won, "
              f"board now {[row.now for row in team_report.board]}; peak RSS now {peak_mb():.0f} MB")
        load = os.getloadavg()
        print(f"\nuptime load: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (1, 5, 15 min)")
    finally:
        await engine.dispose()
        if args.keep or args.url:
            print(f"kept: {url}")
        else:
            await drop_database(name)


if __name__ == "__main__":
    asyncio.run(main())
