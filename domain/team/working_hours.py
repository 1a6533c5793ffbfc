"""A team's working hours."""

from __future__ import annotations

from datetime import datetime, time

from domain.audit import record, snapshot
from domain.errors import AlreadyDone, Forbidden, NotFound
from domain.ports import UnitOfWork
from domain.team.model import Team, User
from domain.worktime import validate_working_hours


async def set_working_hours(
    uow: UnitOfWork, *, actor: User, start: time, end: time, days: str, now: datetime
) -> Team:
    """A manager or admin sets their own team's hours (days as weekday digits, Monday = 0)."""
    if not actor.is_manager_or_admin or not actor.active:
        raise Forbidden("error-hours-role")
    team = await uow.teams.get(actor.team_id)
    if team is None:
        raise NotFound()
    start, end, days = validate_working_hours(start, end, days)
    if (team.work_start, team.work_end, team.work_days) == (start, end, days):
        raise AlreadyDone("error-hours-unchanged")
    before = snapshot(team, "work_start", "work_end", "work_days")
    team.work_start, team.work_end, team.work_days = start, end, days
    await record(
        uow, now=now, action="team.working_hours", entity="team", entity_id=team.id, actor_id=actor.id,
        team_id=team.id, before=before, after=snapshot(team, "work_start", "work_end", "work_days"),
    )
    return team
