"""The reports' aggregates (domain/reports), computed by the database: GROUP BY, window functions and
indexed ranges, never a Python loop over the rows. The same SQL runs on SQLite and PostgreSQL; where the
two differ (seconds between two moments, the length of a JSON list) a small helper picks the spelling.

Percentiles are nearest-rank (the ceil(p × n)-th smallest), taken with ROW_NUMBER and COUNT windows, so
neither backend needs an ordered-set aggregate.

The breakpoint board is a table of sources, BREAKPOINT_SOURCES: one small query function each, run in
order. A feature adds its row (overdue payments, tickets over SLA) by writing one function and
registering it with `@breakpoint_source("key")`, plus the label `report-bp-<key>` in both locales.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    case,
    cast,
    delete,
    distinct,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.contracts.model import COLLECTING, UNSIGNED, ContractStatus
from domain.deals.model import PIPELINE, Stage
from domain.handoffs.model import HandoffState
from domain.outbox.model import NotificationState
from domain.quotes.model import QuoteStatus, StepState
from domain.reminders.model import ReminderState
from domain.reports.model import (
    FUNNEL_STAGES,
    ActivityCount,
    BreakpointRow,
    CycleTimes,
    Durations,
    Funnel,
    FunnelStage,
    Holder,
    LostLine,
    LostReport,
    Scope,
    Sheet,
    Timeliness,
    Waiting,
    WinRate,
)
from domain.reports.periods import Period
from domain.tickets.model import OPEN as TICKET_OPEN
from domain.worktime import day_bounds, local
from storage.tables import (
    NO_RECORD_SQL,
    SILENT_SQL,
    UNCOVERED_SQL,
    activities,
    audit_events,
    contract_milestones,
    contracts,
    digest_optouts,
    handoffs,
    leads,
    notifications,
    opportunities,
    quote_approvals,
    quotes,
    reminders,
    stage_changes,
    tickets,
    users,
)
from storage.types import UTCDateTime

o, sc, ld, h, a, q, qa, n, r, u = (
    opportunities, stage_changes, leads, handoffs, activities, quotes, quote_approvals, notifications, reminders,
    users,
)
ct, ms, tk = contracts, contract_milestones, tickets
CLOSED = (Stage.WON, Stage.LOST)
HOLDERS_SHOWN = 5
# A deal its owner got this long ago with nothing logged since is "without a follow-up record".
NO_RECORD_AFTER = timedelta(days=1)
ORDER = {stage: index for index, stage in enumerate(FUNNEL_STAGES)}
# A report's sorts on PostgreSQL (set for its transactions only: TUNE).
REPORT_WORK_MEM = "32MB"
# On PostgreSQL a report's statements that do not wait for one another run at once, each on a connection of
# its own, this many at a time per report: the server then works on both cores of a small machine (one
# statement runs on one core, and a parallel plan's workers help only some of them), and one statement's
# round trips overlap another's work. SQLite keeps one connection: its statements take turns.
LANES = 4


def t(at: datetime) -> ColumnElement[Any]:
    """A moment as a bound parameter of the stored type (UTC, naive in the database)."""
    return literal(at, UTCDateTime())


def within(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= t(period.start), column < t(period.end))


def stage_rank(column: Any) -> ColumnElement[Any]:
    return case({stage: index for stage, index in ORDER.items()}, value=column, else_=-1)


# For a report's transactions only, on PostgreSQL: JIT off (it compiles each of these short aggregate queries
# for ~100 ms, more than most take to run), and sorts in memory up to REPORT_WORK_MEM (the whole
# organisation's month sorts ~300,000 stage moves, ~15 MB: past the default 4 MB they spill to temporary
# files). One statement: a round trip per setting would cost each lane's transaction more.
TUNE = text(
    "SELECT set_config('jit', 'off', true), "
    f"set_config('work_mem', '{REPORT_WORK_MEM}', true)"
)


class SqlReports:
    """The reports' aggregates. On PostgreSQL the aggregates read on connections of their own (LANES at a
    time), so they see what is committed, never this session's own writes not yet committed (a report
    only reads); the digest settings and the export read and write on the session."""

    def __init__(self, session: AsyncSession, lanes: int = LANES) -> None:
        self.session = session
        self._tuned = False
        self._closed: dict[tuple[Scope, Period], asyncio.Future[Sequence[Any]]] = {}
        self._turn = asyncio.Lock()
        bind = session.bind
        self._engine = bind if isinstance(bind, AsyncEngine) and self.dialect == "postgresql" and lanes > 1 else None
        self._lanes = asyncio.Semaphore(lanes)

    async def _tune(self) -> None:
        if not self._tuned:
            self._tuned = True
            if self.dialect == "postgresql":
                await self.session.execute(TUNE)

    @property
    def dialect(self) -> str:
        return self.session.bind.dialect.name if self.session.bind else "sqlite"

    def seconds(self, start: Any, end: Any, *, forward: bool = False) -> ColumnElement[Any]:
        """Whole seconds from `start` to `end` (halves rounded away from zero). `forward`: `end` is never
        before `start`, so on PostgreSQL the seconds are counted in floating point (floor(x + 0.5) is the
        same rounding for x >= 0, exactly: x has whole microseconds), a quarter of the stays' CPU less than
        EXTRACT's numeric."""
        if self.dialect == "postgresql":
            if forward:
                return cast(func.floor(func.date_part("epoch", end - start) + 0.5), Integer)
            return cast(func.round(func.extract("epoch", end - start)), Integer)
        return cast(func.round((func.julianday(end) - func.julianday(start)) * 86400.0), Integer)

    def local_date(self, column: Any, offset: timedelta) -> ColumnElement[Any]:
        """The calendar day of a moment at a fixed offset from UTC (the period's time zone at its start)."""
        secs = int(offset.total_seconds())
        if self.dialect == "postgresql":
            return cast(column + func.make_interval(0, 0, 0, 0, 0, 0, secs), Date)
        return func.date(column, f"{secs:+d} seconds")

    def json_length(self, column: Any) -> ColumnElement[Any]:
        return func.json_array_length(column)

    # -- scopes -----------------------------------------------------------------------------------

    @staticmethod
    def deals_in(scope: Scope) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if scope.team_id is not None:
            where.append(o.c.team_id == scope.team_id)
        if scope.owner_id is not None:
            where.append(o.c.owner_id == scope.owner_id)
        return where

    @staticmethod
    def team_in(scope: Scope, column: Any) -> list[ColumnElement[bool]]:
        return [] if scope.team_id is None else [column == scope.team_id]

    @staticmethod
    def moves_in(stmt: Select[Any], scope: Scope, moves: Any = sc) -> Select[Any]:
        """`stmt` over stage moves, limited to the scope's: by the move's own team (no join with the
        deals), and for a rep through the deal's current owner."""
        if scope.team_id is not None:
            stmt = stmt.where(moves.c.team_id == scope.team_id)
        if scope.owner_id is not None:
            stmt = stmt.join(o, o.c.id == moves.c.opportunity_id).where(o.c.owner_id == scope.owner_id)
        return stmt

    async def _rows(self, stmt: Select[Any]) -> Sequence[Any]:
        """A report's aggregate: on a connection of its own (PostgreSQL), or on the session in turn."""
        if self._engine is None:
            async with self._turn:
                return await self._here(stmt)
        async with self._lanes, self._engine.connect() as lane:
            await lane.execute(TUNE)
            return list((await lane.execute(stmt)).all())

    async def _scalar(self, stmt: Select[Any]) -> int:
        rows = await self._rows(stmt)
        return int((rows[0][0] if rows else 0) or 0)

    async def _here(self, stmt: Select[Any]) -> Sequence[Any]:
        """On the session: what must see its own writes (the digest settings), and the export's pages."""
        await self._tune()
        return list((await self.session.execute(stmt)).all())

    async def percentiles(self, sub: Any) -> dict[Any, Durations]:
        """Count, median and p90 of `sub.c.secs` per `sub.c.g` (nearest rank)."""
        if self.dialect == "postgresql":
            # An ordered-set aggregate: one sort per group, no windows. percentile_disc(p) is the
            # ceil(p × n)-th smallest, as below (0.9 × n in floating point rounds to the exact ceiling for
            # every n up to three million at least; tests/test_reports_storage.py checks both databases).
            # Both percentiles from one aggregate (an array of fractions): one sort per group, and `secs`
            # (which may probe an index) evaluated once per row rather than once per percentile.
            from sqlalchemy.dialects.postgresql import array

            both = func.percentile_disc(array([0.5, 0.9])).within_group(sub.c.secs)
            stmt = select(sub.c.g, func.count(), both).group_by(sub.c.g)
            return {
                g: Durations(int(count), *(pair or (None, None))) for g, count, pair in await self._rows(stmt)
            }
        ranked = select(
            sub.c.g, sub.c.secs,
            func.row_number().over(partition_by=sub.c.g, order_by=sub.c.secs).label("rn"),
            func.count().over(partition_by=sub.c.g).label("n"),
        ).subquery()
        stmt = select(
            ranked.c.g, func.max(ranked.c.n),
            func.max(case((ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.secs))),
            func.max(case((ranked.c.rn == (ranked.c.n * 9 + 9) // 10, ranked.c.secs))),
        ).group_by(ranked.c.g)
        return {g: Durations(int(count), median, p90) for g, count, median, p90 in await self._rows(stmt)}

    async def durations(self, secs: ColumnElement[Any], stmt: Select[Any]) -> Durations:
        sub = stmt.add_columns(literal(0).label("g"), secs.label("secs")).subquery()
        return (await self.percentiles(sub)).get(0, Durations())

    # -- the funnel -------------------------------------------------------------------------------

    def closed(self, scope: Scope, period: Period, *columns: Any) -> Select[Any]:
        """`columns` of the scope's deals won or lost in the period: won (lost) now, and moved into won (lost)
        in the period. Found from the period's moves into won or lost (the team's, by index) rather than
        by probing each of the team's closed deals."""
        closing = sc.alias("closing")
        into = select(closing.c.opportunity_id, closing.c.to_stage).where(
            *self.team_in(scope, closing.c.team_id), within(closing.c.at, period), closing.c.to_stage.in_(CLOSED),
        )
        return select(*columns).where(*self.deals_in(scope), o.c.stage.in_(CLOSED), tuple_(o.c.id, o.c.stage).in_(into))

    async def closed_groups(self, scope: Scope, period: Period) -> Sequence[Any]:
        """The deals closed in the period in groups of (stage, source, owner, owner's name, lost reason), with
        their count and amount: the funnel's totals and win rates and the lost reasons are sums over these
        few groups, read once per report."""
        key = (scope, period)
        if key not in self._closed:  # the funnel and the lost reasons, asked at once, read it once
            self._closed[key] = asyncio.ensure_future(self._rows(
                self.closed(
                    scope, period, o.c.stage, ld.c.source, o.c.owner_id, u.c.name, o.c.lost_reason, func.count(),
                    func.coalesce(func.sum(o.c.amount_minor), 0),
                )
                .join(ld, ld.c.id == o.c.lead_id).outerjoin(u, u.c.id == o.c.owner_id)
                .group_by(o.c.stage, ld.c.source, o.c.owner_id, u.c.name, o.c.lost_reason)
            ))
        return await self._closed[key]

    async def funnel(self, scope: Scope, period: Period) -> Funnel:
        # One pass over the period's stage moves: who entered each stage, and who of them went further.
        # A deal converted a stage it entered in the period when a later move, before the period's end,
        # took it to a later stage: such a move lies in the period too, so the highest stage a deal's
        # later moves reach is a window over the period's moves alone (one sort, no probe per move).
        rank = stage_rank(sc.c.to_stage)
        moves = self.moves_in(
            select(
                sc.c.opportunity_id, sc.c.to_stage, rank.label("rank"),
                func.max(rank).over(
                    partition_by=sc.c.opportunity_id, order_by=(sc.c.at.desc(), sc.c.id.desc()), rows=(None, -1),
                ).label("later"),
            ).where(within(sc.c.at, period)), scope,
        ).subquery()
        lead_scope = [*self.team_in(scope, ld.c.team_id)]
        if scope.owner_id is not None:
            lead_scope.append(ld.c.created_by == scope.owner_id)
        won_by_end = exists().where(
            o.c.lead_id == ld.c.id, o.c.stage == Stage.WON,
            exists().where(sc.c.opportunity_id == o.c.id, sc.c.to_stage == Stage.WON, sc.c.at < t(period.end)),
        )
        stage_rows, lead_rows, closed_rows = await asyncio.gather(
            self._rows(
                select(
                    moves.c.to_stage, func.count(distinct(moves.c.opportunity_id)),
                    func.count(distinct(case((moves.c.later > moves.c.rank, moves.c.opportunity_id)))),
                )
                .where(moves.c.to_stage.in_(FUNNEL_STAGES)).group_by(moves.c.to_stage)
            ),
            self._rows(
                select(func.count(), func.coalesce(func.sum(case((won_by_end, 1), else_=0)), 0))
                .where(*lead_scope, within(ld.c.created_at, period))
            ),
            self.closed_groups(scope, period),
        )
        counts = {stage: (int(entered), int(converted)) for stage, entered, converted in stage_rows}
        lead_row = lead_rows[0]
        # One pass over the deals closed in the period, by stage, source and owner; the totals, the win
        # rates by source and by rep are sums over those few groups.
        closed: dict[Any, list[int]] = {}
        sources: dict[str, list[int]] = {}
        reps: dict[Any, tuple[str, list[int]]] = {}
        for stage, source, owner, name, _reason, count, amount in closed_rows:
            slot = 1 if stage == Stage.LOST else 0  # [won, lost]
            total = closed.setdefault(stage, [0, 0])
            total[0] += int(count)
            total[1] += int(amount)
            sources.setdefault(str(source), [0, 0])[slot] += int(count)
            reps.setdefault(owner, (name or "—", [0, 0]))[1][slot] += int(count)
        by_source = [WinRate(source, won, lost) for source, (won, lost) in sources.items()]
        by_rep = [WinRate(name, won, lost, owner) for owner, (name, (won, lost)) in reps.items()]
        return Funnel(
            stages=tuple(
                FunnelStage(stage, *counts.get(stage, (0, 0))) if stage is not Stage.WON
                else FunnelStage(stage, counts.get(stage, (0, 0))[0], 0)
                for stage in FUNNEL_STAGES
            ),
            leads=int(lead_row[0]), leads_won=int(lead_row[1]),
            won=int(closed.get(Stage.WON, (0, 0))[0]), won_amount_minor=int(closed.get(Stage.WON, (0, 0))[1]),
            lost=int(closed.get(Stage.LOST, (0, 0))[0]),
            by_source=tuple(sorted(by_source, key=lambda w: (-(w.won + w.lost), w.key))),
            by_rep=tuple(sorted(by_rep, key=lambda w: (-w.won, -(w.won + w.lost), w.key))),
        )

    # -- cycle times ------------------------------------------------------------------------------

    async def cycle_times(self, scope: Scope, period: Period) -> CycleTimes:
        # A stay in a stage that ended in the period is a stage move in the period (out of `from_stage`),
        # which began at the deal's move before it: the move before in the period (a window), or for a
        # deal's first move in the period one index probe, never the deals' whole history.
        moves = self.moves_in(
            select(
                sc.c.opportunity_id, sc.c.id, sc.c.from_stage, sc.c.at,
                func.lag(sc.c.at).over(partition_by=sc.c.opportunity_id, order_by=(sc.c.at, sc.c.id)).label("prev"),
            ).where(within(sc.c.at, period)), scope,
        ).subquery()
        before = sc.alias("before")
        earlier = (
            select(func.max(before.c.at))
            .where(
                before.c.opportunity_id == moves.c.opportunity_id, before.c.at <= moves.c.at,  # (the index's range)
                or_(before.c.at < moves.c.at, before.c.id < moves.c.id),
            )
            .scalar_subquery()
        )
        in_stage_sub = (
            select(
                moves.c.from_stage.label("g"), self.seconds(func.coalesce(moves.c.prev, earlier), moves.c.at, forward=True).label("secs"),
            )
            .where(moves.c.from_stage.in_(PIPELINE))
        ).subquery()

        # Each lead captured in the period that has a deal (the rep's own, for a rep), and the first contact
        # logged on its deals: looked up per lead by the keys (the planner would rather hash all 1,000,000
        # deals to join 85,000 leads: ~1.2x the CPU); grouped per lead so that the lookup runs once per lead.
        deals_of_lead = [o.c.lead_id == ld.c.id, *([o.c.owner_id == scope.owner_id] if scope.owner_id else [])]
        first_contact = (
            select(func.min(a.c.at)).select_from(o).join(a, a.c.opportunity_id == o.c.id)
            .where(*deals_of_lead, a.c.kind != "note")
            .scalar_subquery()
        )
        firsts = (
            select(ld.c.created_at.label("captured"), func.min(first_contact).label("first"))
            .where(*self.team_in(scope, ld.c.team_id), within(ld.c.created_at, period), exists().where(*deals_of_lead))
            .group_by(ld.c.id, ld.c.created_at)
        ).subquery()
        # One pass: the leads with a first follow-up (group 0, timed) and those without one yet (group 1).
        split = (
            select(
                case((firsts.c.first.is_(None), 1), else_=0).label("g"),
                self.seconds(firsts.c.captured, firsts.c.first).label("secs"),
            ).select_from(firsts)
        ).subquery()

        handoff_scope = [*self.team_in(scope, h.c.team_id)]
        if scope.owner_id is not None:
            handoff_scope.append(h.c.to_user_id == scope.owner_id)
        handoffs_timed = self.durations(
            self.seconds(h.c.requested_at, h.c.decided_at),
            select().select_from(h).where(*handoff_scope, h.c.state == HandoffState.ACCEPTED, within(h.c.decided_at, period)),
        )

        # A quote that needed approval: its first step was asked at submission, its last approval ended it.
        # Only quotes with a step decided in the period can have their last approval in it; the quote
        # itself is read only for a rep's own.
        decided = qa.alias("decided")
        quote_scope = [
            *self.team_in(scope, qa.c.team_id),
            qa.c.quote_id.in_(
                select(decided.c.quote_id).where(*self.team_in(scope, decided.c.team_id), within(decided.c.decided_at, period))
            ),
        ]
        if scope.owner_id is not None:
            quote_scope.append(qa.c.quote_id.in_(select(q.c.id).where(q.c.owner_id == scope.owner_id)))
        approved = (
            select(func.min(qa.c.requested_at).label("asked"), func.max(qa.c.decided_at).label("done"))
            .where(*quote_scope)
            .group_by(qa.c.quote_id)
            .having(func.sum(case((qa.c.state == StepState.APPROVED, 0), else_=1)) == 0)
        ).subquery()
        stays, followed, handoff_accept, quote_approval = await asyncio.gather(
            self.percentiles(in_stage_sub), self.percentiles(split), handoffs_timed,
            self.durations(
                self.seconds(approved.c.asked, approved.c.done),
                select().select_from(approved).where(approved.c.done >= t(period.start), approved.c.done < t(period.end)),
            ),
        )
        in_stage = {Stage(g): d for g, d in stays.items()}
        first_followup, no_followup = followed.get(0, Durations()), followed.get(1, Durations()).count
        return CycleTimes(in_stage, first_followup, no_followup, handoff_accept, quote_approval)

    # -- the breakpoint board ---------------------------------------------------------------------

    async def breakpoints(self, scope: Scope, period: Period, now: datetime) -> list[BreakpointRow]:
        return list(await asyncio.gather(*(query(self, scope, period, now) for _, query in BREAKPOINT_SOURCES)))

    async def board_row(
        self, key: str, open_now: Select[Any], became: Select[Any], *, scope: Scope, period: Period,
        alerts: Sequence[str] | None = None, escalations: Sequence[str] = (),
        escalated: ColumnElement[bool] | None = None,
    ) -> BreakpointRow:
        """One row from `open_now` (columns `holder`, `since`: what is open now) and `became` (one count:
        what became a breakpoint in the period), and the notices of the `alerts` keys (`escalations`
        among them went to a manager or an admin) queued in the period. When one kind of notice goes to
        the holder and to the managers alike, `escalated` (a condition on the notice's row) tells which
        of them were escalations instead."""
        current = open_now.subquery()
        # One pass: per holder, how many and the oldest; the row's totals are the sums over the holders.
        told_now = self._rows(
            select(current.c.holder, u.c.name, func.count(), func.min(current.c.since))
            .outerjoin(u, u.c.id == current.c.holder)
            .group_by(current.c.holder, u.c.name)
        )
        notified = self.notices(
            scope, period, [*alerts, *escalations],
            n.c.notice.in_(escalations or ["-"]) if escalated is None else escalated,
        ) if alerts is not None else None
        groups, became_count, told = await asyncio.gather(told_now, self._scalar(became), _maybe(notified))
        count = sum(int(c) for _, _, c, _ in groups)
        oldest = min((moment for moment in (_parse(since) for _, _, _, since in groups) if moment), default=None)
        ranked = sorted(
            ((holder, name, int(c)) for holder, name, c, _ in groups if holder is not None),
            key=lambda row: (-row[2], row[1] or ""),
        )
        holders = ranked[:HOLDERS_SHOWN]
        return BreakpointRow(
            key=key, now=int(count), period=became_count,
            holders=tuple(Holder(holder, name, int(c)) for holder, name, c in holders),
            oldest=oldest,
            alerted=None if told is None else told[0],
            escalated=None if told is None or scope.owner_id is not None else told[1],
        )

    async def notices(
        self, scope: Scope, period: Period, keys: Sequence[str], escalated: ColumnElement[bool]
    ) -> tuple[int, int]:
        """Notices of `keys` queued in the period (a rep's: those to them), and how many of them were
        escalations (`escalated`, a condition on the notice's row)."""
        where = [
            *self.team_in(scope, n.c.team_id), n.c.notice.in_(keys), within(n.c.created_at, period),
            n.c.state != NotificationState.CANCELLED,
        ]
        if scope.owner_id is not None:
            where.append(n.c.recipient_id == scope.owner_id)
        escalations = func.coalesce(func.sum(case((escalated, 1), else_=0)), 0)
        [row] = await self._rows(select(func.count(), escalations).where(*where))
        return int(row[0]), int(row[1])

    # -- lost reasons -----------------------------------------------------------------------------

    async def lost_reasons(self, scope: Scope, period: Period) -> LostReport:
        # The stage each was lost from: its move into lost in the period.
        # (Each move's deal looked up by its key, as _deal_stage says.)
        deal_stage = _deal_stage(sc.c.opportunity_id, [o.c.owner_id == scope.owner_id] if scope.owner_id else [])
        from_stages = (
            select(sc.c.from_stage, func.count(distinct(sc.c.opportunity_id)))
            .where(
                *self.team_in(scope, sc.c.team_id), deal_stage == Stage.LOST, sc.c.to_stage == Stage.LOST,
                within(sc.c.at, period),
            )
            .group_by(sc.c.from_stage)
        )
        rejected = (
            select(q.c.customer_reason, func.count(), func.coalesce(func.sum(q.c.total_minor), 0))
            .where(
                *self.team_in(scope, q.c.team_id), *([q.c.owner_id == scope.owner_id] if scope.owner_id else []),
                q.c.status == QuoteStatus.REJECTED, within(q.c.decided_at, period),
            )
            .group_by(q.c.customer_reason).order_by(func.count().desc(), q.c.customer_reason)
        )
        closed, by_stage, rejections = await asyncio.gather(
            self.closed_groups(scope, period), self._rows(from_stages), self._rows(rejected),
        )
        # One pass over the deals lost in the period, by reason and owner (the two lists are sums over it).
        reasons: dict[str, list[int]] = {}
        owners: dict[Any, tuple[str, list[int]]] = {}
        for stage, _source, owner, name, reason, count, amount in closed:
            if stage != Stage.LOST:
                continue
            for line in (reasons.setdefault(reason or "", [0, 0]), owners.setdefault(owner, (name or "—", [0, 0]))[1]):
                line[0] += int(count)
                line[1] += int(amount)
        by_reason = sorted(((key, c, m) for key, (c, m) in reasons.items()), key=lambda row: (-row[1], row[0]))
        by_rep = sorted(((name, c, m) for name, (c, m) in owners.values()), key=lambda row: (-row[1], row[0]))
        rank = {stage: index for index, stage in enumerate(PIPELINE)}
        return LostReport(
            by_reason=tuple(LostLine(reason or "", int(c), int(m)) for reason, c, m in by_reason),
            by_stage=tuple(
                LostLine(str(stage or ""), int(c))
                for stage, c in sorted(by_stage, key=lambda row: rank.get(row[0], 99))
            ),
            by_rep=tuple(LostLine(name or "—", int(c), int(m)) for name, c, m in by_rep),
            quote_rejections=tuple(LostLine(reason or "", int(c), int(m)) for reason, c, m in rejections),
        )

    # -- activity ---------------------------------------------------------------------------------

    async def activity(self, scope: Scope, period: Period) -> list[ActivityCount]:
        starts = period.weeks()
        index: ColumnElement[Any] = literal(0)
        if len(starts) > 1:
            index = case(*((a.c.at < t(start), number) for number, start in enumerate(starts[1:])), else_=len(starts) - 1)
        week = index.label("week")
        where = [*self.team_in(scope, a.c.team_id), within(a.c.at, period)]
        if scope.owner_id is not None:
            where.append(a.c.actor_id == scope.owner_id)
        rows = await self._rows(
            select(a.c.actor_id, u.c.name, week, a.c.kind, func.count())
            .join(u, u.c.id == a.c.actor_id)
            .where(*where).group_by(a.c.actor_id, u.c.name, week, a.c.kind)
        )
        return sorted(
            (ActivityCount(int(actor), name, int(wk), str(kind), int(c)) for actor, name, wk, kind, c in rows),
            key=lambda row: (row.name, row.week, row.kind),
        )

    async def timeliness(self, scope: Scope, period: Period, now: datetime) -> list[Timeliness]:
        """Follow-ups (a deal's next steps) due in the period and by now: done before any escalation to
        the manager, or not."""
        on_time = and_(r.c.state == ReminderState.DONE, r.c.escalated_at.is_(None))
        where = [
            *self.team_in(scope, r.c.team_id), r.c.subject_kind == "opportunity", within(r.c.due_at, period),
            r.c.due_at < t(now), r.c.state != ReminderState.CANCELLED,
        ]
        if scope.owner_id is not None:
            where.append(r.c.user_id == scope.owner_id)
        rows = await self._rows(
            select(
                r.c.user_id, u.c.name, func.sum(case((on_time, 1), else_=0)), func.sum(case((on_time, 0), else_=1)),
            )
            .join(u, u.c.id == r.c.user_id).where(*where).group_by(r.c.user_id, u.c.name).order_by(u.c.name)
        )
        return [Timeliness(int(user), name, int(ok), int(late)) for user, name, ok, late in rows]

    # -- digests -----------------------------------------------------------------------------------

    async def waiting(self, team_id: int, now: datetime) -> Waiting:
        [(handoffs,)] = await self._here(
            select(func.count()).select_from(h).where(h.c.team_id == team_id, h.c.state == HandoffState.PENDING)
        )
        [(approvals,)] = await self._here(
            select(func.count()).select_from(qa).where(qa.c.team_id == team_id, qa.c.state == StepState.PENDING)
        )
        return Waiting(int(handoffs), int(approvals))

    async def muted(self, team_id: int, kind: str) -> set[int]:
        rows = await self._here(
            select(digest_optouts.c.user_id).join(u, u.c.id == digest_optouts.c.user_id)
            .where(u.c.team_id == team_id, digest_optouts.c.kind == kind)
        )
        return {int(user_id) for (user_id,) in rows}

    async def muted_kinds(self, user_id: int) -> set[str]:
        rows = await self._here(select(digest_optouts.c.kind).where(digest_optouts.c.user_id == user_id))
        return {str(kind) for (kind,) in rows}

    async def mute(self, user_id: int, kind: str, off: bool) -> None:
        key = and_(digest_optouts.c.user_id == user_id, digest_optouts.c.kind == kind)
        known = (await self.session.execute(select(digest_optouts.c.kind).where(key))).first() is not None
        if off and not known:
            await self.session.execute(insert(digest_optouts).values(user_id=user_id, kind=kind))
        elif not off and known:
            await self.session.execute(delete(digest_optouts).where(key))

    # -- the XLSX export (domain/reports/export.py): pages in id order --------------------------------

    def _export(self, sheet: Sheet, scope: Scope, period: Period) -> Select[Any]:
        if sheet is Sheet.DEALS:
            return (
                select(
                    o.c.id, ld.c.company, o.c.title, u.c.name, o.c.stage, o.c.amount_minor, ld.c.source, o.c.created_at,
                    o.c.lost_reason, o.c.last_activity_at,
                )
                .join(ld, ld.c.id == o.c.lead_id).outerjoin(u, u.c.id == o.c.owner_id)
                .where(*self.deals_in(scope), within(o.c.created_at, period))
            )
        if sheet is Sheet.ACTIVITIES:
            where = [*self.team_in(scope, a.c.team_id), within(a.c.at, period)]
            if scope.owner_id is not None:
                where.append(a.c.actor_id == scope.owner_id)
            return (
                select(
                    a.c.id, a.c.at, u.c.name, a.c.kind, a.c.outcome, ld.c.company, a.c.note, a.c.next_step, a.c.next_due,
                )
                .join(u, u.c.id == a.c.actor_id).outerjoin(o, o.c.id == a.c.opportunity_id)
                .outerjoin(ld, ld.c.id == func.coalesce(o.c.lead_id, a.c.lead_id))
                .where(*where)
            )
        where = [*self.team_in(scope, q.c.team_id), within(q.c.created_at, period)]
        if scope.owner_id is not None:
            where.append(q.c.owner_id == scope.owner_id)
        return (
            select(
                q.c.id, q.c.year, q.c.seq, q.c.version, ld.c.company, u.c.name, q.c.status, q.c.total_minor,
                q.c.discount_bp, q.c.created_at, q.c.submitted_at, q.c.decided_at,
            )
            .join(o, o.c.id == q.c.opportunity_id).join(ld, ld.c.id == o.c.lead_id).join(u, u.c.id == q.c.owner_id)
            .where(*where)
        )

    async def export_page(
        self, sheet: Sheet, scope: Scope, period: Period, after_id: int, limit: int
    ) -> Sequence[tuple[Any, ...]]:
        stmt = self._export(sheet, scope, period)
        key = {Sheet.DEALS: o.c.id, Sheet.ACTIVITIES: a.c.id, Sheet.QUOTES: q.c.id}[sheet]
        page = await self._here(stmt.where(key > after_id).order_by(key).limit(limit))
        if sheet is not Sheet.QUOTES:
            return [tuple(row) for row in page]
        return [(row[0], f"Q-{row[1]}-{row[2]:04d}-v{row[3]}", *row[4:]) for row in page]

    async def export_count(self, sheet: Sheet, scope: Scope, period: Period) -> int:
        [(count,)] = await self._here(select(func.count()).select_from(self._export(sheet, scope, period).subquery()))
        return int(count)


# --- the breakpoint sources -------------------------------------------------------------------------

BreakpointQuery = Callable[[SqlReports, Scope, Period, datetime], Awaitable[BreakpointRow]]
BREAKPOINT_SOURCES: list[tuple[str, BreakpointQuery]] = []


def breakpoint_source(key: str) -> Callable[[BreakpointQuery], BreakpointQuery]:
    """Registers a row of the board (in the order of registration); its label is `report-bp-<key>`."""

    def register(query: BreakpointQuery) -> BreakpointQuery:
        if any(known == key for known, _ in BREAKPOINT_SOURCES):
            raise ValueError(f"breakpoint source {key!r} registered twice")
        BREAKPOINT_SOURCES.append((key, query))
        return query

    return register


def _open_deals() -> ColumnElement[bool]:
    return o.c.stage.not_in(CLOSED)


def _deal_stage(deal_id: Any, where: Sequence[ColumnElement[bool]] = ()) -> ColumnElement[Any]:
    """The stage of the deal `deal_id` (of those matching `where`; NULL otherwise), looked up by its key for
    each row: for the few tens of thousands of rows a report asks about, the planner would rather hash all
    the deals (a join reading 1,000,000 of them, ~1.6-2x the CPU of the lookups)."""
    return select(o.c.stage).where(o.c.id == deal_id, *where).scalar_subquery()


@breakpoint_source("unassigned")
async def unassigned_leads(db: SqlReports, scope: Scope, period: Period, now: datetime) -> BreakpointRow:
    """Deals waiting in the pool with nobody on them (a rep's view: the ones they lost to it)."""
    where = [_open_deals(), o.c.owner_id.is_(None), o.c.pooled_at.is_not(None), *db.team_in(scope, o.c.team_id)]
    if scope.owner_id is not None:
        where.append(o.c.recycled_from_id == scope.owner_id)
    return await db.board_row(
        "unassigned",
        select(literal(None, Integer).label("holder"), o.c.pooled_at.label("since")).where(*where),
        select(func.count()).select_from(o).where(*where, within(o.c.pooled_at, period)),
        scope=scope, period=period,
        alerts=["recycle-old-owner"], escalations=["pipeline-pool-manager", "recycle-manager"],
    )


@breakpoint_source("no_record")
async def deals_without_record(db: SqlReports, scope: Scope, period: Period, now: datetime) -> BreakpointRow:
    """Open deals whose owner got them over a day ago and has logged nothing on them since."""
    got = func.coalesce(o.c.owner_since, o.c.created_at)
    # Open, owned, nothing logged since getting it: spelled as the partial index's predicate (NO_RECORD_SQL).
    where: list[Any] = [*db.deals_in(scope), text(NO_RECORD_SQL), got < t(now - NO_RECORD_AFTER)]
    return await db.board_row(
        "no_record",
        select(o.c.owner_id.label("holder"), got.label("since")).where(*where),
        select(func.count()).select_from(o).where(
            *where, got >= t(period.start - NO_RECORD_AFTER), got < t(period.end - NO_RECORD_AFTER)
        ),
        scope=scope, period=period,
    )


@breakpoint_source("uncovered_needs")
async def proposals_with_uncovered_needs(db: SqlReports, scope: Scope, period: Period, now: datetime) -> BreakpointRow:
    """Live quotes (the latest version, not yet accepted or rejected) that leave some of the deal's needs
    unticked."""
    where = [
        *db.team_in(scope, q.c.team_id), *([q.c.owner_id == scope.owner_id] if scope.owner_id else []),
        db.json_length(q.c.needs) > db.json_length(q.c.covered),
    ]
    # Live (the latest version, not yet accepted or rejected) and short of a need: the partial index's predicate.
    now_where: list[Any] = [
        *db.team_in(scope, q.c.team_id), *([q.c.owner_id == scope.owner_id] if scope.owner_id else []),
        text(UNCOVERED_SQL),
    ]
    return await db.board_row(
        "uncovered_needs",
        select(q.c.owner_id.label("holder"), q.c.created_at.label("since"))
        .where(*now_where, _deal_stage(q.c.opportunity_id).not_in(CLOSED)),
        select(func.count()).select_from(q).where(*where, within(q.c.submitted_at, period)),
        scope=scope, period=period,
    )


@breakpoint_source("slow_approvals")
async def slow_quote_approvals(db: SqlReports, scope: Scope, period: Period, now: datetime) -> BreakpointRow:
    """Approval steps past their SLA: waiting now, and those whose deadline passed in the period before
    anyone decided. The holder is the rep whose quote waits."""
    owner = [q.c.owner_id == scope.owner_id] if scope.owner_id else []
    where = [*db.team_in(scope, qa.c.team_id), *owner, qa.c.due_at.is_not(None)]
    return await db.board_row(
        "slow_approvals",
        select(q.c.owner_id.label("holder"), qa.c.due_at.label("since")).join(q, q.c.id == qa.c.quote_id)
        .where(*where, qa.c.state == StepState.PENDING, qa.c.due_at < t(now)),
        select(func.count()).select_from(qa).join(q, q.c.id == qa.c.quote_id).where(
            *where, within(qa.c.due_at, period), qa.c.due_at < t(now),
            qa.c.state.not_in((StepState.WAITING, StepState.CANCELLED)),
            or_(qa.c.decided_at.is_(None), qa.c.decided_at > qa.c.due_at),
        ),
        scope=scope, period=period,
        alerts=["quote-approval-reminder", "quote-approval-status"], escalations=["quote-approval-escalated"],
    )


@breakpoint_source("slow_contracts")
async def slow_contracts(db: SqlReports, scope: Scope, period: Period, now: datetime) -> BreakpointRow:
    """Contracts not signed by their signing deadline (the team's local day `sign_by`, inclusive), drafts and
    those sent for signature alike, as the signing watch sees them: unsigned now past the deadline, and those
    whose deadline passed in the period before they were signed (a cancelled one no longer counts). The
    holder is the contract's owner; the oldest waits since the end of its last day. The alerts are the
    signing watch's notices (the owner at half the time, then the owner and the managers daily once the
    deadline has passed), the escalations those of them that went to someone other than the owner."""
    today = local(now, period.tz).date()
    offset = local(period.start, period.tz).utcoffset() or timedelta(0)
    where = [*db.team_in(scope, ct.c.team_id), *([ct.c.owner_id == scope.owner_id] if scope.owner_id else [])]
    owner_of_subject = select(ct.c.owner_id).where(ct.c.id == n.c.subject_id).scalar_subquery()
    row = await db.board_row(
        "slow_contracts",
        select(ct.c.owner_id.label("holder"), ct.c.sign_by.label("since"))
        .where(*where, ct.c.status.in_(UNSIGNED), ct.c.sign_by < today),
        select(func.count()).select_from(ct).where(
            *where, ct.c.status != ContractStatus.CANCELLED,
            ct.c.sign_by >= period.first_day, ct.c.sign_by <= period.last_day, ct.c.sign_by < today,
            or_(ct.c.signed_at.is_(None), db.local_date(ct.c.signed_at, offset) > ct.c.sign_by),
        ),
        scope=scope, period=period, alerts=["contract-sign-half", "contract-sign-overdue"],
        escalated=and_(n.c.notice == "contract-sign-overdue", n.c.recipient_id != owner_of_subject),
    )
    if row.oldest is None:
        return row
    return replace(row, oldest=day_bounds(row.oldest.date(), period.tz)[1])


@breakpoint_source("overdue_payments")
async def overdue_payments(db: SqlReports, scope: Scope, period: Period, now: datetime) -> BreakpointRow:
    """Payment milestones of signed contracts past their due day (the team's local day) and not paid in
    full: now, and those due in the period that were not settled by the end of their day. The holder is
    the contract's owner; the oldest is overdue since the morning after its due day. The alerts are the
    reminder cadence's notices to the owner, the escalations those to the managers and finance."""
    today = local(now, period.tz).date()
    offset = local(period.start, period.tz).utcoffset() or timedelta(0)
    where = [*db.team_in(scope, ms.c.team_id), *([ct.c.owner_id == scope.owner_id] if scope.owner_id else [])]
    row = await db.board_row(
        "overdue_payments",
        select(ct.c.owner_id.label("holder"), ms.c.due_on.label("since")).join(ct, ct.c.id == ms.c.contract_id)
        .where(*where, ct.c.status.in_(COLLECTING), ms.c.paid_minor < ms.c.amount_minor, ms.c.due_on < today),
        select(func.count()).select_from(ms).join(ct, ct.c.id == ms.c.contract_id).where(
            *where, ct.c.status.in_((*COLLECTING, ContractStatus.COMPLETED)),
            ms.c.due_on >= period.first_day, ms.c.due_on <= period.last_day, ms.c.due_on < today,
            or_(ms.c.paid_at.is_(None), db.local_date(ms.c.paid_at, offset) > ms.c.due_on),
        ),
        scope=scope, period=period, alerts=["payment-due"], escalations=["payment-overdue"],
    )
    if row.oldest is None:
        return row
    return replace(row, oldest=day_bounds(row.oldest.date(), period.tz)[1])


TICKET_LATE_ACTIONS = tuple(f"ticket.sla.{track}.{stage}" for track in ("response", "resolve") for stage in (2, 3))


@breakpoint_source("late_tickets")
async def late_tickets(db: SqlReports, scope: Scope, period: Period, now: datetime) -> BreakpointRow:
    """Open after-sales tickets past an SLA limit (unanswered past the response limit, or past the
    resolution limit), or whose owner has left (inactive, or moved to another team: nobody holds them):
    now, since the ticket was opened; and the tickets that went past a limit in the period (the SLA
    watch's record of it). The alerts are the owner's 75% nudges, the escalations the managers' notices."""
    owner = u.alias("ticket_owner")
    gone = or_(owner.c.active.is_(False), owner.c.team_id != tk.c.team_id)
    late = or_(and_(tk.c.responded_at.is_(None), tk.c.response_stage >= 2), tk.c.resolve_stage >= 2)
    where = [*db.team_in(scope, tk.c.team_id), *([tk.c.owner_id == scope.owner_id] if scope.owner_id else [])]
    went_late = exists().where(
        audit_events.c.entity == "ticket", audit_events.c.entity_id == tk.c.id,
        audit_events.c.action.in_(TICKET_LATE_ACTIONS), within(audit_events.c.at, period),
    )
    return await db.board_row(
        "late_tickets",
        select(case((gone, literal(None, Integer)), else_=tk.c.owner_id).label("holder"), tk.c.created_at.label("since"))
        .join(owner, owner.c.id == tk.c.owner_id)
        .where(*where, tk.c.status.in_(TICKET_OPEN), or_(late, gone)),
        select(func.count()).select_from(tk).where(*where, went_late),
        scope=scope, period=period,
        alerts=["ticket-response-due", "ticket-resolve-due"], escalations=["ticket-response-late", "ticket-resolve-late"],
    )


@breakpoint_source("late_handoffs")
async def handoffs_not_accepted(db: SqlReports, scope: Scope, period: Period, now: datetime) -> BreakpointRow:
    """Hand-offs whose deadline passed with nobody accepting: waiting now, and those past it in the period
    (expired, or accepted or declined late)."""
    where = [*db.team_in(scope, h.c.team_id), *([h.c.to_user_id == scope.owner_id] if scope.owner_id else [])]
    return await db.board_row(
        "late_handoffs",
        select(h.c.to_user_id.label("holder"), h.c.deadline_at.label("since"))
        .where(*where, h.c.state == HandoffState.PENDING, h.c.deadline_at < t(now)),
        select(func.count()).select_from(h).where(
            *where, within(h.c.deadline_at, period), h.c.deadline_at < t(now),
            or_(
                h.c.state.in_((HandoffState.EXPIRED, HandoffState.PENDING)),
                and_(h.c.state.in_((HandoffState.ACCEPTED, HandoffState.DECLINED)), h.c.decided_at > h.c.deadline_at),
            ),
        ),
        scope=scope, period=period,
        alerts=["handoff-expired-assignee"], escalations=["handoff-expired-manager"],
    )


@breakpoint_source("silent")
async def silent_deals(db: SqlReports, scope: Scope, period: Period, now: datetime) -> BreakpointRow:
    """Open deals past their stage's idle limit (the silence watch nudged the owner): now, and the deals
    nudged in the period."""
    idle_since = func.coalesce(o.c.last_activity_at, o.c.owner_since, o.c.created_at)
    nudged = [
        *db.team_in(scope, n.c.team_id), n.c.subject_kind == "opportunity",
        n.c.notice.in_(("followup-stale-owner", "followup-no-step-owner")), within(n.c.created_at, period),
        n.c.state != NotificationState.CANCELLED,
    ]
    if scope.owner_id is not None:
        nudged.append(n.c.recipient_id == scope.owner_id)
    return await db.board_row(
        "silent",
        select(o.c.owner_id.label("holder"), idle_since.label("since"))
        .where(*db.deals_in(scope), text(SILENT_SQL)),  # open, owned, silent: the partial index's predicate
        select(func.count(distinct(n.c.subject_id))).where(*nudged),
        scope=scope, period=period,
        alerts=["followup-stale-owner", "followup-no-step-owner"],
        escalations=["followup-stale-manager", "followup-escalated-manager"],
    )


async def _maybe(pending: Awaitable[tuple[int, int]] | None) -> tuple[int, int] | None:
    return None if pending is None else await pending


def _parse(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC)  # a day (PostgreSQL's MIN() over a date)
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)  # SQLite's MIN() over a moment: text
    raise TypeError(f"not a moment: {value!r}")


__all__ = ["BREAKPOINT_SOURCES", "SqlReports", "breakpoint_source"]
