"""Building a report for the person asking: a manager sees the team, an admin any team or the whole
organisation, a rep their own deals; the numbers come from the ReportRepo port in a handful of queries."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Protocol

from domain.errors import Forbidden, NotFound
from domain.permissions import Ability, can, require, require_team
from domain.reports.digests import DAILY, REP_WEEKLY, WEEKLY
from domain.reports.model import LostReport, Report, Scope
from domain.reports.periods import Period, PeriodKind, between, period_of
from domain.reports.ports import ReportRepo
from domain.team.model import Role, Team, User
from domain.team.ports import TeamRepo


class ReportsWork(Protocol):
    @property
    def teams(self) -> TeamRepo: ...
    @property
    def reports(self) -> ReportRepo: ...


def scope_for(viewer: User, *, team_id: int | None, whole_org: bool = False) -> Scope:
    """Whose numbers this person may see: reps their own, managers their team, admins any team or all."""
    require(viewer, Ability.SEE_REPORTS)
    if not can(viewer, Ability.SEE_TEAM_REPORTS):
        return Scope(team_id=viewer.team_id, owner_id=viewer.id)
    if whole_org:
        require(viewer, Ability.WORK_IN_ANY_TEAM)
        return Scope(team_id=None)
    chosen = viewer.team_id if team_id is None else team_id
    require_team(viewer, chosen)
    return Scope(team_id=chosen)


async def compute(repo: ReportRepo, scope: Scope, period: Period, now: datetime, title: str = "") -> Report:
    # The parts are asked for at once: the repo may work on several at a time (ReportRepo).
    funnel, cycle, board, lost, activity, timeliness = await asyncio.gather(
        repo.funnel(scope, period), repo.cycle_times(scope, period), repo.breakpoints(scope, period, now),
        repo.lost_reasons(scope, period), repo.activity(scope, period), repo.timeliness(scope, period, now),
    )
    return Report(
        period=period, scope=scope, title=title, funnel=funnel, cycle=cycle, board=tuple(board), lost=lost,
        activity=tuple(activity), timeliness=tuple(timeliness),
    )


async def build_report(
    uow: ReportsWork, viewer: User, kind: PeriodKind, now: datetime, *,
    first: date | None = None, last: date | None = None, team_id: int | None = None, whole_org: bool = False,
) -> Report:
    scope = scope_for(viewer, team_id=team_id, whole_org=whole_org)
    team: Team | None = await uow.teams.get(scope.team_id if scope.team_id is not None else viewer.team_id)
    tz = team.timezone if team is not None else "Asia/Shanghai"
    period = period_of(kind, now, tz, first, last)
    title = "" if scope.whole_org or team is None else team.name
    return await compute(uow.reports, scope, period, now, title)


async def chart_report(uow: ReportsWork, team_id: int, first: date, last: date) -> Report:
    """What a team's chart needs for some days (the weekly review's picture): the funnel and the time in
    each stage, nothing else."""
    team = await uow.teams.get(team_id)
    if team is None:
        raise NotFound()
    period, scope = between(first, last, team.timezone), Scope(team_id)
    funnel, cycle = await asyncio.gather(uow.reports.funnel(scope, period), uow.reports.cycle_times(scope, period))
    return Report(
        period=period, scope=scope, title=team.name,
        funnel=funnel, cycle=cycle, board=(), lost=LostReport((), (), (), ()),
    )


def digests_for(user: User) -> tuple[str, ...]:
    """The report digests this person gets (each can be switched off): managers the team's daily digest
    and weekly review, reps their own weekly summary."""
    if user.role is Role.MANAGER:
        return (DAILY, WEEKLY)
    if user.role is Role.REP:
        return (REP_WEEKLY,)
    return ()


class DigestWork(Protocol):
    @property
    def reports(self) -> ReportRepo: ...


async def digest_settings(uow: DigestWork, user: User) -> dict[str, bool]:
    """Each of this person's digests: on (True) or switched off."""
    assert user.id is not None
    off = await uow.reports.muted_kinds(user.id)
    return {kind: kind not in off for kind in digests_for(user)}


async def switch_digest(uow: DigestWork, user: User, kind: str, on: bool) -> None:
    if kind not in digests_for(user):
        raise Forbidden("error-report-digest")
    assert user.id is not None
    await uow.reports.mute(user.id, kind, off=not on)
