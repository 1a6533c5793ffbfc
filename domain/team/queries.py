"""Small read-only questions about a team that the chat needs: which team, in which timezone."""

from __future__ import annotations

from domain.errors import NotFound
from domain.ports import UnitOfWork
from domain.team.model import Team, User


async def team_of(uow: UnitOfWork, team_id: int) -> Team:
    team = await uow.teams.get(team_id)
    if team is None:
        raise NotFound()
    return team


async def own_team(uow: UnitOfWork, user: User) -> Team:
    """The person's own team: its name, timezone and working hours."""
    return await team_of(uow, user.team_id)
