"""Who may see and act on a deal, and what a deal comes with (its lead, team and policy)."""

from __future__ import annotations

import enum

from domain.deals.model import Opportunity
from domain.errors import Forbidden, NotFound
from domain.handoffs.model import Handoff
from domain.leads.model import Lead
from domain.permissions import follows_as_capturer, require_team, sees_whole_team
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


class DealAccess(enum.Enum):
    FULL = "full"  # sees it and may act on it as the stage rules and the permissions allow
    READ_ONLY = "read_only"  # sees it and its progress, acts on nothing (the rep who brought it in)


def deal_access(viewer: User, opportunity: Opportunity, lead: Lead, pending: Handoff | None) -> DealAccess:
    """How a person in the deal's team may see it: managers and finance the team's deals (admins all);
    a rep the deals they own, the one a hand-off waits for them to accept and the team's pool; the rep
    who captured its lead follows it read-only. Anyone else: Forbidden."""
    if not viewer.active:
        raise Forbidden()
    if sees_whole_team(viewer):
        return DealAccess.FULL
    offered = pending is not None and pending.to_user_id == viewer.id
    if opportunity.owner_id == viewer.id or offered or opportunity.in_pool:
        return DealAccess.FULL
    if follows_as_capturer(viewer, lead.created_by):
        return DealAccess.READ_ONLY
    raise Forbidden("error-deal-not-yours")


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
