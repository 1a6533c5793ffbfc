"""Who may see and act on a deal."""

from __future__ import annotations

from domain.deals.model import Opportunity
from domain.errors import Forbidden, NotFound
from domain.leads.model import Lead
from domain.policy.model import TeamPolicy
from domain.policy.services import get_policy
from domain.ports import UnitOfWork
from domain.team.model import Role, Team, User

# --- access ---------------------------------------------------------------------------------------


def same_team(viewer: User, team_id: int) -> bool:
    return viewer.role is Role.ADMIN or viewer.team_id == team_id


def sees_whole_team(viewer: User) -> bool:
    return viewer.role in (Role.ADMIN, Role.MANAGER, Role.FINANCE)


async def visible_opportunity(uow: UnitOfWork, viewer: User, opportunity_id: int) -> Opportunity:
    if not viewer.active:
        raise Forbidden()
    opportunity = await uow.opportunities.get(opportunity_id)
    if opportunity is None:
        raise NotFound("error-deal-not-found")
    if not same_team(viewer, opportunity.team_id):
        raise Forbidden("error-other-team")
    return opportunity


async def deal_context(uow: UnitOfWork, opportunity: Opportunity) -> tuple[Lead, Team, TeamPolicy]:
    lead = await uow.leads.get(opportunity.lead_id)
    team = await uow.teams.get(opportunity.team_id)
    if lead is None or team is None:
        raise NotFound("error-deal-not-found")
    return lead, team, await get_policy(uow, team_id=opportunity.team_id)


def is_manager_of(actor: User, team_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.role is Role.MANAGER and actor.team_id == team_id)
