"""The confirmed hand-off: accept, decline, missed deadline, reassignment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.audit import record
from domain.deals.access import deal_context, visible_opportunity
from domain.deals.model import Opportunity
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.followup.silence import restart_silence_watch
from domain.handoffs.model import Handoff, HandoffState
from domain.handoffs.offering import decline_reason_param, earlier_assignees, offer
from domain.leads.model import Lead
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Phrase
from domain.outbox.notify import Notice, moved_on, tell_group, tell_managers, tell_user
from domain.permissions import manages_team
from domain.policy.model import TeamPolicy
from domain.pool.services import to_pool
from domain.ports import UnitOfWork
from domain.sweeps import Sweep
from domain.team.model import Role, Team, User
from domain.team.people import managers_of, name_of

MAX_REASON = 300


# --- stages ---------------------------------------------------------------------------------------


CARDS = frozenset({Kind.HANDOFF_CARD.spec.key, Kind.HANDOFF_CARD_REASSIGNED.spec.key})


@dataclass(frozen=True)
class Withdrawn:
    """A pending hand-off cancelled (the deal was reassigned or closed)."""

    handoff: Handoff
    unseen: bool  # its card had not gone out yet (working hours): the assignee never heard of it


async def cancel_pending(uow: UnitOfWork, opportunity: Opportunity, *, actor: User, now: datetime) -> Withdrawn | None:
    """Cancel the deal's pending hand-off, and its card and announcement if they have not gone out."""
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
    withdrawn = await moved_on(uow, Subject.HANDOFF, pending.id, why="handoff.cancelled", now=now)
    unseen = any(c.notice in CARDS and c.recipient_id == pending.to_user_id for c in withdrawn)
    return Withdrawn(pending, unseen)


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
    lead, team, _policy = await deal_context(uow, opportunity)
    previous = opportunity.owner_id
    opportunity.owner_id = actor.id
    opportunity.owner_since = now
    opportunity.pooled_at = None
    opportunity.claimed_from_pool = False
    opportunity.updated_at = now
    restart_silence_watch(opportunity)
    # The card, the group's "waiting", the pool's alerts, the old owner's nudges: none holds any more.
    await moved_on(uow, Subject.OPPORTUNITY, opportunity.id, why="handoff.accepted", now=now)
    await record(
        uow, now=now, action="handoff.accepted", entity="handoff", entity_id=handoff.id, actor_id=actor.id,
        team_id=handoff.team_id, before={"state": HandoffState.PENDING.value, "owner_id": previous},
        after={"state": HandoffState.ACCEPTED.value, "owner_id": actor.id, "opportunity_id": opportunity.id},
    )
    assert handoff.id is not None
    said = {"assignee": actor.name, "company": lead.company}
    # Just accepted, in this unit of work: these notices hold (fresh); each is checked again before sending.
    await tell_group(uow, team, Notice(Kind.ACCEPTED_GROUP, about=handoff.id, params=said, fresh=True), now=now)
    told: set[int | None] = {actor.id}
    if previous is not None and previous != actor.id:
        told.add(previous)
        await tell_user(
            uow, previous, Notice(Kind.HANDOFF_TAKEN_OVER, about=handoff.id, params=said, fresh=True), team_id=team.id, now=now
        )
    to_tell: list[int] = []
    managers: list[User] = []  # held while they are told: the unit of work then finds them without a query
    if handoff.requested_by is not None:
        to_tell.append(handoff.requested_by)
    elif team.group_chat_id is None:
        managers = list(await managers_of(uow, team.id or 0))
        to_tell.extend(m.id for m in managers if m.id is not None)
    to_tell.append(lead.created_by)
    for user_id in to_tell:
        if user_id in told:
            continue
        told.add(user_id)
        await tell_user(
            uow, user_id, Notice(Kind.HANDOFF_ACCEPTED, about=handoff.id, params=said, fresh=True), team_id=team.id, now=now
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
    await moved_on(uow, Subject.HANDOFF, handoff.id, why="handoff.declined", now=now)
    opportunity = await uow.opportunities.get(handoff.opportunity_id)
    if opportunity is None:
        raise NotFound("error-deal-not-found")
    lead, team, policy = await deal_context(uow, opportunity)
    await record(
        uow, now=now, action="handoff.declined", entity="handoff", entity_id=handoff.id, actor_id=actor.id,
        team_id=handoff.team_id, before={"state": HandoffState.PENDING.value},
        after={"state": HandoffState.DECLINED.value, "reason": text},
    )
    _next, outcome = await _move_on(
        uow, handoff=handoff, opportunity=opportunity, lead=lead, team=team, policy=policy, now=now, why="declined"
    )
    assert handoff.id is not None
    await tell_managers(uow, team.id or 0, Notice(
        Kind.HANDOFF_DECLINED, about=handoff.id,
        params={
            "assignee": actor.name, "company": lead.company, "reason": decline_reason_param(text), "outcome": outcome,
        },
    ), now=now, exclude=(actor.id,))
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
    await moved_on(uow, Subject.HANDOFF, handoff.id, why="handoff.expired", now=now)
    opportunity = await uow.opportunities.get(handoff.opportunity_id)
    if opportunity is None:
        return True
    lead, team, policy = await deal_context(uow, opportunity)
    await record(
        uow, now=now, action="handoff.expired", entity="handoff", entity_id=handoff.id, actor_id=None,
        team_id=handoff.team_id, before={"state": HandoffState.PENDING.value},
        after={"state": HandoffState.EXPIRED.value, "deadline_at": handoff.deadline_at.isoformat()},
    )
    assert handoff.id is not None
    await tell_user(uow, handoff.to_user_id, Notice(
        Kind.HANDOFF_EXPIRED_ASSIGNEE, about=handoff.id,
        params={"company": lead.company, "deadline": handoff.deadline_at},
    ), team_id=team.id, now=now)
    assignee = await name_of(uow, handoff.to_user_id)
    _next, outcome = await _move_on(
        uow, handoff=handoff, opportunity=opportunity, lead=lead, team=team, policy=policy, now=now, why="expired"
    )
    await tell_managers(uow, team.id or 0, Notice(
        Kind.HANDOFF_EXPIRED_MANAGER, about=handoff.id,
        params={
            "assignee": assignee, "company": lead.company, "deadline": handoff.deadline_at, "outcome": outcome,
            "score": lead.score or 0,
        },
    ), now=now, exclude=(handoff.to_user_id,))
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
    opportunity = await visible_opportunity(uow, actor, opportunity_id)
    assert opportunity.id is not None
    if not manages_team(actor, opportunity.team_id):
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
    lead, team, policy = await deal_context(uow, opportunity)
    withdrawn = await cancel_pending(uow, opportunity, actor=actor, now=now)
    cancelled = withdrawn.handoff if withdrawn is not None else None
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
    # The owner, and the rep whose hand-off this replaces unless its card never reached them.
    told = {opportunity.owner_id}
    if withdrawn is not None and not withdrawn.unseen:
        told.add(withdrawn.handoff.to_user_id)
    for user_id in told - {None, target.id}:
        assert user_id is not None
        await tell_user(uow, user_id, Notice(
            Kind.HANDOFF_REASSIGNED, about=handoff.id,
            params={
                "company": lead.company, "manager": actor.name, "assignee": target.name, "reason": text,
                "owner": "yes" if user_id == opportunity.owner_id else "no",
            },
        ), team_id=team.id, now=now)
    return handoff
