"""Opportunities (商机): lists and cards, stage changes, the confirmed hand-off (accept, decline, missed
deadline, reassignment) and the public pool (recycling idle deals, claiming them)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.model import Role, Team, User
from domain.notifications import OutboxMessage, Phrase
from domain.pipeline import (
    CLOSED,
    DealCard,
    DealPage,
    DealQuery,
    Handoff,
    HandoffState,
    Lead,
    Opportunity,
    PoolPage,
    Stage,
    TeamPolicy,
)
from domain.ports import UnitOfWork
from domain.services.assigning import (
    decline_reason_param,
    earlier_assignees,
    get_policy,
    managers_of,
    name_of,
    offer,
    to_pool,
)
from domain.services.audit import record, snapshot
from domain.services.leads import rep_skills, set_rep_skills, update_policy
from domain.stages import check_transition, moves_for, next_stage
from domain.sweeps import Sweep

MAX_PER_PAGE = 50
MAX_REASON = 300
MAX_LOST_NOTE = 500
DEFAULT_RECYCLE_DAYS = TeamPolicy(team_id=0).recycle_days


# --- access ---------------------------------------------------------------------------------------


def _same_team(viewer: User, team_id: int) -> bool:
    return viewer.role is Role.ADMIN or viewer.team_id == team_id


def _sees_whole_team(viewer: User) -> bool:
    return viewer.role in (Role.ADMIN, Role.MANAGER, Role.FINANCE)


async def _opportunity(uow: UnitOfWork, viewer: User, opportunity_id: int) -> Opportunity:
    if not viewer.active:
        raise Forbidden()
    opportunity = await uow.opportunities.get(opportunity_id)
    if opportunity is None:
        raise NotFound("error-deal-not-found")
    if not _same_team(viewer, opportunity.team_id):
        raise Forbidden("error-other-team")
    return opportunity


async def _context(uow: UnitOfWork, opportunity: Opportunity) -> tuple[Lead, Team, TeamPolicy]:
    lead = await uow.leads.get(opportunity.lead_id)
    team = await uow.teams.get(opportunity.team_id)
    if lead is None or team is None:
        raise NotFound("error-deal-not-found")
    return lead, team, await get_policy(uow, team_id=opportunity.team_id)


def _is_manager_of(actor: User, team_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.role is Role.MANAGER and actor.team_id == team_id)


# --- lists and the card ---------------------------------------------------------------------------


def _paging(page: int, per_page: int) -> tuple[int, int]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    return max(0, page) * per_page, per_page


async def _stale_cutoffs(uow: UnitOfWork, team_id: int | None, now: datetime) -> tuple[dict[int, datetime], datetime]:
    if team_id is not None:
        policy = await get_policy(uow, team_id=team_id)
        return {team_id: now - timedelta(days=policy.recycle_days)}, now - timedelta(days=policy.recycle_days)
    cutoffs = {p.team_id: now - timedelta(days=p.recycle_days) for p in await uow.policies.all()}
    return cutoffs, now - timedelta(days=DEFAULT_RECYCLE_DAYS)


async def list_deals(
    uow: UnitOfWork, *, viewer: User, scope: str, stage: Stage | None = None, waiting: bool = False,
    stale: bool = False, page: int = 0, per_page: int = 8, now: datetime,
) -> DealPage:
    """/deals. "mine": deals the viewer owns or is asked to accept; "team": a manager's team (an admin:
    every team; a rep may not). Open stages unless `stage` asks for one (won and lost included);
    `waiting`: a hand-off is pending; `stale`: no activity for the team's recycle_days."""
    if not viewer.active:
        raise Forbidden()
    if scope not in ("mine", "team"):
        raise InvalidInput("error-deals-scope")
    team_id: int | None = None if viewer.role is Role.ADMIN else viewer.team_id
    if scope == "team" and not _sees_whole_team(viewer):
        raise Forbidden("error-deals-scope")
    query = DealQuery(team_id=team_id, mine=viewer.id if scope == "mine" else None, stage=stage, waiting=waiting)
    if stale:
        cutoffs, default = await _stale_cutoffs(uow, team_id, now)
        query = DealQuery(
            team_id=team_id, mine=query.mine, stage=stage, waiting=waiting, stale_cutoffs=cutoffs,
            stale_default=default if team_id is None else None,
        )
    offset, limit = _paging(page, per_page)
    return await uow.opportunities.page(query, offset, limit)


async def deal_card(uow: UnitOfWork, *, viewer: User, opportunity_id: int) -> DealCard:
    """One deal with its lead, owner, stage history and what the viewer may do with it.

    Reps see their own deals, the ones waiting for their acceptance and their team's pool; managers and
    finance their team's; admins all."""
    opportunity = await _opportunity(uow, viewer, opportunity_id)
    assert opportunity.id is not None
    pending = await uow.handoffs.pending_for(opportunity.id)
    if not _sees_whole_team(viewer):
        offered = pending is not None and pending.to_user_id == viewer.id
        if opportunity.owner_id != viewer.id and not offered and not opportunity.in_pool:
            raise Forbidden("error-deal-not-yours")
    lead, _team, policy = await _context(uow, opportunity)
    moves = moves_for(opportunity, actor=viewer, owner_id=opportunity.owner_id, policy=policy)
    following = next_stage(opportunity.stage)
    return DealCard(
        opportunity=opportunity,
        lead=lead,
        owner_name=await name_of(uow, opportunity.owner_id) if opportunity.owner_id is not None else None,
        history=list(await uow.stage_changes.history(opportunity.id)),
        pending_handoff=pending,
        can_advance=following is not None and following in moves,
        can_lose=Stage.LOST in moves,
        can_reassign=opportunity.is_open and _is_manager_of(viewer, opportunity.team_id),
        next_stage=following,
        assignee_name=await name_of(uow, pending.to_user_id) if pending is not None else None,
        can_accept=pending is not None and pending.to_user_id == viewer.id,
        can_claim=opportunity.in_pool and opportunity.is_open and viewer.role is Role.REP,
    )


async def team_reps(uow: UnitOfWork, *, viewer: User, team_id: int | None = None) -> list[User]:
    """The active reps of the viewer's team (an admin may name another team), for assign buttons."""
    if not viewer.active or not viewer.is_manager_or_admin:
        raise Forbidden()
    team = team_id if team_id is not None else viewer.team_id
    if not _same_team(viewer, team):
        raise Forbidden("error-other-team")
    return list(await uow.users.with_role(team, Role.REP.value))


# --- stages ---------------------------------------------------------------------------------------


async def _cancel_pending(uow: UnitOfWork, opportunity: Opportunity, *, actor: User, now: datetime) -> Handoff | None:
    assert opportunity.id is not None
    pending = await uow.handoffs.pending_for(opportunity.id)
    if pending is None:
        return None
    if not await uow.handoffs.transition(
        pending, expect=(HandoffState.PENDING,), state=HandoffState.CANCELLED, decided_at=now
    ):
        return None
    await record(
        uow, now=now, action="handoff.cancelled", entity="handoff", entity_id=pending.id, actor_id=actor.id,
        team_id=pending.team_id, before={"state": HandoffState.PENDING.value},
        after={"state": HandoffState.CANCELLED.value},
    )
    return pending


async def change_stage(
    uow: UnitOfWork, *, actor: User, opportunity_id: int, to: Stage, override: bool = False,
    lost_reason: str | None = None, lost_note: str | None = None, now: datetime,
) -> Opportunity:
    """Move a deal along the pipeline by the stage rules; recorded with actor and time. A win is
    announced in the team's group; a deal moved by someone else than its owner is reported to them."""
    opportunity = await _opportunity(uow, actor, opportunity_id)
    assert opportunity.id is not None
    lead, team, policy = await _context(uow, opportunity)
    transition = check_transition(
        opportunity, to, actor=actor, owner_id=opportunity.owner_id, override=override, lost_reason=lost_reason,
        policy=policy,
    )
    note = (lost_note or "").strip() or None
    if note is not None and len(note) > MAX_LOST_NOTE:
        raise InvalidInput("error-lost-note", max=MAX_LOST_NOTE)
    before = snapshot(opportunity, "stage", "lost_reason")
    opportunity.stage = to
    if to is Stage.LOST:
        opportunity.lost_reason, opportunity.lost_note = transition.lost_reason, note
    elif transition.reopened:
        opportunity.lost_reason = opportunity.lost_note = None
    opportunity.last_activity_at = now
    opportunity.updated_at = now
    if to in CLOSED:
        opportunity.pooled_at = None
        await _cancel_pending(uow, opportunity, actor=actor, now=now)
    change = await uow.stage_changes.add(transition.record(opportunity_id=opportunity.id, at=now, note=note))
    await record(
        uow, now=now, action="opportunity.stage", entity="opportunity", entity_id=opportunity.id, actor_id=actor.id,
        team_id=opportunity.team_id, before=before,
        after={**snapshot(opportunity, "stage", "lost_reason"), "override": transition.override},
    )
    if to is Stage.WON and team.group_chat_id is not None:
        await uow.outbox.put(
            OutboxMessage(
                key="pipeline-group-won", dedupe_key=f"stage:{change.id}:group", chat_id=team.group_chat_id,
                team_id=team.id,
                params={"owner": await name_of(uow, opportunity.owner_id or actor.id), "company": lead.company},
                kind="pipeline.won",
            )
        )
    if opportunity.owner_id is not None and opportunity.owner_id != actor.id:
        await uow.outbox.put(
            OutboxMessage(
                key="pipeline-stage-changed", dedupe_key=f"stage:{change.id}:to:{opportunity.owner_id}",
                recipient_id=opportunity.owner_id, team_id=team.id,
                params={
                    "actor": actor.name, "company": lead.company, "stage": Phrase(f"stage-{to.value}"),
                    "from_stage": Phrase(f"stage-{transition.from_stage.value}"),
                },
                kind="pipeline.stage",
            )
        )
    return opportunity


# --- the confirmed hand-off -----------------------------------------------------------------------


async def _own_pending(uow: UnitOfWork, actor: User, handoff_id: int) -> Handoff:
    handoff = await uow.handoffs.get(handoff_id)
    if handoff is None:
        raise NotFound("error-handoff-not-found")
    if handoff.to_user_id != actor.id:
        raise Forbidden("error-handoff-not-yours")
    if handoff.state is not HandoffState.PENDING:
        raise AlreadyDone("error-handoff-done")
    if not actor.active:
        raise Forbidden()
    return handoff


async def handoff_for(uow: UnitOfWork, *, actor: User, handoff_id: int) -> tuple[Handoff, Opportunity, Lead]:
    """A pending hand-off addressed to `actor` (for the decline screen), or the error a press would get."""
    handoff = await _own_pending(uow, actor, handoff_id)
    opportunity = await uow.opportunities.get(handoff.opportunity_id)
    if opportunity is None:
        raise NotFound("error-deal-not-found")
    lead = await uow.leads.get(opportunity.lead_id)
    if lead is None:
        raise NotFound("error-deal-not-found")
    return handoff, opportunity, lead


async def accept_handoff(uow: UnitOfWork, *, actor: User, handoff_id: int, now: datetime) -> Handoff:
    """The assignee accepts: they own the deal from now on. The group hears it, and so do whoever asked
    (the manager who reassigned, or the managers when the team has no group), the capturing rep and
    the previous owner."""
    handoff = await _own_pending(uow, actor, handoff_id)
    if not await uow.handoffs.transition(
        handoff, expect=(HandoffState.PENDING,), state=HandoffState.ACCEPTED, decided_at=now
    ):
        raise AlreadyDone("error-handoff-done")
    opportunity = await uow.opportunities.get(handoff.opportunity_id)
    if opportunity is None:
        raise NotFound("error-deal-not-found")
    lead, team, _policy = await _context(uow, opportunity)
    previous = opportunity.owner_id
    opportunity.owner_id = actor.id
    opportunity.owner_since = now
    opportunity.pooled_at = None
    opportunity.claimed_from_pool = False
    opportunity.updated_at = now
    await record(
        uow, now=now, action="handoff.accepted", entity="handoff", entity_id=handoff.id, actor_id=actor.id,
        team_id=handoff.team_id, before={"state": HandoffState.PENDING.value, "owner_id": previous},
        after={"state": HandoffState.ACCEPTED.value, "owner_id": actor.id, "opportunity_id": opportunity.id},
    )
    if team.group_chat_id is not None:
        await uow.outbox.put(
            OutboxMessage(
                key="pipeline-group-accepted", dedupe_key=f"handoff:{handoff.id}:accepted:group",
                chat_id=team.group_chat_id, team_id=team.id,
                params={"assignee": actor.name, "company": lead.company},
                kind="handoff.group",
            )
        )
    told: set[int | None] = {actor.id}
    if previous is not None and previous != actor.id:
        told.add(previous)
        await uow.outbox.put(
            OutboxMessage(
                key="handoff-taken-over", dedupe_key=f"handoff:{handoff.id}:accepted:to:{previous}",
                recipient_id=previous, team_id=team.id, params={"assignee": actor.name, "company": lead.company},
                kind="handoff.accepted",
            )
        )
    to_tell: list[int] = []
    if handoff.requested_by is not None:
        to_tell.append(handoff.requested_by)
    elif team.group_chat_id is None:
        to_tell.extend(m.id for m in await managers_of(uow, team.id or 0) if m.id is not None)
    to_tell.append(lead.created_by)
    for user_id in to_tell:
        if user_id in told:
            continue
        told.add(user_id)
        await uow.outbox.put(
            OutboxMessage(
                key="handoff-accepted-notice", dedupe_key=f"handoff:{handoff.id}:accepted:to:{user_id}",
                recipient_id=user_id, team_id=team.id, params={"assignee": actor.name, "company": lead.company},
                kind="handoff.accepted",
            )
        )
    return handoff


async def _move_on(
    uow: UnitOfWork, *, handoff: Handoff, opportunity: Opportunity, lead: Lead, team: Team, policy: TeamPolicy,
    now: datetime, why: str,
) -> tuple[Handoff | None, Phrase]:
    """After a decline or a missed deadline: the next rep by policy (earlier assignees skipped) gets a
    new hand-off at once; with nobody left the deal stays with its owner (a reassignment) or goes to the
    pool. Returns the new hand-off and what happened, for the managers' alert."""
    assert opportunity.id is not None
    skip = await earlier_assignees(uow, opportunity.id)
    if opportunity.owner_id is not None:
        skip.add(opportunity.owner_id)
    following = await offer(
        uow, opportunity=opportunity, lead=lead, team=team, policy=policy, now=now, exclude=skip,
        attempt=handoff.attempt + 1, from_user_id=handoff.from_user_id,
    )
    if following is not None:
        return following, Phrase("handoff-next-rep", {"name": await name_of(uow, following.to_user_id)})
    if opportunity.owner_id is not None:
        return None, Phrase("handoff-next-kept", {"name": await name_of(uow, opportunity.owner_id)})
    await to_pool(uow, opportunity=opportunity, lead=lead, team=team, now=now, why=why, tell_managers=False)
    return None, Phrase("handoff-next-pool")


async def decline_handoff(uow: UnitOfWork, *, actor: User, handoff_id: int, reason: str, now: datetime) -> Handoff:
    """The assignee declines, with a reason (one of DECLINE_REASONS or their own words). The managers are
    alerted and the deal moves on at once. Returns the declined hand-off."""
    text = " ".join((reason or "").split())
    if not text:
        raise InvalidInput("error-decline-reason")
    if len(text) > MAX_REASON:
        raise InvalidInput("error-decline-reason-long", max=MAX_REASON)
    handoff = await _own_pending(uow, actor, handoff_id)
    if not await uow.handoffs.transition(
        handoff, expect=(HandoffState.PENDING,), state=HandoffState.DECLINED, decided_at=now, decline_reason=text
    ):
        raise AlreadyDone("error-handoff-done")
    opportunity = await uow.opportunities.get(handoff.opportunity_id)
    if opportunity is None:
        raise NotFound("error-deal-not-found")
    lead, team, policy = await _context(uow, opportunity)
    await record(
        uow, now=now, action="handoff.declined", entity="handoff", entity_id=handoff.id, actor_id=actor.id,
        team_id=handoff.team_id, before={"state": HandoffState.PENDING.value},
        after={"state": HandoffState.DECLINED.value, "reason": text},
    )
    _next, outcome = await _move_on(
        uow, handoff=handoff, opportunity=opportunity, lead=lead, team=team, policy=policy, now=now, why="declined"
    )
    for manager in await managers_of(uow, team.id or 0, exclude=(actor.id,)):
        await uow.outbox.put(
            OutboxMessage(
                key="handoff-declined-manager", dedupe_key=f"handoff:{handoff.id}:declined:to:{manager.id}",
                recipient_id=manager.id, team_id=team.id,
                params={
                    "assignee": actor.name, "company": lead.company, "reason": decline_reason_param(text),
                    "outcome": outcome,
                },
                kind="handoff.declined",
            )
        )
    return handoff


async def expire_handoff(uow: UnitOfWork, handoff: Handoff, now: datetime) -> bool:
    """The sweep's act for one hand-off past its deadline: expired, the assignee and the managers told
    once, the deal moves on. False when someone acted on it first."""
    if handoff.state is not HandoffState.PENDING or handoff.deadline_at > now:
        return False
    if not await uow.handoffs.transition(
        handoff, expect=(HandoffState.PENDING,), state=HandoffState.EXPIRED, decided_at=now
    ):
        return False
    opportunity = await uow.opportunities.get(handoff.opportunity_id)
    if opportunity is None:
        return True
    lead, team, policy = await _context(uow, opportunity)
    await record(
        uow, now=now, action="handoff.expired", entity="handoff", entity_id=handoff.id, actor_id=None,
        team_id=handoff.team_id, before={"state": HandoffState.PENDING.value},
        after={"state": HandoffState.EXPIRED.value, "deadline_at": handoff.deadline_at.isoformat()},
    )
    await uow.outbox.put(
        OutboxMessage(
            key="handoff-expired-assignee", dedupe_key=f"handoff:{handoff.id}:expired:to:{handoff.to_user_id}",
            recipient_id=handoff.to_user_id, team_id=team.id,
            params={"company": lead.company, "deadline": handoff.deadline_at},
            kind="handoff.expired",
        )
    )
    assignee = await name_of(uow, handoff.to_user_id)
    _next, outcome = await _move_on(
        uow, handoff=handoff, opportunity=opportunity, lead=lead, team=team, policy=policy, now=now, why="expired"
    )
    for manager in await managers_of(uow, team.id or 0, exclude=(handoff.to_user_id,)):
        await uow.outbox.put(
            OutboxMessage(
                key="handoff-expired-manager", dedupe_key=f"handoff:{handoff.id}:expired:to:{manager.id}",
                recipient_id=manager.id, team_id=team.id,
                params={
                    "assignee": assignee, "company": lead.company, "deadline": handoff.deadline_at,
                    "outcome": outcome, "score": lead.score or 0,
                },
                kind="handoff.expired",
            )
        )
    return True


async def expire_handoffs(uow: UnitOfWork, *, now: datetime, limit: int = 100) -> int:
    """Expire the hand-offs past their deadline (at most `limit`) in this unit of work."""
    expired = 0
    for handoff in await uow.handoffs.due(now, limit):
        if await expire_handoff(uow, handoff, now):
            expired += 1
    return expired


HANDOFF_SWEEP: Sweep[Handoff] = Sweep(name="handoffs", source=lambda uow: uow.handoffs, act=expire_handoff)


async def reassign(
    uow: UnitOfWork, *, actor: User, opportunity_id: int, to_user_id: int, reason: str, now: datetime
) -> Handoff:
    """A manager hands a deal to another rep, with a reason. A pending hand-off is cancelled; the new rep
    gets a hand-off card (the current owner stays responsible until they accept); both reps are told."""
    if not actor.active or not actor.is_manager_or_admin:
        raise Forbidden("error-reassign-role")
    opportunity = await _opportunity(uow, actor, opportunity_id)
    assert opportunity.id is not None
    if not _is_manager_of(actor, opportunity.team_id):
        raise Forbidden("error-other-team")
    if not opportunity.is_open:
        raise InvalidInput("error-stage-closed")
    text = " ".join((reason or "").split())
    if not text:
        raise InvalidInput("error-reassign-reason")
    if len(text) > MAX_REASON:
        raise InvalidInput("error-decline-reason-long", max=MAX_REASON)
    target = await uow.users.get(to_user_id)
    if target is None or target.team_id != opportunity.team_id or not target.active or target.role is not Role.REP:
        raise InvalidInput("error-reassign-target")
    if target.id == opportunity.owner_id:
        raise AlreadyDone("error-reassign-same")
    pending = await uow.handoffs.pending_for(opportunity.id)
    if pending is not None and pending.to_user_id == target.id:
        raise AlreadyDone("error-reassign-same")
    lead, team, policy = await _context(uow, opportunity)
    cancelled = await _cancel_pending(uow, opportunity, actor=actor, now=now)
    handoff = await offer(
        uow, opportunity=opportunity, lead=lead, team=team, policy=policy, now=now, requested_by=actor.id,
        from_user_id=opportunity.owner_id, reason=text, to_user_id=target.id,
    )
    assert handoff is not None and handoff.id is not None
    await record(
        uow, now=now, action="opportunity.reassigned", entity="opportunity", entity_id=opportunity.id,
        actor_id=actor.id, team_id=opportunity.team_id,
        before={"owner_id": opportunity.owner_id, "pending_to": cancelled.to_user_id if cancelled else None},
        after={"to_user_id": target.id, "handoff_id": handoff.id, "reason": text},
    )
    for user_id in {opportunity.owner_id, cancelled.to_user_id if cancelled else None} - {None, target.id}:
        assert user_id is not None
        await uow.outbox.put(
            OutboxMessage(
                key="handoff-reassigned-old", dedupe_key=f"handoff:{handoff.id}:reassigned:to:{user_id}",
                recipient_id=user_id, team_id=team.id,
                params={
                    "company": lead.company, "manager": actor.name, "assignee": target.name, "reason": text,
                    "owner": "yes" if user_id == opportunity.owner_id else "no",
                },
                kind="handoff.reassigned",
            )
        )
    return handoff


# --- the public pool (公海) -----------------------------------------------------------------------


class IdleOpportunities:
    """The recycle sweep's source: each team's cutoff comes from its own policy."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Opportunity]:
        cutoffs = {p.team_id: now - timedelta(days=p.recycle_days) for p in await self.uow.policies.all()}
        default = now - timedelta(days=DEFAULT_RECYCLE_DAYS)
        return await self.uow.opportunities.idle(cutoffs, default, limit, skip)


async def recycle_opportunity(uow: UnitOfWork, opportunity: Opportunity, now: datetime) -> bool:
    """The sweep's act: an owner who logged nothing for the team's recycle_days loses the deal to the
    pool; they and the managers are told. False when it is no longer idle or someone acted first."""
    owner_id = opportunity.owner_id
    if owner_id is None or not opportunity.is_open:
        return False
    assert opportunity.id is not None
    policy = await get_policy(uow, team_id=opportunity.team_id)
    cutoff = now - timedelta(days=policy.recycle_days)
    if not await uow.opportunities.release(opportunity, owner_id=owner_id, cutoff=cutoff, now=now):
        return False
    lead, team, _policy = await _context(uow, opportunity)
    await record(
        uow, now=now, action="opportunity.recycled", entity="opportunity", entity_id=opportunity.id, actor_id=None,
        team_id=opportunity.team_id, before={"owner_id": owner_id},
        after={"owner_id": None, "recycle_days": policy.recycle_days},
    )
    await uow.outbox.put(
        OutboxMessage(
            key="recycle-old-owner", dedupe_key=f"opportunity:{opportunity.id}:recycled:{now.isoformat()}:to:{owner_id}",
            recipient_id=owner_id, team_id=team.id,
            params={"company": lead.company, "days": policy.recycle_days, "cooloff": policy.cooloff_days},
            kind="pipeline.recycled",
        )
    )
    owner_name = await name_of(uow, owner_id)
    for manager in await managers_of(uow, team.id or 0, exclude=(owner_id,)):
        await uow.outbox.put(
            OutboxMessage(
                key="recycle-manager",
                dedupe_key=f"opportunity:{opportunity.id}:recycled:{now.isoformat()}:to:{manager.id}",
                recipient_id=manager.id, team_id=team.id,
                params={"company": lead.company, "owner": owner_name, "days": policy.recycle_days},
                kind="pipeline.recycled",
            )
        )
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
    offset, limit = _paging(page, per_page)
    return await uow.opportunities.page(DealQuery(team_id=team_id, pool=True), offset, limit)


async def claim_from_pool(uow: UnitOfWork, *, actor: User, opportunity_id: int, now: datetime) -> Opportunity:
    """A rep takes a pool deal with one tap: up to the team's pool_claim_limit open pool deals, never one
    they lost to recycling within cooloff_days; of reps tapping at once exactly one wins."""
    if not actor.active or actor.role is not Role.REP:
        raise Forbidden("error-pool-reps-only")
    assert actor.id is not None
    opportunity = await _opportunity(uow, actor, opportunity_id)
    assert opportunity.id is not None
    if not opportunity.in_pool or not opportunity.is_open:
        raise AlreadyDone("error-pool-taken")
    lead, team, policy = await _context(uow, opportunity)
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
    if team.group_chat_id is not None:
        await uow.outbox.put(
            OutboxMessage(
                key="pipeline-group-claimed", dedupe_key=f"opportunity:{opportunity.id}:claimed:{now.isoformat()}",
                chat_id=team.group_chat_id, team_id=team.id, params={"rep": actor.name, "company": lead.company},
                kind="pipeline.claimed",
            )
        )
    return opportunity


__all__ = [  # the policy services live in leads.py; re-exported for the /policy and /deals flows
    "HANDOFF_SWEEP",
    "RECYCLE_SWEEP",
    "accept_handoff",
    "change_stage",
    "claim_from_pool",
    "deal_card",
    "decline_handoff",
    "expire_handoff",
    "expire_handoffs",
    "get_policy",
    "handoff_for",
    "list_deals",
    "list_pool",
    "reassign",
    "recycle_idle",
    "recycle_opportunity",
    "rep_skills",
    "set_rep_skills",
    "team_reps",
    "update_policy",
]
