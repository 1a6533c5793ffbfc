"""Shared steps of the pipeline services: the team's policy, who the candidates are, offering a deal to
a rep (the hand-off card and the group announcement), and parking a deal in the public pool.

leads.py (a new qualified lead) and deals.py (a decline, a missed deadline, a reassignment) both use them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from domain.assignment import Candidate, pick_assignee
from domain.errors import Forbidden, NotFound
from domain.handoff_rules import add_working_minutes
from domain.model import Role, Team, User
from domain.notifications import Action, OutboxMessage, Phrase
from domain.pipeline import (
    ACTION_ACCEPT,
    ACTION_DECLINE,
    DECLINE_REASONS,
    AssignmentPolicy,
    Handoff,
    HandoffState,
    Lead,
    Opportunity,
    SkillKind,
    TeamPolicy,
)
from domain.ports import UnitOfWork
from domain.services.audit import record


async def check_policy_editor(uow: UnitOfWork, *, actor: User, team_id: int) -> None:
    """Only an active manager of the team, or an admin, changes a team's pipeline policy."""
    if not actor.active or actor.role not in (Role.MANAGER, Role.ADMIN):
        raise Forbidden("error-policy-role")
    if actor.role is not Role.ADMIN and actor.team_id != team_id:
        raise Forbidden("error-other-team")
    if await uow.teams.get(team_id) is None:
        raise NotFound()


async def get_policy(uow: UnitOfWork, *, team_id: int) -> TeamPolicy:
    """The team's pipeline policy, created with the defaults on first use."""
    return await uow.policies.ensure(team_id)


async def managers_of(uow: UnitOfWork, team_id: int, *, exclude: Collection[int | None] = ()) -> list[User]:
    """The team's active managers; the admins when the team has none."""
    managers = [m for m in await uow.users.with_role(team_id, Role.MANAGER.value) if m.id not in exclude]
    if managers:
        return managers
    return [a for a in await uow.users.admins() if a.id not in exclude]


async def team_candidates(uow: UnitOfWork, team_id: int) -> list[Candidate]:
    """The team's active reps with their load and skills, as the assignment rule sees them."""
    reps = await uow.users.with_role(team_id, Role.REP.value)
    load = await uow.opportunities.load(team_id)
    skills = await uow.rep_skills.of_team(team_id)
    candidates = []
    for rep in reps:
        assert rep.id is not None
        mine = skills.get(rep.id, {})
        candidates.append(
            Candidate(
                user_id=rep.id,
                open_count=load.get(rep.id, 0),
                regions=mine.get(SkillKind.REGION.value, frozenset()),
                industries=mine.get(SkillKind.INDUSTRY.value, frozenset()),
                products=mine.get(SkillKind.PRODUCT.value, frozenset()),
                reachable=rep.reachable,
            )
        )
    return candidates


def need_param(lead: Lead) -> str | Phrase:
    if lead.need:
        return lead.need
    if lead.need_voice_file_id:
        return Phrase("lead-need-voice")
    return "—"


def reasons_param(lead: Lead) -> list[Phrase]:
    return [Phrase(f"score-reason-{factor}", {"points": points}) for factor, points in lead.score_reasons.items()]


def lead_params(lead: Lead) -> dict[str, Any]:
    """What a pushed message says about a lead: enough to decide, no phone or e-mail before acceptance."""
    return {
        "company": lead.company,
        "contact": lead.contact_name or "—",
        "source": Phrase(f"source-{lead.source.value}"),
        "score": lead.score if lead.score is not None else 0,
        "reasons": reasons_param(lead),
        "need": need_param(lead),
    }


def decline_reason_param(reason: str | None) -> str | Phrase:
    if reason in DECLINE_REASONS:
        return Phrase(f"decline-reason-{reason}")
    return reason or "—"


async def name_of(uow: UnitOfWork, user_id: int | None) -> str:
    if user_id is None:
        return "—"
    user = await uow.users.get(user_id)
    return user.name if user else "—"


async def offer(
    uow: UnitOfWork,
    *,
    opportunity: Opportunity,
    lead: Lead,
    team: Team,
    policy: TeamPolicy,
    now: datetime,
    requested_by: int | None = None,
    exclude: Collection[int] = (),
    attempt: int = 1,
    from_user_id: int | None = None,
    reason: str | None = None,
    to_user_id: int | None = None,
) -> Handoff | None:
    """Offer the deal to `to_user_id`, or to the next rep by the team's policy: a pending hand-off with a
    deadline in working minutes, the card with Accept/Decline, and the group's announcement.
    None when the policy is manual or nobody is available."""
    assert opportunity.id is not None and team.id is not None
    if to_user_id is None:
        to_user_id = pick_assignee(
            policy, await team_candidates(uow, team.id), region=lead.region, industry=lead.industry,
            product=lead.product, exclude=exclude,
        )
        if to_user_id is None:
            return None
        if policy.assignment is AssignmentPolicy.ROUND_ROBIN:
            policy.rr_cursor = to_user_id
    deadline = add_working_minutes(now, policy.handoff_minutes, team)
    handoff = await uow.handoffs.add(
        Handoff(
            team_id=team.id, opportunity_id=opportunity.id, to_user_id=to_user_id, requested_at=now,
            deadline_at=deadline, from_user_id=from_user_id, requested_by=requested_by, reason=reason,
            attempt=attempt,
        )
    )
    assert handoff.id is not None
    opportunity.pooled_at = None
    opportunity.updated_at = now
    await record(
        uow, now=now, action="handoff.requested", entity="handoff", entity_id=handoff.id, actor_id=requested_by,
        team_id=team.id,
        after={
            "opportunity_id": opportunity.id, "to_user_id": to_user_id, "deadline_at": deadline.isoformat(),
            "attempt": attempt, "policy": policy.assignment.value if requested_by is None else "manager",
        },
    )
    params = {
        **lead_params(lead),
        "deadline": deadline,
        "minutes": policy.handoff_minutes,
        "by": await name_of(uow, requested_by) if requested_by is not None else "",
        "reason": reason or "",
    }
    await uow.outbox.put(
        OutboxMessage(
            key="handoff-card-reassigned" if requested_by is not None else "handoff-card",
            dedupe_key=f"handoff:{handoff.id}:card", recipient_id=to_user_id, team_id=team.id, params=params,
            actions=((Action(ACTION_ACCEPT, handoff.id), Action(ACTION_DECLINE, handoff.id)),),
            kind="handoff.card",
        )
    )
    if team.group_chat_id is not None:
        await uow.outbox.put(
            OutboxMessage(
                key="pipeline-group-assigned", dedupe_key=f"handoff:{handoff.id}:group", chat_id=team.group_chat_id,
                team_id=team.id,
                params={
                    "company": lead.company, "score": params["score"], "assignee": await name_of(uow, to_user_id),
                    "deadline": deadline,
                },
                kind="handoff.group",
            )
        )
    return handoff


async def to_pool(
    uow: UnitOfWork, *, opportunity: Opportunity, lead: Lead, team: Team, now: datetime, why: str,
    actor_id: int | None = None, tell_managers: bool = True,
) -> list[User]:
    """Park the ownerless deal in the team's public pool (公海); its managers are told unless the caller
    tells them itself. Returns the managers concerned."""
    assert opportunity.id is not None and team.id is not None
    opportunity.owner_id = None
    opportunity.owner_since = None
    opportunity.pooled_at = now
    opportunity.claimed_from_pool = False
    opportunity.updated_at = now
    await record(
        uow, now=now, action="opportunity.pooled", entity="opportunity", entity_id=opportunity.id,
        actor_id=actor_id, team_id=team.id, after={"why": why},
    )
    managers = await managers_of(uow, team.id)
    if tell_managers:
        for manager in managers:
            await uow.outbox.put(
                OutboxMessage(
                    key="pipeline-pool-manager",
                    dedupe_key=f"opportunity:{opportunity.id}:pool:{now.isoformat()}:to:{manager.id}",
                    recipient_id=manager.id, team_id=team.id,
                    params={
                        "company": lead.company, "score": lead.score or 0, "reasons": reasons_param(lead),
                        "why": Phrase(f"pool-why-{why}"),
                    },
                    kind="pipeline.pool",
                )
            )
    return managers


async def earlier_assignees(uow: UnitOfWork, opportunity_id: int) -> set[int]:
    """Who already declined this deal or let its deadline pass: the policy skips them."""
    return {
        h.to_user_id
        for h in await uow.handoffs.for_opportunity(opportunity_id)
        if h.state in (HandoffState.DECLINED, HandoffState.EXPIRED)
    }


def ids(users: Sequence[User]) -> set[int]:
    return {u.id for u in users if u.id is not None}
