"""Who may see and act on a deal, and what a deal comes with (its lead, team and policy)."""

from __future__ import annotations

from domain.deals.model import Opportunity
from domain.errors import Forbidden, NotFound
from domain.leads.model import Lead
from domain.permissions import require_team
from domain.policy.model import TeamPolicy
from domain.policy.services import get_policy
from domain.ports import UnitOfWork
from domain.team.model import Team, User


async def visible_opportunity(uow: UnitOfWork, viewer: User, opportunity_id: int) -> Opportunity:
    """The deal, if it exists and lies in the viewer's teams; else NotFound or Forbidden."""
    if not viewer.active:
        raise Forbidden()
    opportunity = await uow.opportunities.get(opportunity_id)
    if opportunity is None:
        raise NotFound("error-deal-not-found")
    require_team(viewer, opportunity.team_id)
    return opportunity


async def lead_of(uow: UnitOfWork, opportunity: Opportunity) -> Lead:
    lead = await uow.leads.get(opportunity.lead_id)
    if lead is None:
        raise NotFound("error-deal-not-found")
    return lead


async def deal_context(uow: UnitOfWork, opportunity: Opportunity) -> tuple[Lead, Team, TeamPolicy]:
    lead = await uow.leads.get(opportunity.lead_id)
    team = await uow.teams.get(opportunity.team_id)
    if lead is None or team is None:
        raise NotFound("error-deal-not-found")
    return lead, team, await get_policy(uow, team_id=opportunity.team_id)
