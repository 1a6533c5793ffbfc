"""Import benchmark: a 10,000-row leads file through the chat, on SQLite and PostgreSQL.

    .venv/bin/python bench/import.py                      # 10,000 rows, both databases
    .venv/bin/python bench/import.py --rows 2000 --backends sqlite

For each database: a fresh, migrated database; a team of a manager and 20 reps (round-robin); a CSV of
`--rows` rows (90% leads that qualify, 5% that go to nurture, 3% duplicates of an earlier row, 2% with a
wrong phone). The manager sends it as a document to the real Dispatcher (a recording bot session, no
network), reads the preview and taps ✅: the import runs as in the bot (batches of 200 through the
capture, scoring, round-robin assignment, held hand-off cards). Printed: the machine's load average
(before and after: the machine may be shared, and the wall time follows it), preview time, import time
and rows/s, this process's CPU for the import (on SQLite that includes the database's own work, on
PostgreSQL the server's is not counted), SQL statements per imported lead, then the outbox run once: how
many messages the reps got for their hand-offs (one digest each, not thousands of cards). Target: the
import under a minute on each database.

To see where the time goes, profile the import step (the press of ✅) on fewer rows, e.g. wrap
`manager.press("✅ 导入")` in cProfile with `--rows 2000 --backends sqlite`; with the GC left on, its
pauses land on whatever runs. Measured that way before the batch path (issue 15): a statement or more per
lead for each of the lead, the deal, its stage change, the hand-off, the card and the webhook lookup, the
reps re-read for every lead, and each card rendered twice; after it, 0.2 statements a lead and the
rendering of the cards as the largest single part.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select  # noqa: E402

from bench.pg import create_database, drop_database  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.factory import App, build_app  # noqa: E402
from bot.outbox import outbox_of  # noqa: E402
from bot.sandbox import Person, RecordingSession, Sandbox  # noqa: E402
from domain.team import onboarding  # noqa: E402
from domain.team.model import Role  # noqa: E402
from storage import migrate  # noqa: E402
from storage.tables import leads, notifications  # noqa: E402

REPS = 20
TEAM = "华东销售部"


def make_csv(rows: int) -> bytes:
    lines = ["姓名,手机,公司名称,来源,需求,预算,时间,是否决策人"]
    for n in range(rows):
        phone = f"139{n:08d}"
        if n % 50 == 49:
            lines.append(f"错号{n},12{n % 1000},错号公司{n},展会,要报价,,,")
        elif n % 33 == 32:
            lines.append(f"重复{n},139{n - 1:08d},客户{n - 1}科技,展会,又来了一次,,,")
        elif n % 20 == 19:
            lines.append(f"培育{n},{phone},培育客户{n}贸易,其他,,,,")
        else:
            lines.append(f"张总{n},{phone},客户{n}科技,展会,想上一套CRM管销售线索,50万,本月上线,是")
    return ("\n".join(lines) + "\n").encode("utf-8")


async def person(app: App, sandbox: Sandbox, name: str, role: Role) -> Person:
    async with app.uow() as uow:
        team = await onboarding.ensure_team(uow, name=TEAM, timezone="Asia/Shanghai", now=app.clock.now())
        assert team.id is not None
        code, _ = await onboarding.create_invite(uow, actor=None, role=role, team_id=team.id, now=app.clock.now())
        await uow.commit()
    who = sandbox.person(name)
    await who.send(f"/start {code}")
    return who


async def run(url: str, label: str, rows: int) -> None:
    engine_app = build_app(Settings(_env_file=None, database_url=url, bot_token=None, redis_url=None,  # type: ignore[call-arg]
                                    throttle_per_second=100000.0), session=RecordingSession())
    app = engine_app
    try:
        await migrate.upgrade(app.engine)
        assert isinstance(app.bot.session, RecordingSession)
        sandbox = Sandbox(dp=app.dp, bot=app.bot, session=app.bot.session)
        manager = await person(app, sandbox, "李经理", Role.MANAGER)
        for n in range(REPS):
            await person(app, sandbox, f"销售{n:02d}", Role.REP)
        data = make_csv(rows)

        started = time.perf_counter()
        await manager.send_document("展会名单.csv", data)
        preview = time.perf_counter() - started
        first = manager.last.text.splitlines()[1]

        statements = 0

        def count(*_: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(app.engine.sync_engine, "before_cursor_execute", count)
        started, cpu = time.perf_counter(), time.process_time()
        await manager.press("✅ 导入")
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        event.remove(app.engine.sync_engine, "before_cursor_execute", count)
        summary = manager.last.text.splitlines()[1]

        async with app.engine.connect() as conn:
            imported = int((await conn.execute(select(func.count()).select_from(leads))).scalar_one())
            cards = int((await conn.execute(select(func.count()).select_from(notifications).where(
                notifications.c.notice == "handoff-card-imported"))).scalar_one())
        before = len(app.bot.session.calls)
        report = await outbox_of(app).run_once()
        to_reps = sum(
            1 for call in app.bot.session.calls[before:]
            if call.chat_id in {p.telegram_id for name, p in sandbox.people.items() if name.startswith("销售")}
        )
        print(f"\n{label}: {rows:,} rows")
        print(f"  preview   {preview:6.1f} s   ({first})")
        print(f"  import    {took:6.1f} s   {rows / took:7.0f} rows/s   ({summary})")
        print(f"            this process's CPU: {cpu:.1f} s, {cpu / max(rows, 1) * 1000:.1f} ms a row")
        print(f"  leads in the database: {imported:,}; SQL statements per imported lead: {statements / max(imported, 1):.1f}")
        print(f"  hand-off cards queued: {cards:,} -> messages to the {REPS} reps: {to_reps} "
              f"(outbox: {report.sent} rows sent, {report.coalesced} inside digests)")
    finally:
        await app.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"machine load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    for backend in args.backends:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                await run(f"sqlite:///{folder}/bench.db", "SQLite", args.rows)
        else:
            url, name = await create_database()
            try:
                await run(url, "PostgreSQL", args.rows)
            finally:
                await drop_database(name)
    print(f"\nmachine load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    asyncio.run(main())
