"""The public pool (公海): deals without an owner, recycling idle deals, claiming them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from domain.audit import audit_event, record, record_all
from domain.deals.access import deal_context, visible_opportunity
from domain.deals.model import DealQuery, Opportunity, PoolPage
from domain.deals.queries import paging
from domain.errors import AlreadyDone, Forbidden
from domain.followup.silence import restart_silence_watch
from domain.handoffs.offering import reasons_param
from domain.leads.model import Lead
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Phrase
from domain.outbox.notify import Notice, moved_on, tell_group, tell_user, tell_users
from domain.outbox.notify import tell_managers as notify_managers
from domain.pool.recycling import recycle_cutoffs, stage_cutoffs
from domain.ports import UnitOfWork
from domain.sweeps import Sweep
from domain.team.model import Role, Team, User
from domain.team.people import managers_of, name_of


async def to_pool(
    uow: UnitOfWork, *, opportunity: Opportunity, lead: Lead, team: Team, now: datetime, why: str,
    actor_id: int | None = None, tell_managers: bool = True,
) -> list[User]:
    """Park the ownerless deal in the team's public pool (公海); its managers are told unless the caller
    tells them itself. Returns the managers concerned."""
    return await to_pool_all(
        uow, [(opportunity, lead)], team=team, now=now, why=why, actor_id=actor_id, tell_managers=tell_managers
    )


async def to_pool_all(
    uow: UnitOfWork, deals: Sequence[tuple[Opportunity, Lead]], *, team: Team, now: datetime, why: str,
    actor_id: int | None = None, tell_managers: bool = True,
) -> list[User]:
    """to_pool() for each deal, in order (a batch of imported leads under the manual policy): recorded,
    and the managers' notices queued, together."""
    assert team.id is not None
    events = []
    for opportunity, _ in deals:
        assert opportunity.id is not None
        had_owner = opportunity.owner_id is not None or opportunity.owner_since is not None
        opportunity.owner_id = None
        opportunity.owner_since = None
        opportunity.pooled_at = now
        opportunity.claimed_from_pool = False
        opportunity.updated_at = now
        if had_owner:
            restart_silence_watch(opportunity)
        events.append(audit_event(
            now=now, action="opportunity.pooled", entity="opportunity", entity_id=opportunity.id,
            actor_id=actor_id, team_id=team.id, after={"why": why},
        ))
    await record_all(uow, events, now=now)
    managers = await managers_of(uow, team.id)
    if tell_managers:  # as tell_managers tells each deal's: every manager (the admins when none)
        await tell_users(uow, [
            (manager.id, Notice(
                Kind.POOLED, about=opportunity.id,
                params={
                    "company": lead.company, "score": lead.score or 0, "reasons": reasons_param(lead),
                    "why": Phrase(f"pool-why-{why}"),
                },
            ))
            for opportunity, lead in deals if opportunity.id is not None
            for manager in managers if manager.id is not None
        ], team_id=team.id, now=now)
    return managers


# --- the public pool (公海) -----------------------------------------------------------------------


class IdleOpportunities:
    """The recycle sweep's source: each team's cutoffs, per stage, come from its own policy and working
    hours (domain/pool/recycling.py)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Opportunity]:
        return await self.uow.opportunities.idle(await recycle_cutoffs(self.uow, now), limit, skip)


async def recycle_opportunity(uow: UnitOfWork, opportunity: Opportunity, now: datetime) -> bool:
    """The sweep's act: an owner who logged nothing until their manager's silence alert had a working
    day (domain/pool/recycling.py) loses the deal to the pool; they and the managers are told. False
    when it is no longer idle or someone acted first."""
    owner_id = opportunity.owner_id
    if owner_id is None or not opportunity.is_open:
        return False
    assert opportunity.id is not None
    lead, team, policy = await deal_context(uow, opportunity)
    idle_days = (now - opportunity.idle_since).days
    cutoff = stage_cutoffs(now, policy, team)[opportunity.stage]
    if not await uow.opportunities.release(opportunity, owner_id=owner_id, cutoff=cutoff, now=now):
        return False
    await record(
        uow, now=now, action="opportunity.recycled", entity="opportunity", entity_id=opportunity.id, actor_id=None,
        team_id=opportunity.team_id, before={"owner_id": owner_id},
        after={"owner_id": None, "idle_days": idle_days, "recycle_days": policy.recycle_days},
    )
    await moved_on(uow, Subject.OPPORTUNITY, opportunity.id, why="opportunity.recycled", now=now)
    await tell_user(uow, owner_id, Notice(
        Kind.RECYCLED_OWNER, about=opportunity.id,
        params={"company": lead.company, "days": idle_days, "cooloff": policy.cooloff_days},
    ), team_id=team.id, now=now)
    owner_name = await name_of(uow, owner_id)
    await notify_managers(uow, team.id or 0, Notice(
        Kind.RECYCLED_MANAGER, about=opportunity.id,
        params={"company": lead.company, "owner": owner_name, "days": idle_days},
    ), now=now, exclude=(owner_id,))
    return True


async def recycle_idle(uow: UnitOfWork, *, now: datetime, limit: int = 100) -> int:
    """Recycle the idle deals (at most `limit`) in this unit of work."""
    recycled = 0
    for opportunity in await IdleOpportunities(uow).due(now, limit):
        if await recycle_opportunity(uow, opportunity, now):
            recycled += 1
    return recycled


RECYCLE_SWEEP: Sweep[Opportunity] = Sweep(name="recycle", source=IdleOpportunities, act=recycle_opportunity)


async def list_pool(
    uow: UnitOfWork, *, viewer: User, page: int = 0, per_page: int = 8, now: datetime
) -> PoolPage:
    """/pool: the team's ownerless open deals, longest waiting first (an admin: every team's)."""
    if not viewer.active or viewer.role is Role.FINANCE:
        raise Forbidden()
    team_id = None if viewer.role is Role.ADMIN else viewer.team_id
    offset, limit = paging(page, per_page)
    return await uow.opportunities.page(DealQuery(team_id=team_id, pool=True), offset, limit)


async def claim_from_pool(uow: UnitOfWork, *, actor: User, opportunity_id: int, now: datetime) -> Opportunity:
    """A rep takes a pool deal with one tap: up to the team's pool_claim_limit open pool deals, never one
    they lost to recycling within cooloff_days; of reps tapping at once exactly one wins."""
    if not actor.active or actor.role is not Role.REP:
        raise Forbidden("error-pool-reps-only")
    assert actor.id is not None
    opportunity = await visible_opportunity(uow, actor, opportunity_id)
    assert opportunity.id is not None
    if not opportunity.in_pool or not opportunity.is_open:
        raise AlreadyDone("error-pool-taken")
    lead, team, policy = await deal_context(uow, opportunity)
    if (
        opportunity.recycled_from_id == actor.id
        and opportunity.recycled_at is not None
        and now < opportunity.recycled_at + timedelta(days=policy.cooloff_days)
    ):
        raise Forbidden("error-pool-cooloff", days=policy.cooloff_days)
    if await uow.opportunities.pool_claims(actor.id) >= policy.pool_claim_limit:
        raise Forbidden("error-pool-limit", limit=policy.pool_claim_limit)
    if not await uow.opportunities.claim(opportunity.id, actor.id, now):
        raise AlreadyDone("error-pool-taken")
    await record(
        uow, now=now, action="opportunity.claimed", entity="opportunity", entity_id=opportunity.id,
        actor_id=actor.id, team_id=opportunity.team_id, before={"owner_id": None},
        after={"owner_id": actor.id, "via": "pool"},
    )
    await moved_on(uow, Subject.OPPORTUNITY, opportunity.id, why="opportunity.claimed", now=now)
    await tell_group(uow, team, Notice(
        Kind.CLAIMED_GROUP, about=opportunity.id, params={"rep": actor.name, "company": lead.company},
    ), now=now)
    return opportunity
