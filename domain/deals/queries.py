"""Deal lists and the deal card."""

from __future__ import annotations

from datetime import datetime

from domain.deals.access import DealAccess, deal_access, deal_context, visible_opportunity
from domain.deals.card import DealCard, actions_for, read_only_actions
from domain.deals.model import DealPage, DealQuery, Stage
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.permissions import Ability, can, in_team, manages_team, sees_whole_team, team_scope
from domain.pool.recycling import recycle_cutoffs
from domain.ports import UnitOfWork
from domain.team.model import Role, Team, User
from domain.team.people import name_of

MAX_PER_PAGE = 50


# --- lists and the card ---------------------------------------------------------------------------


def paging(page: int, per_page: int) -> tuple[int, int]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    return max(0, page) * per_page, per_page


async def list_deals(
    uow: UnitOfWork, *, viewer: User, scope: str, stage: Stage | None = None, waiting: bool = False,
    stale: bool = False, page: int = 0, per_page: int = 8, now: datetime,
) -> DealPage:
    """/deals. "mine": deals the viewer owns or is asked to accept; "team": a manager's team (an admin:
    every team; a rep may not); "captured": deals from leads the viewer captured that someone else
    follows (read-only for them). Open stages unless `stage` asks for one (won and lost included);
    `waiting`: a hand-off is pending; `stale`: silent past the recycle time of its stage, by the rule
    recycling uses (domain/pool/recycling.py)."""
    if not viewer.active:
        raise Forbidden()
    if scope not in ("mine", "team", "captured"):
        raise InvalidInput("error-deals-scope")
    team_id = team_scope(viewer)
    if scope == "team" and not sees_whole_team(viewer):
        raise Forbidden("error-deals-scope")
    query = DealQuery(
        team_id=team_id, mine=viewer.id if scope == "mine" else None, stage=stage, waiting=waiting,
        captured_by=viewer.id if scope == "captured" else None,
        stale_cutoffs=await recycle_cutoffs(uow, now, team_id) if stale else None,
    )
    offset, limit = paging(page, per_page)
    return await uow.opportunities.page(query, offset, limit)


async def deal_card(uow: UnitOfWork, *, viewer: User, opportunity_id: int) -> DealCard:
    """One deal with its lead, team, owner, stage history and what the viewer may do with it.

    Reps see their own deals, the ones waiting for their acceptance and their team's pool, and follow
    the deals they brought in read-only; managers and finance their team's; admins all
    (domain/deals/access.py deal_access)."""
    opportunity = await visible_opportunity(uow, viewer, opportunity_id)
    assert opportunity.id is not None
    pending = await uow.handoffs.pending_for(opportunity.id)
    lead, team, policy = await deal_context(uow, opportunity)
    access = deal_access(viewer, opportunity, lead, pending)
    read_only = access is DealAccess.READ_ONLY
    contract = next(iter(await uow.contracts.for_deal(opportunity.id)), None)
    milestones = tuple(await uow.contracts.milestones(contract.id)) if contract and contract.id else ()
    payments = tuple(await uow.contracts.payments(contract.id)) if contract and contract.id else ()
    return DealCard(
        opportunity=opportunity,
        lead=lead,
        team=team,
        owner_name=await name_of(uow, opportunity.owner_id) if opportunity.owner_id is not None else None,
        history=list(await uow.stage_changes.history(opportunity.id)),
        pending_handoff=pending,
        actions=read_only_actions() if read_only else actions_for(opportunity, viewer=viewer, policy=policy, pending=pending),
        assignee_name=await name_of(uow, pending.to_user_id) if pending is not None else None,
        read_only=read_only,
        contract=contract,
        milestones=milestones,
        payments=payments,
    )


async def captured_followed(uow: UnitOfWork, *, viewer: User) -> int:
    """How many open deals from leads the viewer captured someone else follows: /deals offers its 📥 list
    when there are any."""
    if not viewer.active or sees_whole_team(viewer):
        return 0
    return await uow.opportunities.count(DealQuery(team_id=team_scope(viewer), captured_by=viewer.id))


def offers_team_list(viewer: User) -> bool:
    """/deals opens on the team's list, with a switch to one's own, for those who run a team (managers,
    admins); everyone else sees their own deals."""
    return manages_team(viewer, viewer.team_id)


async def team_of(uow: UnitOfWork, team_id: int) -> Team:
    """The team whose timezone and calendar a deal screen is shown in."""
    team = await uow.teams.get(team_id)
    if team is None:
        raise NotFound("error-not-found")
    return team


async def team_reps(uow: UnitOfWork, *, viewer: User, team_id: int | None = None) -> list[User]:
    """The active reps of the viewer's team (an admin may name another team), for assign buttons."""
    if not can(viewer, Ability.REASSIGN_DEALS):
        raise Forbidden()
    team = team_id if team_id is not None else viewer.team_id
    if not in_team(viewer, team):
        raise Forbidden("error-other-team")
    return list(await uow.users.with_role(team, Role.REP.value))
