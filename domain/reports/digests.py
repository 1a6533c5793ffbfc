"""The report digests, on the digest schedule every team already has (domain/digests.py): claimed once
per team, kind and local day in the same transaction as the messages they queue, so two instances send
one. Each goes to each person who has not switched it off (🔕 on the digest), and nobody hears anything
when there is nothing to say.

- the manager's morning digest, at the start of every working day: yesterday's new leads, hand-offs
  waiting, quotes waiting for approval, the breakpoints open now;
- the manager's weekly review, on Monday morning: last week's funnel against the week before, sent as
  the funnel chart with the numbers as its caption (the picture is drawn when it goes out), and the
  button to the report;
- each rep's own weekly summary, on Monday morning.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from domain.digests import DigestSchedule
from domain.money import Money
from domain.outbox.kinds import Family, Kind
from domain.outbox.model import Action, Actions, Phrase, Picture
from domain.outbox.notify import Notice, tell_user
from domain.permissions import Ability, can
from domain.ports import UnitOfWork
from domain.quotes.text import money_text
from domain.reports.model import BreakpointRow, Funnel, Scope
from domain.reports.periods import Period, between
from domain.team.model import Role, Team, User
from domain.team.people import managers_of

DAILY, WEEKLY, REP_WEEKLY = "report_daily", "report_weekly", "report_rep"
DIGEST_KINDS = (DAILY, WEEKLY, REP_WEEKLY)
MONDAY = frozenset({0})

# Buttons (the bot registers them: handlers/report.py and the lists they open).
OPEN_LAST_WEEK = "report.last_week"
MUTE = "report.mute"  # Action.id: the index of the digest kind in DIGEST_KINDS
MUTE_ID = {kind: index for index, kind in enumerate(DIGEST_KINDS)}
# The weekly review's picture: a team's funnel and stage times over some days (handlers/report.py draws it).
WEEK_CHART = "report-chart"


def week_chart(team_id: int, period: Period) -> Picture:
    return Picture(WEEK_CHART, (str(team_id), period.first_day.isoformat(), period.last_day.isoformat()))


def _board(rows: list[BreakpointRow]) -> list[Phrase]:
    return [Phrase("report-digest-bp", {"label": Phrase(f"report-bp-{row.key}"), "n": row.now}) for row in rows if row.now]


def _signed(value: int) -> str:
    return f"{value:+d}"


def _points(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "—"
    return f"{round((now - before) * 100):+d}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


async def _recipients(uow: UnitOfWork, team: Team, kind: str, people: list[User]) -> list[User]:
    assert team.id is not None
    muted = await uow.reports.muted(team.id, kind)
    return [person for person in people if person.id is not None and person.id not in muted and person.active]


async def _tell(uow: UnitOfWork, people: list[User], notice: Notice, team: Team, now: datetime) -> int:
    queued = 0
    for person in people:
        assert person.id is not None
        if await tell_user(uow, person.id, notice, team_id=team.id, now=now) is not None:
            queued += 1
    return queued


async def compose_daily(uow: UnitOfWork, team: Team, day: date, now: datetime) -> int:
    assert team.id is not None
    managers = await _recipients(uow, team, DAILY, [m for m in await managers_of(uow, team.id) if m.team_id == team.id])
    if not managers:
        return 0
    yesterday = between(day - timedelta(days=1), day - timedelta(days=1), team.timezone)
    scope = Scope(team.id)
    leads = (await uow.reports.funnel(scope, yesterday)).leads
    waiting = await uow.reports.waiting(team.id, now)
    board = _board(await uow.reports.breakpoints(scope, yesterday, now))
    if not (leads or waiting.handoffs or waiting.approvals or board):
        return 0  # nothing to say
    actions: Actions = (
        (Action(Family.STALE.value.action), Action(Family.POOL.value.action), Action(Family.HANDOFFS.value.action)),
        (Action(OPEN_LAST_WEEK), Action(MUTE, MUTE_ID[DAILY])),
    )
    notice = Notice(
        Kind.REPORT_DAILY, about=team.id, refs={"day": day.isoformat()}, actions=actions,
        params={
            "leads": leads, "handoffs_waiting": waiting.handoffs, "approvals_waiting": waiting.approvals,
            "breakpoints": board or [Phrase("report-digest-bp-none")],
        },
    )
    return await _tell(uow, managers, notice, team, now)


def _span(period: Period) -> Phrase:
    first, last = period.first_day, period.last_day
    return Phrase("report-span", {"m1": first.month, "d1": first.day, "m2": last.month, "d2": last.day})


def _week_params(this: Funnel, before: Funnel, week: Period) -> dict[str, Any]:
    return {
        "period": _span(week), "amount": money_text(Money(this.won_amount_minor, "CNY")),
        "leads": this.leads, "leads_change": _signed(this.leads - before.leads),
        "won": this.won, "won_change": _signed(this.won - before.won),
        "rate": _percent(this.win_rate), "rate_change": _points(this.win_rate, before.win_rate),
    }


async def compose_weekly(uow: UnitOfWork, team: Team, day: date, now: datetime) -> int:
    assert team.id is not None
    managers = await _recipients(uow, team, WEEKLY, [m for m in await managers_of(uow, team.id) if m.team_id == team.id])
    if not managers:
        return 0
    week = between(day - timedelta(days=7), day - timedelta(days=1), team.timezone)
    scope = Scope(team.id)
    this, before = await uow.reports.funnel(scope, week), await uow.reports.funnel(scope, week.previous())
    board = _board(await uow.reports.breakpoints(scope, week, now))
    if not (this.leads or this.won or this.lost or before.leads or before.won or board):
        return 0
    notice = Notice(
        Kind.REPORT_WEEKLY, about=team.id, refs={"day": day.isoformat()},
        actions=((Action(OPEN_LAST_WEEK), Action(Family.STALE.value.action)), (Action(MUTE, MUTE_ID[WEEKLY]),)),
        params={
            **_week_params(this, before, week), "breakpoints": board or [Phrase("report-digest-bp-none")],
        },
        picture=week_chart(team.id, week),
    )
    return await _tell(uow, managers, notice, team, now)


async def compose_rep_weekly(uow: UnitOfWork, team: Team, day: date, now: datetime) -> int:
    assert team.id is not None
    reps = await _recipients(uow, team, REP_WEEKLY, list(await uow.users.with_role(team.id, Role.REP.value)))
    week = between(day - timedelta(days=7), day - timedelta(days=1), team.timezone)
    queued = 0
    for rep in reps:
        if not can(rep, Ability.SEE_REPORTS):
            continue
        scope = Scope(team.id, owner_id=rep.id)
        this, before = await uow.reports.funnel(scope, week), await uow.reports.funnel(scope, week.previous())
        touches = sum(row.count for row in await uow.reports.activity(scope, week))
        timely = await uow.reports.timeliness(scope, week, now)
        on_time, late = sum(row.on_time for row in timely), sum(row.late for row in timely)
        board = _board(await uow.reports.breakpoints(scope, week, now))
        if not (this.leads or this.won or this.lost or touches or on_time or late or board):
            continue
        notice = Notice(
            Kind.REPORT_REP_WEEKLY, about=team.id, refs={"day": day.isoformat()},
            actions=((Action(OPEN_LAST_WEEK), Action(MUTE, MUTE_ID[REP_WEEKLY])),),
            params={
                **_week_params(this, before, week), "touches": touches, "on_time": on_time, "late": late,
                "breakpoints": board or [Phrase("report-digest-bp-none")],
            },
        )
        queued += await _tell(uow, [rep], notice, team, now)
    return queued


DAILY_DIGEST = DigestSchedule(kind=DAILY, compose=compose_daily)
WEEKLY_REVIEW = DigestSchedule(kind=WEEKLY, compose=compose_weekly, weekdays=MONDAY)
REP_WEEKLY_SUMMARY = DigestSchedule(kind=REP_WEEKLY, compose=compose_rep_weekly, weekdays=MONDAY)
REPORT_DIGESTS = (DAILY_DIGEST, WEEKLY_REVIEW, REP_WEEKLY_SUMMARY)
