"""What the chat shows of teams and people, read through the ports, with the permission check inside:
a handler asks for "the team of this user" or "a member as this manager may see them", never for a row
by id."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import Forbidden, NotFound
from domain.permissions import Ability, can, require_team
from domain.team.model import Team, User
from domain.team.ports import PeopleWork, TeamsWork


async def own_team(uow: TeamsWork, user: User) -> Team:
    """The team this person belongs to."""
    team = await uow.teams.get(user.team_id)
    if team is None:
        raise NotFound()
    return team


async def teams_to_pick(uow: TeamsWork, actor: User) -> Sequence[Team]:
    """The teams this person may pick from (to invite into, to look at): every team for those who work
    in any team (admins), their own for everyone else."""
    if can(actor, Ability.WORK_IN_ANY_TEAM):
        return await uow.teams.list()
    return [await own_team(uow, actor)]


async def team_in_reach(uow: TeamsWork, actor: User, team_id: int) -> Team:
    """A team whose records this person may see: their own, or any for an admin."""
    require_team(actor, team_id)
    team = await uow.teams.get(team_id)
    if team is None:
        raise NotFound()
    return team


async def member_in_reach(uow: PeopleWork, actor: User, user_id: int) -> User:
    """A member of a team as this manager (or admin) may see them."""
    member = await uow.users.get(user_id)
    if member is None:
        raise NotFound()
    require_team(actor, member.team_id)
    if not can(actor, Ability.MANAGE_TEAM):
        raise Forbidden()
    return member
