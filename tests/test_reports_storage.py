"""The report's numbers on a hand-computed month (tests/report_month.py), on SQLite and PostgreSQL.

Period: November 2026 in Asia/Shanghai, i.e. [31 Oct 16:00 UTC, 30 Nov 16:00 UTC)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import literal, select, union_all

from domain.deals.model import Stage
from domain.reports.model import Durations, Holder, LostLine, Scope
from domain.reports.periods import PeriodKind, between
from domain.reports.services import compute
from storage import migrate
from storage.db import create_engine, session_factory
from storage.reports_repo import BREAKPOINT_SOURCES, SqlReports
from storage.tables import opportunities, stage_changes
from tests.conftest import _admin_execute, pg_dsn
from tests.report_month import NOW, TZ, L, Month, N, Seeder, seed_month

DAY, HOUR = 86_400, 3_600
NOVEMBER = between(date(2026, 11, 1), date(2026, 11, 30), TZ)


@pytest.fixture
async def month(db_url: str) -> AsyncIterator[tuple[SqlReports, Month]]:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    sessions = session_factory(engine)
    async with sessions() as session:
        seeded = await seed_month(session)
        await session.commit()
    async with sessions() as session:
        yield SqlReports(session), seeded
    await engine.dispose()


async def test_the_funnel_of_the_month(month: tuple[SqlReports, Month]) -> None:
    repo, m = month
    funnel = await repo.funnel(Scope(m.team_a), NOVEMBER)
    # Qualified: D1, D2, D3, D4 (23:30 on the 30th), D6 (07:30 on the 1st); not D5 (1 Dec local).
    # Converted: D1, D2, D3 reached following-up.
    assert funnel.stage(Stage.QUALIFIED).entered == 5 and funnel.stage(Stage.QUALIFIED).converted == 3
    assert funnel.stage(Stage.FOLLOWING_UP).entered == 3 and funnel.stage(Stage.FOLLOWING_UP).converted == 2
    # D3 entered the proposal stage twice: counted once, and never moved beyond it.
    assert funnel.stage(Stage.PROPOSAL).entered == 2 and funnel.stage(Stage.PROPOSAL).converted == 1
    assert funnel.stage(Stage.CONTRACT).entered == 1 and funnel.stage(Stage.CONTRACT).converted == 1
    assert funnel.stage(Stage.PROPOSAL).conversion == 0.5
    # Leads: L1 L2 L3 L4 L6 and the nurtured one (not L5, nor team B's); one of them is won.
    assert (funnel.leads, funnel.leads_won) == (6, 1)
    assert (funnel.won, funnel.won_amount_minor, funnel.lost) == (1, 10_000_000, 2)
    assert funnel.win_rate == pytest.approx(1 / 3)
    assert {(w.key, w.won, w.lost) for w in funnel.by_source} == {("website", 1, 1), ("referral", 0, 1)}
    assert {(w.key, w.won, w.lost) for w in funnel.by_rep} == {("小王", 1, 1), ("小李", 0, 1)}


async def test_the_funnel_of_one_rep_and_of_the_whole_org(month: tuple[SqlReports, Month]) -> None:
    repo, m = month
    mine = await repo.funnel(Scope(m.team_a, owner_id=m.wang), NOVEMBER)
    assert mine.stage(Stage.QUALIFIED).entered == 3  # D1, D3, D6
    assert (mine.leads, mine.won, mine.lost) == (4, 1, 1)  # L1, L3, L6 and the nurtured one
    org = await repo.funnel(Scope(None), NOVEMBER)
    assert (org.leads, org.won, org.won_amount_minor) == (7, 2, 10_099_900)


async def test_cycle_times_median_and_p90(month: tuple[SqlReports, Month]) -> None:
    repo, m = month
    cycle = await repo.cycle_times(Scope(m.team_a), NOVEMBER)
    # Qualified stays: D2 12h, D1 1d, D3 2d, D6 19d 2.5h (to lost): median the 2nd, p90 the 4th.
    assert cycle.in_stage[Stage.QUALIFIED] == Durations(4, DAY, 19 * DAY + 9_000)
    # Following-up: D3 2d twice, D1 3d, D2 7.5d (21:00 → 09:00).
    assert cycle.in_stage[Stage.FOLLOWING_UP] == Durations(4, 2 * DAY, 7 * DAY + 12 * HOUR)
    assert cycle.in_stage[Stage.PROPOSAL] == Durations(2, DAY, 2 * DAY)  # D3 1d, D1 2d
    assert cycle.in_stage[Stage.CONTRACT] == Durations(1, 2 * DAY, 2 * DAY)
    assert Stage.PAYMENT not in cycle.in_stage
    # First contact: D1 4h, D2 1d (the note before the visit does not count), D3 3d; D4 and D6 none.
    assert cycle.first_followup == Durations(3, DAY, 3 * DAY)
    assert cycle.no_followup == 2
    assert cycle.handoff_accept == Durations(2, 20 * 60, 90 * 60)
    assert cycle.quote_approval == Durations(1, 8 * HOUR, 8 * HOUR)  # Q2 still waits: not counted


async def test_the_breakpoint_board(month: tuple[SqlReports, Month]) -> None:
    repo, m = month
    board = {row.key: row for row in await repo.breakpoints(Scope(m.team_a), NOVEMBER, NOW)}
    assert list(board) == [key for key, _ in BREAKPOINT_SOURCES]
    pool = board["unassigned"]
    assert (pool.now, pool.period, pool.holders, pool.oldest, pool.alerted, pool.escalated) == (1, 1, (), N(21), 2, 1)
    no_record = board["no_record"]
    assert (no_record.now, no_record.period, no_record.oldest) == (1, 1, N(25))
    assert no_record.holders == (Holder(m.li, "小李", 1),)
    needs = board["uncovered_needs"]
    assert (needs.now, needs.period, needs.holders) == (1, 1, (Holder(m.wang, "小王", 1),))
    slow = board["slow_approvals"]
    # Now: Q2's step; in November: Q2's and Q1's admin step (decided two hours late).
    assert (slow.now, slow.period, slow.oldest, slow.alerted, slow.escalated) == (1, 2, N(9, 14), 2, 1)
    late = board["late_handoffs"]
    # Now: D4's (deadline at the period's end, so not November's); November: D2 expired, then accepted late.
    assert (late.now, late.period, late.alerted, late.escalated) == (1, 2, 2, 1)
    assert late.holders == (Holder(m.li, "小李", 1),)
    silent = board["silent"]
    # The cancelled nudge and team B's do not count.
    assert (silent.now, silent.period, silent.oldest, silent.alerted, silent.escalated) == (1, 1, N(16), 2, 1)


async def test_the_board_shows_overdue_payments_and_late_tickets(month: tuple[SqlReports, Month]) -> None:
    repo, m = month
    board = {row.key: row for row in await repo.breakpoints(Scope(m.team_a), NOVEMBER, NOW)}
    money = board["overdue_payments"]
    # Now: HT-1's 3rd (due 28 Nov) and HT-2's (due 20 Oct, overdue since the 21st, local midnight); not the
    # one due today, nor the cancelled contract's, nor team B's. In November: the 2nd, paid at 07:00 the day
    # after (UTC still its due day: the team's day counts), and the 3rd; not the 1st, paid that evening.
    assert (money.now, money.period, money.oldest) == (2, 2, L(10, 21, 0, 0))
    assert set(money.holders) == {Holder(m.wang, "小王", 1), Holder(m.li, "小李", 1)}
    assert (money.alerted, money.escalated) == (3, 1)
    late = board["late_tickets"]
    # Now: T1 (resolution), T2 (response), T3 (its owner left: held by nobody). In November: T1, T4 (once,
    # though past 2x too) and T5 (answered late, then back on track); T2 went late in December.
    assert (late.now, late.period, late.oldest) == (3, 3, N(20))
    assert set(late.holders) == {Holder(m.wang, "小王", 1), Holder(m.li, "小李", 1)}
    assert (late.alerted, late.escalated) == (3, 2)
    # The whole organisation adds team B's.
    org = {row.key: row for row in await repo.breakpoints(Scope(None), NOVEMBER, NOW)}
    assert (org["overdue_payments"].now, org["late_tickets"].now, org["late_tickets"].period) == (3, 4, 4)


async def test_the_board_shows_contracts_not_signed_in_time(month: tuple[SqlReports, Month]) -> None:
    repo, m = month
    board = {row.key: row for row in await repo.breakpoints(Scope(m.team_a), NOVEMBER, NOW)}
    slow = board["slow_contracts"]
    # Now: K1 (sent, due the 20th) and K2 (a draft due 30 October: waiting since local midnight on the
    # 31st); not K5, due today, nor the signed, cancelled or team B's ones. In November: K1, and K3, signed
    # at 07:00 the day after its deadline (UTC still its last day: the team's day counts); not K4, signed
    # that evening, nor K6, cancelled.
    assert (slow.now, slow.period, slow.oldest) == (2, 2, L(10, 31, 0, 0))
    assert set(slow.holders) == {Holder(m.wang, "小王", 1), Holder(m.li, "小李", 1)}
    # The watch's notices in team A: two half-time nudges and K1's deadline to 小王 and to the manager; only
    # the manager's was an escalation (the same notice to the owner is not).
    assert (slow.alerted, slow.escalated) == (4, 1)
    # 小李's own: K2 now, nothing late in November; the half-time nudge she got.
    mine = {row.key: row for row in await repo.breakpoints(Scope(m.team_a, owner_id=m.li), NOVEMBER, NOW)}
    assert (mine["slow_contracts"].now, mine["slow_contracts"].period, mine["slow_contracts"].holders) == (
        1, 0, (Holder(m.li, "小李", 1),),
    )
    assert (mine["slow_contracts"].alerted, mine["slow_contracts"].escalated) == (1, None)
    # The whole organisation adds team B's K7 (its deadline notice went to its owner: no escalation).
    org = {row.key: row for row in await repo.breakpoints(Scope(None), NOVEMBER, NOW)}["slow_contracts"]
    assert (org.now, org.period, org.alerted, org.escalated) == (3, 3, 5, 1)


async def test_a_reps_board_shows_their_own(month: tuple[SqlReports, Month]) -> None:
    repo, m = month
    board = {row.key: row for row in await repo.breakpoints(Scope(m.team_a, owner_id=m.li), NOVEMBER, NOW)}
    assert board["unassigned"].now == 1  # D9 went to the pool from her
    assert board["silent"].now == 0 and board["uncovered_needs"].now == 0
    assert board["late_handoffs"].alerted == 0 and board["late_handoffs"].escalated is None
    money, late = board["overdue_payments"], board["late_tickets"]
    assert (money.now, money.period, money.holders, money.alerted, money.escalated) == (
        1, 0, (Holder(m.li, "小李", 1),), 0, None,
    )
    assert (late.now, late.period, late.holders) == (1, 1, (Holder(m.li, "小李", 1),))  # T2 now, T5 in November


async def test_lost_reasons_and_quote_rejections(month: tuple[SqlReports, Month]) -> None:
    repo, m = month
    lost = await repo.lost_reasons(Scope(m.team_a), NOVEMBER)
    assert set(lost.by_reason) == {LostLine("价格太高", 1, 5_000_000), LostLine("没预算", 1, 0)}
    assert lost.by_stage == (LostLine("qualified", 1), LostLine("following_up", 1))
    assert set(lost.by_rep) == {LostLine("小李", 1, 5_000_000), LostLine("小王", 1, 0)}
    assert lost.quote_rejections == (LostLine("价格太高", 1, 4_000_000),)
    assert lost.total == 2


async def test_activity_by_rep_and_week_and_follow_ups_on_time(month: tuple[SqlReports, Month]) -> None:
    repo, m = month
    # Weeks of November 2026: Sun 1 (0), 2–8 (1), 9–15 (2), 16–22 (3), 23–29 (4), Mon 30 (5).
    assert len(NOVEMBER.weeks()) == 6
    rows = {(row.name, row.week, row.kind): row.count for row in await repo.activity(Scope(m.team_a), NOVEMBER)}
    assert rows == {
        ("小王", 1, "call"): 1, ("小王", 1, "message"): 1, ("小王", 3, "call"): 1,
        ("小李", 1, "note"): 1, ("小李", 1, "visit"): 1,
    }
    timely = {row.name: (row.on_time, row.late) for row in await repo.timeliness(Scope(m.team_a), NOVEMBER, NOW)}
    assert timely == {"小王": (1, 1), "小李": (0, 1)}


async def test_an_empty_period_has_zeros_not_errors(month: tuple[SqlReports, Month]) -> None:
    repo, m = month
    empty = between(date(2025, 1, 1), date(2025, 1, 31), TZ, PeriodKind.CUSTOM)
    report = await compute(repo, Scope(m.team_a), empty, NOW)
    assert all(row.entered == 0 and row.conversion is None for row in report.funnel.stages)
    assert (report.funnel.leads, report.funnel.lead_to_won, report.funnel.win_rate) == (0, None, None)
    assert report.cycle.in_stage == {} and report.cycle.first_followup == Durations()
    assert all(row.period == 0 for row in report.board)
    assert report.breakpoint("silent").now == 1  # what is open now is open whatever the period
    assert report.lost.total == 0 and report.activity == () and report.timeliness == ()


async def test_the_report_is_the_same_read_at_once_or_one_statement_at_a_time(
    month: tuple[SqlReports, Month],
) -> None:
    repo, m = month
    for scope in (Scope(m.team_a), Scope(None), Scope(m.team_a, owner_id=m.wang)):
        at_once = await compute(repo, scope, NOVEMBER, NOW)
        in_turn = await compute(SqlReports(repo.session, lanes=1), scope, NOVEMBER, NOW)
        assert at_once == in_turn


async def test_percentiles_are_nearest_rank_on_both_databases(month: tuple[SqlReports, Month]) -> None:
    repo, _ = month
    # 70 stays of 1..70 seconds (group 0) and 4 of 10..40 (group 1): the median is the ceil(n/2)-th smallest,
    # the 90th percentile the ceil(0.9 n)-th (PostgreSQL's percentile_disc, and SQLite's ranks alike).
    rows = [(0, secs) for secs in range(70, 0, -1)] + [(1, secs) for secs in (40, 10, 30, 20)]
    sub = union_all(*(select(literal(g).label("g"), literal(secs).label("secs")) for g, secs in rows)).subquery()
    assert await repo.percentiles(sub) == {0: Durations(70, 35, 63), 1: Durations(4, 20, 40)}


@pytest.fixture
async def empty_db(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'before.db'}"
        return
    name = f"loopbot_before_{uuid.uuid4().hex[:10]}"
    await _admin_execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_dsn(name)
    finally:
        await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_stage_moves_written_before_0017_get_their_deals_team(empty_db: str) -> None:
    engine = create_engine(empty_db)
    try:
        await migrate.upgrade(engine, "0016")
        async with session_factory(engine)() as session:
            s = Seeder(session)
            a, b = await s.team("华东"), await s.team("华南")
            moves = {}
            for team in (a, b):
                rep = await s.user(f"rep{team}", "rep", team)
                lead = await s.lead(team, rep, "website", N(2))
                deal = await s.add(
                    opportunities, team_id=team, lead_id=lead, title="deal", owner_id=rep, stage="qualified",
                    currency="CNY", claimed_from_pool=False, created_at=N(2),
                )
                moves[team] = await s.add(
                    stage_changes, opportunity_id=deal, from_stage=None, to_stage="qualified", actor_id=rep, at=N(2),
                    override=False,
                )
            await session.commit()
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            found = dict((await conn.execute(select(stage_changes.c.id, stage_changes.c.team_id))).all())
        assert found == {moves[a]: a, moves[b]: b}
    finally:
        await engine.dispose()
