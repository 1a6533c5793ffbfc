"""Offering a deal to a rep: the hand-off card, its deadline, the candidates."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from domain.audit import audit_event, record_all
from domain.deals.model import Opportunity
from domain.handoffs.assignment import Candidate, pick_assignee
from domain.handoffs.model import ACTION_ACCEPT, ACTION_DECLINE, DECLINE_REASONS, Handoff, HandoffState
from domain.leads.model import Lead
from domain.outbox.kinds import Kind, send_at
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, tell_group, tell_users
from domain.policy.model import AssignmentPolicy, SkillKind, TeamPolicy
from domain.ports import UnitOfWork
from domain.team.model import Role, Team, User
from domain.team.people import name_of
from domain.worktime import add_working_minutes


async def team_candidates(
    uow: UnitOfWork, team_id: int, policy: TeamPolicy, reps: Sequence[User] | None = None
) -> list[Candidate]:
    """The team's active reps (`reps`, when the caller has read them) with what the policy's assignment
    rule looks at: their load (least loaded, rules) and skills (rules); round robin needs neither, and
    neither is read for it."""
    if reps is None:
        reps = await uow.users.with_role(team_id, Role.REP.value)
    rule = policy.assignment
    weighs_load = rule in (AssignmentPolicy.LEAST_LOADED, AssignmentPolicy.RULES)
    load = await uow.opportunities.load(team_id) if weighs_load else {}
    skills = await uow.rep_skills.of_team(team_id) if rule is AssignmentPolicy.RULES else {}
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
    imported_by: str | None = None,
) -> Handoff | None:
    """Offer the deal to `to_user_id`, or to the next rep by the team's policy: a pending hand-off with a
    deadline in working minutes, the card with Accept/Decline, and the group's announcement.
    None when the policy is manual or nobody is available. `imported_by` (the name of the manager who
    imported the lead from a file): the card is held until the file is done and may go with the file's
    others as one message (Kind.HANDOFF_CARD_IMPORTED); the group is not told of each lead."""
    assert opportunity.id is not None and team.id is not None
    if to_user_id is None:
        to_user_id = _pick(policy, await team_candidates(uow, team.id, policy), lead, exclude)
        if to_user_id is None:
            return None
    [handoff] = await _hand_over(
        uow, [(opportunity, lead, to_user_id)], team=team, policy=policy, now=now, requested_by=requested_by,
        attempt=attempt, from_user_id=from_user_id, reason=reason, imported_by=imported_by,
    )
    return handoff


async def offer_new(
    uow: UnitOfWork, deals: Sequence[tuple[Opportunity, Lead]], *, team: Team, policy: TeamPolicy, now: datetime,
    imported_by: str | None = None,
) -> list[Handoff | None]:
    """New deals offered by the team's policy, in order, each to the rep offer() would have picked for it
    had they come one after the other (a batch of an imported file): the reps are read once, and each
    hand-off counts in its rep's load for the deals after it, as the round robin's cursor moves on after
    each. The hand-offs, their audit records and cards are written together. None for a deal nobody is
    offered (manual policy, nobody available)."""
    assert team.id is not None
    if not deals:
        return []
    # The reps stay in hand until their cards are queued, which then finds each in the unit of work.
    reps = await uow.users.with_role(team.id, Role.REP.value)
    candidates = {c.user_id: c for c in await team_candidates(uow, team.id, policy, reps)}
    picks: list[int | None] = []
    for _, lead in deals:
        to_user_id = _pick(policy, candidates.values(), lead, ())
        if to_user_id is not None:  # now waiting for them: one more in their load (opportunities.load)
            candidates[to_user_id] = replace(candidates[to_user_id], open_count=candidates[to_user_id].open_count + 1)
        picks.append(to_user_id)
    handed = iter(await _hand_over(
        uow, [(opportunity, lead, to) for (opportunity, lead), to in zip(deals, picks, strict=True) if to is not None],
        team=team, policy=policy, now=now, imported_by=imported_by,
    ))
    return [next(handed) if to is not None else None for to in picks]


def _pick(policy: TeamPolicy, candidates: Iterable[Candidate], lead: Lead, exclude: Collection[int]) -> int | None:
    """The rep the policy gives the lead to (round robin: the cursor moves on to them), or None."""
    to_user_id = pick_assignee(
        policy, candidates, region=lead.region, industry=lead.industry, product=lead.product, exclude=exclude,
    )
    if to_user_id is not None and policy.assignment is AssignmentPolicy.ROUND_ROBIN:
        policy.rr_cursor = to_user_id
    return to_user_id


async def _hand_over(
    uow: UnitOfWork, offers: Sequence[tuple[Opportunity, Lead, int]], *, team: Team, policy: TeamPolicy,
    now: datetime, requested_by: int | None = None, attempt: int = 1, from_user_id: int | None = None,
    reason: str | None = None, imported_by: str | None = None,
) -> list[Handoff]:
    """Each (deal, lead, rep): a pending hand-off with its deadline in working minutes, recorded, its card
    with Accept/Decline queued to the rep, and (unless imported) the group told."""
    if not offers:
        return []
    assert team.id is not None
    deadline = add_working_minutes(now, policy.handoff_minutes, team)
    new = []
    for opportunity, _, to_user_id in offers:
        assert opportunity.id is not None
        new.append(Handoff(
            team_id=team.id, opportunity_id=opportunity.id, to_user_id=to_user_id, requested_at=now,
            deadline_at=deadline, from_user_id=from_user_id, requested_by=requested_by, reason=reason,
            attempt=attempt,
        ))
    handoffs = list(await uow.handoffs.add_many(new))
    events = []
    cards: list[tuple[int, Notice]] = []
    for handoff, (opportunity, lead, to_user_id) in zip(handoffs, offers, strict=True):
        assert handoff.id is not None and opportunity.id is not None
        opportunity.pooled_at = None
        opportunity.updated_at = now
        events.append(audit_event(
            now=now, action="handoff.requested", entity="handoff", entity_id=handoff.id, actor_id=requested_by,
            team_id=team.id,
            after={
                "opportunity_id": opportunity.id, "to_user_id": to_user_id, "deadline_at": deadline.isoformat(),
                "attempt": attempt, "policy": policy.assignment.value if requested_by is None else "manager",
            },
        ))
        params = {**lead_params(lead), "deadline": deadline, "minutes": policy.handoff_minutes}
        card = Kind.HANDOFF_CARD
        if requested_by is not None:  # a manager's reassignment says who and why
            card = Kind.HANDOFF_CARD_REASSIGNED
            params |= {"by": await name_of(uow, requested_by), "reason": reason or ""}
        elif imported_by is not None:
            card = Kind.HANDOFF_CARD_IMPORTED
            params |= {"by": imported_by}
        cards.append((to_user_id, Notice(
            card, about=handoff.id, params=params,
            actions=((Action(ACTION_ACCEPT, handoff.id), Action(ACTION_DECLINE, handoff.id)),), fresh=True,
        )))
    await record_all(uow, events, now=now)
    await tell_users(uow, cards, team_id=team.id, now=now)
    if imported_by is not None:  # the file's cards go together when it is done; the group is not told of each
        return handoffs
    for handoff, (_, lead, to_user_id), (_, card_notice) in zip(handoffs, offers, cards, strict=True):
        assert handoff.id is not None
        await tell_group(uow, team, Notice(
            Kind.ASSIGNED_GROUP, about=handoff.id,
            params={
                "company": lead.company, "score": card_notice.params["score"],
                "assignee": await name_of(uow, to_user_id), "deadline": deadline,
            },
            fresh=True,
        ), now=now)
    return handoffs


async def card_goes_out(uow: UnitOfWork, handoff: Handoff, now: datetime) -> datetime | None:
    """When the assignee hears of the hand-off, if not at once: its card waits for the team's working
    hours (so the one who handed it over can say "小王 gets it at 09:00 when work starts")."""
    team = await uow.teams.get(handoff.team_id)
    at = send_at(Kind.HANDOFF_CARD.spec.urgency, now, team)
    return at if at > now else None


async def earlier_assignees(uow: UnitOfWork, opportunity_id: int) -> set[int]:
    """Who already declined this deal or let its deadline pass: the policy skips them."""
    return {
        h.to_user_id
        for h in await uow.handoffs.for_opportunity(opportunity_id)
        if h.state in (HandoffState.DECLINED, HandoffState.EXPIRED)
    }
