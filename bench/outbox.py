"""Outbox benchmark: a backlog of notifications through a fake Bot API server that enforces the caps.

    .venv/bin/python bench/outbox.py                 # 10,000 rows to 1,000 chats, SQLite
    .venv/bin/python bench/outbox.py --postgres      # the same on PostgreSQL (BENCH_POSTGRES_URL)
    .venv/bin/python bench/outbox.py --rate 30 --private 1 --rows 3000   # Telegram's real caps
    .venv/bin/python bench/outbox.py --later 20000   # beside 20,000 rows due over the next week

The fake server runs in its own process, so its arrival times are not disturbed by the dispatcher's
load; it answers 429 whenever a message would exceed a cap. Printed: the achieved rate as a fraction
of the global cap (between the first and the last delivery, and over the whole run), the 429s the
dispatcher received, limit violations counted from the server's own records, and the delay from due
to sent (p50/p99; everything is due at the start, so this is the backlog's queueing time), and the
dispatcher's CPU per row sent. With --later N, N more pending rows are due over the next week: none of them
may go, and they should not cost the claims anything (compare the CPU with --later 0).
Exit status 1 when the rate is under 95% of the cap or anything was over a cap or lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import SecretStr  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bench.pg import create_database, drop_database  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.factory import build_app  # noqa: E402
from bot.outbox import Limits, OutboxDispatcher, window  # noqa: E402
from storage import migrate  # noqa: E402
from storage.tables import notifications  # noqa: E402
from tests.fakeapi import Cap, _over  # noqa: E402

TOKEN = "123456:AAHbenchSecretNotReal0123456789abcd"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=1_000)
    parser.add_argument("--groups", type=int, default=50, help="how many of the chats are groups")
    parser.add_argument("--rate", type=float, default=300.0, help="global cap, messages per second")
    parser.add_argument("--private", type=float, default=10.0, help="per private chat, messages per second")
    parser.add_argument("--group-per-minute", type=float, default=200.0, help="per group, messages per minute")
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL instead of SQLite")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--later", type=int, default=0,
        help="also this many pending rows due over the next week (reminders, held cards): never sent here, "
             "they must not slow the claims down",
    )
    return parser.parse_args()


async def start_server(limits: Limits) -> tuple[asyncio.subprocess.Process, str]:
    def spec(cap: Cap | object) -> str:
        assert isinstance(cap, Cap)
        return f"{cap.limit}/{cap.seconds}"

    caps = [Cap(w.limit, w.seconds) for w in (limits.overall, limits.private, limits.group)]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakeapi", "--token", TOKEN, "--global", spec(caps[0]),
        "--private", spec(caps[1]), "--group", spec(caps[2]), "--priority",
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
    assert line.startswith("PORT "), line
    return process, f"http://127.0.0.1:{int(line.split()[1])}"


async def database(postgres: bool) -> tuple[str, str | None]:
    if not postgres:
        return f"sqlite:///{tempfile.mkdtemp(prefix='outbox-bench-')}/bench.db", None
    return await create_database()


def fetch(base: str, path: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:
        rows: list[dict[str, Any]] = json.loads(response.read())
        return rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def bench(args: argparse.Namespace) -> int:
    limits = Limits(
        overall=window(args.rate, 1.0), private=window(args.private, 1.0), group=window(args.group_per_minute, 60.0)
    )
    server, base = await start_server(limits)
    try:
        return await run(args, limits, base)
    finally:
        assert server.stdin is not None
        server.stdin.close()  # the server exits when its stdin closes
        await server.wait()


async def run(args: argparse.Namespace, limits: Limits, base: str) -> int:
    url, pg_name = await database(args.postgres)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url, bot_token=SecretStr(TOKEN), telegram_api_base=base, redis_url=None,
        rate_global_per_second=args.rate, rate_private_per_second=args.private,
        rate_group_per_minute=args.group_per_minute,
    )
    app = build_app(settings)
    try:
        await migrate.upgrade(app.engine)
        rng = random.Random(args.seed)
        chats = [-(1_000_000 + c) if c < args.groups else 1_000_000 + c for c in range(args.chats)]
        now = datetime.now(UTC)
        rows = [
            {
                "kind": "bench", "chat_id": rng.choice(chats), "text": f"<b>提醒</b> #{i}: 客户回访 &amp; 报价",
                "urgent": False, "not_before": now, "dedupe_key": f"bench:{i}", "state": "pending", "attempts": 0,
                "next_attempt_at": now, "created_at": now,
            }
            for i in range(args.rows)
        ]
        rows += [
            {
                "kind": "bench", "chat_id": rng.choice(chats), "text": f"later #{i}", "urgent": False,
                "not_before": now, "dedupe_key": f"bench-later:{i}", "state": "pending", "attempts": 0,
                "next_attempt_at": now + timedelta(hours=1 + rng.random() * 24 * 7), "created_at": now,
            }
            for i in range(args.later)
        ]
        async with app.engine.begin() as conn:
            for start in range(0, len(rows), 2000):
                await conn.execute(insert(notifications), rows[start : start + 2000])

        outbox = OutboxDispatcher(app, limits=limits)
        started = time.monotonic()
        cpu = time.process_time()
        report = await outbox.run_once()
        cpu = time.process_time() - cpu
        elapsed = time.monotonic() - started

        async with app.engine.connect() as conn:
            result = await conn.execute(
                select(notifications.c.state, notifications.c.not_before, notifications.c.sent_at)
                .where(notifications.c.next_attempt_at <= now)
            )
            db_rows = result.all()
            later_sent = (
                await conn.execute(
                    select(func.count()).select_from(notifications)
                    .where(notifications.c.next_attempt_at > now, notifications.c.state != "pending")
                )
            ).scalar_one()
    finally:
        await app.close()
        if pg_name:
            await drop_database(pg_name)

    records = fetch(base, "/_fake/records")
    ok = [r for r in records if r["outcome"] == "ok"]
    times = [r["at"] for r in ok]
    span = max(times) - min(times) if len(times) > 1 else float("nan")
    cap = limits.overall.limit / limits.overall.seconds
    rate = (len(ok) - 1) / span if span else float("nan")
    violations = _over(times, Cap(limits.overall.limit, limits.overall.seconds))
    by_chat: dict[int, list[float]] = {}
    for r in ok:
        by_chat.setdefault(r["chat_id"], []).append(r["at"])
    for chat_id, chat_times in by_chat.items():
        w = limits.chat_window(chat_id)
        violations += _over(chat_times, Cap(w.limit, w.seconds))
    delays = [(row.sent_at - row.not_before).total_seconds() for row in db_rows if row.sent_at is not None]
    lost = sum(1 for row in db_rows if getattr(row.state, "value", row.state) != "sent")
    refused = [r for r in records if r["outcome"] == "rate_limited"]
    rate_limited = len(refused)
    # Which cap the server was holding the line on when it refused: the whole bot's, or the chat's.
    refused_global = sum(
        1 for r in refused
        if sum(1 for t in times if r["at"] - limits.overall.seconds < t <= r["at"]) >= limits.overall.limit
    )

    print(f"outbox bench: {args.rows} notifications to {args.chats} chats ({args.groups} groups) on "
          f"{'PostgreSQL' if args.postgres else 'SQLite'}"
          + (f", beside {args.later} pending rows due later" if args.later else ""))
    print(f"caps: {cap:g}/s global, {args.private:g}/s per private chat, {args.group_per_minute:g}/min per group")
    print(f"delivered:        {len(ok)} messages, {report.sent} rows sent, {lost} rows not sent")
    print(f"achieved rate:    {rate:.1f}/s = {rate / cap:.1%} of the cap (first to last delivery)")
    print(f"whole run:        {elapsed:.2f} s = {len(ok) / elapsed / cap:.1%} of the cap (claims and start-up included)")
    print(f"429s received:    {report.rate_limited} (server refused {rate_limited} over a cap: "
          f"{refused_global} global, {rate_limited - refused_global} per chat)")
    print(f"limit violations: {violations} (sliding windows over the server's records)")
    print(f"delay due->sent:  p50 {statistics.median(delays):.2f} s, p99 {percentile(delays, 0.99):.2f} s")
    print(f"dispatcher CPU:   {cpu:.2f} s = {cpu / max(1, report.sent) * 1000:.2f} ms per row sent"
          + (f"; rows due later touched: {later_sent}" if args.later else ""))
    good = rate / cap >= 0.95 and violations == 0 and lost == 0 and len(ok) == args.rows and later_sent == 0
    print("target (>= 95% of cap, zero violations, nothing lost):", "met" if good else "NOT met")
    return 0 if good else 1


def main() -> int:
    return asyncio.run(bench(parse_args()))


if __name__ == "__main__":
    sys.exit(main())
