"""Who may see a deal's follow-up."""

from __future__ import annotations

from domain.deals.model import Opportunity
from domain.errors import Forbidden, NotFound
from domain.followup.rules import (
    Visibility,
)
from domain.leads.model import Lead
from domain.ports import UnitOfWork
from domain.team.model import Role, User

# --- access ---------------------------------------------------------------------------------------


def manages(actor: User, team_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.role is Role.MANAGER and actor.team_id == team_id)


async def visible_deal(uow: UnitOfWork, viewer: User, opportunity_id: int) -> Opportunity:
    if not viewer.active:
        raise Forbidden()
    opportunity = await uow.opportunities.get(opportunity_id)
    if opportunity is None:
        raise NotFound("error-deal-not-found")
    if viewer.role is not Role.ADMIN and viewer.team_id != opportunity.team_id:
        raise Forbidden("error-other-team")
    return opportunity


async def lead_of(uow: UnitOfWork, opportunity: Opportunity) -> Lead:
    lead = await uow.leads.get(opportunity.lead_id)
    if lead is None:
        raise NotFound("error-deal-not-found")
    return lead


def visibility_of(viewer: User) -> Visibility:
    """Reps see their own deals, managers and finance their team's, admins everyone's."""
    if viewer.role is Role.ADMIN:
        return Visibility()
    if viewer.role in (Role.MANAGER, Role.FINANCE):
        return Visibility(team_id=viewer.team_id)
    return Visibility(owner_id=viewer.id or -1)
