"""Leads (线索): dedupe, capture, score, route to an owner; notes on leads and deals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from domain.audit import audit_event, record, record_all, snapshot
from domain.caps import LEADS_PER_HOUR
from domain.deals.model import Opportunity, Stage, StageChange
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.followup.model import Activity, ActivityKind
from domain.followup.silence import restart_silence_watch
from domain.handoffs.offering import offer_new
from domain.leads import capture
from domain.leads.contact import company_key as make_company_key
from domain.leads.contact import normalise_phone
from domain.leads.model import (
    CaptureOutcome,
    CaptureResult,
    DuplicateHit,
    Lead,
    LeadDraft,
    LeadStatus,
)
from domain.leads.scoring import score_lead
from domain.outbox.kinds import Kind
from domain.outbox.notify import Notice, tell_user
from domain.permissions import Ability, may_keep_own_lead, require
from domain.policy.model import AssignmentPolicy, TeamPolicy
from domain.policy.services import get_policy
from domain.pool.services import to_pool_all
from domain.ports import UnitOfWork
from domain.team.model import Role, Team, User
from domain.text import one_line

DUPLICATE_LIMIT = 20
# Limits and checks of a lead's facts live in the capture spec (domain/leads/capture.py).
MAX_COMPANY, MAX_NAME, MAX_NEED, MAX_NOTE = capture.MAX_COMPANY, capture.MAX_NAME, capture.MAX_NEED, capture.MAX_NOTE
EDITABLE = capture.EDITABLE  # facts of a lead a person may change after capture (rescore_lead)


# --- dedupe ---------------------------------------------------------------------------------------


def _soft_phone(phone: str | None) -> str | None:
    if not one_line(phone):
        return None
    try:
        return normalise_phone(phone or "")
    except InvalidInput:
        return one_line(phone)


def _soft_email(email: str | None) -> str | None:
    text = one_line(email)
    return text.lower() if text else None


async def find_duplicates(
    uow: UnitOfWork, *, viewer: User, phone: str | None, email: str | None, company_key: str | None,
    limit: int = DUPLICATE_LIMIT,
) -> list[DuplicateHit]:
    """Existing records with the same phone, e-mail or normalised company, across all teams.

    The viewer's own team (any team for an admin) shows company, owner, stage and last activity;
    another team's record shows only that it exists and which team has it, once per team.
    """
    phone, email = _soft_phone(phone), _soft_email(email)
    key = make_company_key(company_key) if company_key else None
    found = await uow.leads.matching(phone=phone, email=email, company_key=key or None, limit=limit * 3)
    return await _hits(uow, viewer, found, phone=phone, email=email, limit=limit)


async def _hits(
    uow: UnitOfWork, viewer: User, found: Sequence[Lead], *, phone: str | None, email: str | None, limit: int
) -> list[DuplicateHit]:
    opportunities = {o.lead_id: o for o in await uow.opportunities.for_leads([lead.id for lead in found if lead.id])}
    teams: dict[int, Team | None] = {}
    names: dict[int, str] = {}
    hits: list[DuplicateHit] = []
    other_teams: set[int] = set()
    for lead in found:
        assert lead.id is not None
        if lead.team_id not in teams:
            teams[lead.team_id] = await uow.teams.get(lead.team_id)
        team = teams[lead.team_id]
        team_name = team.name if team else "—"
        matched_on = (
            "phone" if phone and lead.phone == phone else "email" if email and lead.email == email else "company"
        )
        opp = opportunities.get(lead.id)
        kind = "opportunity" if opp is not None else "lead"
        same_team = lead.team_id == viewer.team_id
        if not same_team and viewer.role is not Role.ADMIN:
            if lead.team_id in other_teams:
                continue
            other_teams.add(lead.team_id)
            hits.append(
                DuplicateHit(
                    kind=kind, id=0, team_id=lead.team_id, team_name=team_name, same_team=False, matched_on=matched_on
                )
            )
            continue
        owner_id = opp.owner_id if opp is not None else None
        if owner_id is not None and owner_id not in names:
            owner = await uow.users.get(owner_id)
            names[owner_id] = owner.name if owner else "—"
        if lead.created_by not in names:
            creator = await uow.users.get(lead.created_by)
            names[lead.created_by] = creator.name if creator else "—"
        pending = await uow.handoffs.pending_for(opp.id) if opp is not None and opp.id is not None else None
        hits.append(
            DuplicateHit(
                kind=kind, id=opp.id if opp is not None and opp.id is not None else lead.id, team_id=lead.team_id,
                team_name=team_name, same_team=same_team, matched_on=matched_on, company=lead.company,
                owner_name=names[owner_id] if owner_id is not None else None,
                stage=opp.stage if opp is not None else None,
                last_activity_at=(opp.last_activity_at if opp is not None else None) or lead.updated_at
                or lead.created_at,
                owned_by_viewer=(owner_id == viewer.id) if opp is not None else lead.created_by == viewer.id,
                lead_id=lead.id,
                extra={
                    "status": lead.status.value, "score": lead.score, "contact_name": lead.contact_name,
                    "created_by_name": names[lead.created_by], "in_pool": opp is not None and opp.in_pool,
                    "waiting_handoff": pending is not None,
                },
            )
        )
    order = {"phone": 0, "email": 1, "company": 2}
    hits.sort(key=lambda h: (not h.same_team, not h.owned_by_viewer, order[h.matched_on]))
    return hits[:limit]


# --- capture, score, route ------------------------------------------------------------------------


def _lead_from_draft(draft: LeadDraft, actor: User, now: datetime) -> Lead:
    assert actor.id is not None
    values = {name: capture.clean(name, getattr(draft, name)) for name in EDITABLE}
    capture.require_reach(values["phone"], values["email"])
    return Lead(
        team_id=actor.team_id, created_by=actor.id, created_at=now, updated_at=now,
        company_key=make_company_key(values["company"]), **values,
    )


async def _check_related(uow: UnitOfWork, actor: User, lead: Lead, related_lead_id: int | None) -> None:
    """A new lead at a known company is fine, linked to the record the rep was shown; never silently."""
    if related_lead_id is not None:
        related = await uow.leads.get(related_lead_id)
        if related is None:
            raise NotFound("error-lead-not-found")
        if related.team_id != actor.team_id:
            raise Forbidden("error-other-team")
        return
    matches = await uow.leads.matching(
        phone=lead.phone, email=lead.email, company_key=lead.company_key or None, limit=DUPLICATE_LIMIT
    )
    if any(m.team_id == actor.team_id for m in matches):
        raise InvalidInput("error-lead-duplicate")


async def capture_unless_duplicate(
    uow: UnitOfWork, *, actor: User, draft: LeadDraft, now: datetime, limit: int = DUPLICATE_LIMIT
) -> CaptureResult | list[DuplicateHit]:
    """A rep confirms a new lead: the existing records it matches (in any team, shown as find_duplicates
    shows them), and nothing saved; or, when it matches none, the lead captured as capture_lead does.
    The duplicate query runs once."""
    require(actor, Ability.CAPTURE_LEADS, "error-lead-role")
    lead = _lead_from_draft(draft, actor, now)
    found = await uow.leads.matching(
        phone=lead.phone, email=lead.email, company_key=lead.company_key or None, limit=limit * 3
    )
    if found:
        return await _hits(uow, actor, found, phone=lead.phone, email=lead.email, limit=limit)
    return await capture_lead(uow, actor=actor, draft=draft, now=now, checked=True)


async def capture_lead(
    uow: UnitOfWork, *, actor: User, draft: LeadDraft, now: datetime, related_lead_id: int | None = None,
    checked: bool = False,
) -> CaptureResult:
    """Save a new lead, score it and send it on: nurture below the threshold; else an opportunity that the
    capturing rep keeps (if asked and allowed), offered to a rep by policy, or parked in the pool.

    A same-team duplicate (phone, e-mail or company) must be acknowledged by passing its lead id as
    `related_lead_id` (InvalidInput "error-lead-duplicate" otherwise): nothing is duplicated silently.
    One person captures at most LEADS_PER_HOUR leads in any 60 minutes (CapReached "error-cap-leads").
    """
    require(actor, Ability.CAPTURE_LEADS, "error-lead-role")
    assert actor.id is not None and LEADS_PER_HOUR.window is not None
    LEADS_PER_HOUR.check(await uow.leads.captured_since(actor.id, now - LEADS_PER_HOUR.window))
    team = await uow.teams.get(actor.team_id)
    if team is None:
        raise NotFound()
    lead = _lead_from_draft(draft, actor, now)
    if not checked:  # capture_unless_duplicate has just looked: nothing matched
        await _check_related(uow, actor, lead, related_lead_id)
    lead.related_lead_id = related_lead_id
    policy = await get_policy(uow, team_id=actor.team_id)
    scored = _score(lead, policy, now)  # before the INSERT, which then carries the score: one statement
    lead = await uow.leads.add(lead)
    await record(
        uow, now=now, action="lead.captured", entity="lead", entity_id=lead.id, actor_id=actor.id, team_id=team.id,
        after=snapshot(lead, "company", "source", "phone", "email", "related_lead_id"),
    )
    return await _score_and_route(
        uow, actor=actor, lead=lead, team=team, policy=policy, now=now, keep_myself=draft.keep_myself, scored=scored
    )


@dataclass(frozen=True)
class _Scored:
    qualified: bool
    before: dict[str, Any]


def _score(lead: Lead, policy: TeamPolicy, now: datetime) -> _Scored:
    """Scores the lead and sets its status (nurture below the threshold, else converted to a deal)."""
    score = score_lead(lead, policy)
    before = snapshot(lead, "score", "status")
    lead.score = score.total
    lead.score_reasons = dict(score.reasons)
    lead.updated_at = now
    lead.status = LeadStatus.CONVERTED if score.qualified else LeadStatus.NURTURE
    return _Scored(qualified=score.qualified, before=before)


async def _score_and_route(
    uow: UnitOfWork, *, actor: User, lead: Lead, team: Team, policy: TeamPolicy, now: datetime, keep_myself: bool,
    scored: _Scored | None = None, imported_by: str | None = None,
) -> CaptureResult:
    """Scores the lead (unless `scored` says it was, before it was stored) and sends it on."""
    if scored is None:
        scored = _score(lead, policy, now)
    [result] = await _route_all(
        uow, actor=actor, team=team, policy=policy, now=now, leads=[(lead, scored, keep_myself)],
        imported_by=imported_by,
    )
    return result


async def _route_all(
    uow: UnitOfWork, *, actor: User, team: Team, policy: TeamPolicy, now: datetime,
    leads: Sequence[tuple[Lead, _Scored, bool]], imported_by: str | None = None,
) -> list[CaptureResult]:
    """Stored, scored leads sent on, each as it would be alone and in their order: nurture below the
    threshold; else an opportunity that the capturing rep keeps (the lead's `keep_myself`, if allowed),
    offered to a rep by the policy (one after the other, as offering.offer_new picks), or parked in the
    pool. Each kind of row is written in one statement for them all (a batch of an imported file)."""
    assert team.id is not None
    await record_all(uow, [
        audit_event(
            now=now, action="lead.scored", entity="lead", entity_id=lead.id, actor_id=actor.id, team_id=team.id,
            before=scored.before, after={**snapshot(lead, "score", "status"), "reasons": lead.score_reasons},
        )
        for lead, scored, _ in leads
    ], now=now)
    results: dict[int, CaptureResult] = {
        n: CaptureResult(lead=lead, outcome=CaptureOutcome.NURTURE)
        for n, (lead, scored, _) in enumerate(leads) if not scored.qualified
    }
    qualified = [(n, lead, keep_myself) for n, (lead, scored, keep_myself) in enumerate(leads) if scored.qualified]
    deals = await uow.opportunities.add_many([
        Opportunity(
            team_id=team.id, lead_id=_stored(lead.id), title=lead.company[:200], created_at=now, last_activity_at=now,
            updated_at=now,
        )
        for _, lead, _ in qualified
    ])
    await uow.stage_changes.add_many([
        StageChange(
            opportunity_id=_stored(deal.id), from_stage=None, to_stage=Stage.QUALIFIED, actor_id=actor.id, at=now,
            team_id=deal.team_id,
        )
        for deal in deals
    ])
    events = [
        audit_event(
            now=now, action="opportunity.created", entity="opportunity", entity_id=deal.id, actor_id=actor.id,
            team_id=team.id, after={"lead_id": lead.id, "stage": Stage.QUALIFIED.value},
        )
        for (_, lead, _), deal in zip(qualified, deals, strict=True)
    ]
    offered: list[tuple[int, Lead, Opportunity]] = []
    for (n, lead, keep_myself), opportunity in zip(qualified, deals, strict=True):
        if keep_myself and may_keep_own_lead(actor, policy) and actor.team_id == team.id:
            opportunity.owner_id = actor.id
            opportunity.owner_since = now
            restart_silence_watch(opportunity)
            events.append(audit_event(
                now=now, action="opportunity.owned", entity="opportunity", entity_id=opportunity.id,
                actor_id=actor.id, team_id=team.id, after={"owner_id": actor.id, "via": "self"},
            ))
            results[n] = CaptureResult(lead=lead, outcome=CaptureOutcome.OWNED, opportunity=opportunity)
        else:
            offered.append((n, lead, opportunity))
    await record_all(uow, events, now=now)
    handoffs = await offer_new(
        uow, [(opportunity, lead) for _, lead, opportunity in offered], team=team, policy=policy, now=now,
        imported_by=imported_by,
    )
    pooled: list[tuple[Opportunity, Lead]] = []
    for (n, lead, opportunity), handoff in zip(offered, handoffs, strict=True):
        if handoff is not None:
            results[n] = CaptureResult(
                lead=lead, outcome=CaptureOutcome.HANDOFF, opportunity=opportunity, handoff=handoff
            )
            continue
        pooled.append((opportunity, lead))
        results[n] = CaptureResult(lead=lead, outcome=CaptureOutcome.POOL, opportunity=opportunity)
    if pooled:
        why = "manual" if policy.assignment is AssignmentPolicy.MANUAL else "nobody"
        await to_pool_all(uow, pooled, team=team, now=now, why=why, actor_id=actor.id)
    return [results[n] for n in range(len(leads))]


def _stored(record_id: int | None) -> int:
    """The id of a record just stored (it has one)."""
    assert record_id is not None
    return record_id


def _may_edit_lead(actor: User, lead: Lead, opportunity: Opportunity | None) -> None:
    if actor.role is Role.ADMIN:
        return
    if lead.team_id != actor.team_id:
        raise Forbidden("error-other-team")
    if actor.role is Role.MANAGER:
        return
    mine = lead.created_by == actor.id or (opportunity is not None and opportunity.owner_id == actor.id)
    if not mine:
        raise Forbidden("error-lead-not-yours")


async def rescore_lead(
    uow: UnitOfWork, *, actor: User, lead_id: int, changes: dict[str, Any], now: datetime, keep_myself: bool = False
) -> CaptureResult:
    """Facts of a lead changed: store them and score again. A nurture lead that now qualifies proceeds
    like a new one (opportunity, owner by policy or pool); a converted lead only gets its new score."""
    lead = await uow.leads.get(lead_id)
    if lead is None:
        raise NotFound("error-lead-not-found")
    found = await uow.opportunities.for_leads([lead_id])
    opportunity = found[0] if found else None
    _may_edit_lead(actor, lead, opportunity)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput("error-lead-field", field=unknown[0])
    cleaned = {name: capture.clean(name, value) for name, value in changes.items()}
    capture.require_reach(cleaned.get("phone", lead.phone), cleaned.get("email", lead.email))
    before = snapshot(lead, *cleaned)
    for name, value in cleaned.items():
        setattr(lead, name, value)
    if "company" in cleaned:
        lead.company_key = make_company_key(lead.company)
    lead.updated_at = now
    if cleaned:
        await record(
            uow, now=now, action="lead.updated", entity="lead", entity_id=lead.id, actor_id=actor.id,
            team_id=lead.team_id, before=before, after=snapshot(lead, *cleaned),
        )
    team = await uow.teams.get(lead.team_id)
    if team is None:
        raise NotFound()
    policy = await get_policy(uow, team_id=lead.team_id)
    if opportunity is None:
        return await _score_and_route(
            uow, actor=actor, lead=lead, team=team, policy=policy, now=now, keep_myself=keep_myself
        )
    score = score_lead(lead, policy)
    before = snapshot(lead, "score")
    lead.score, lead.score_reasons = score.total, dict(score.reasons)
    await record(
        uow, now=now, action="lead.scored", entity="lead", entity_id=lead.id, actor_id=actor.id,
        team_id=lead.team_id, before=before, after={"score": lead.score, "reasons": lead.score_reasons},
    )
    assert opportunity.id is not None
    pending = await uow.handoffs.pending_for(opportunity.id)
    if pending is not None:
        outcome = CaptureOutcome.HANDOFF
    elif opportunity.owner_id is not None:
        outcome = CaptureOutcome.OWNED
    else:
        outcome = CaptureOutcome.POOL
    return CaptureResult(lead=lead, outcome=outcome, opportunity=opportunity, handoff=pending)


# --- notes ----------------------------------------------------------------------------------------


async def add_note(
    uow: UnitOfWork, *, actor: User, kind: str, record_id: int, note: str, now: datetime
) -> Activity:
    """A note on a lead or an opportunity of the actor's team (an admin: any team). It counts as activity
    on the deal, and the person responsible for the record hears about a colleague's note."""
    text = (note or "").strip()
    if not text or len(text) > MAX_NOTE:
        raise InvalidInput("error-note-text", max=MAX_NOTE)
    opportunity: Opportunity | None
    if kind == "lead":
        lead = await uow.leads.get(record_id)
        if lead is None:
            raise NotFound("error-lead-not-found")
        found = await uow.opportunities.for_leads([record_id])
        opportunity = found[0] if found else None
    elif kind == "opportunity":
        opportunity = await uow.opportunities.get(record_id)
        if opportunity is None:
            raise NotFound("error-deal-not-found")
        lead = await uow.leads.get(opportunity.lead_id)
        if lead is None:
            raise NotFound("error-lead-not-found")
    else:
        raise InvalidInput("error-note-kind")
    if actor.role is not Role.ADMIN and lead.team_id != actor.team_id:
        raise Forbidden("error-other-team")
    if not actor.active:
        raise Forbidden()
    assert actor.id is not None
    activity = await uow.activities.add(
        Activity(
            team_id=lead.team_id, actor_id=actor.id, kind=ActivityKind.NOTE, at=now, note=text,
            opportunity_id=opportunity.id if opportunity is not None else None, lead_id=lead.id,
        )
    )
    if opportunity is not None:
        opportunity.last_activity_at = now
        opportunity.updated_at = now
        restart_silence_watch(opportunity)
    await record(
        uow, now=now, action="activity.note", entity="opportunity" if opportunity is not None else "lead",
        entity_id=opportunity.id if opportunity is not None else lead.id, actor_id=actor.id, team_id=lead.team_id,
        after={"activity_id": activity.id},
    )
    responsible = opportunity.owner_id if opportunity is not None else lead.created_by
    if responsible is not None and responsible != actor.id:
        assert activity.id is not None
        await tell_user(uow, responsible, Notice(
            Kind.NOTE_ADDED, about=activity.id, params={"actor": actor.name, "company": lead.company, "note": text[:500]},
        ), team_id=lead.team_id, now=now)
    return activity


async def capture_for_channel(
    uow: UnitOfWork, *, creator: User, team: Team, draft: LeadDraft, now: datetime, channel: str,
    imported: bool = False,
) -> CaptureResult:
    """A lead that came in through a channel outside the chat (an API key's website form, an event
    scanner): checked by the same capture spec, scored and routed exactly as a rep's capture, recorded as
    brought in by the manager who owns the channel. The caller has checked for duplicates; the per-person
    hourly cap does not apply (a channel is rate-limited where it enters). `imported`: one row of a file
    the creator imported (domain/intake/imports.py): its hand-off card is held until the file is done and
    goes to the rep with the file's others as one message; the group is not told of each lead."""
    [captured] = await capture_all_for_channel(
        uow, creator=creator, team=team, drafts=[draft], now=now, channel=channel, imported=imported
    )
    if isinstance(captured, InvalidInput):
        raise captured
    return captured


async def capture_all_for_channel(
    uow: UnitOfWork, *, creator: User, team: Team, drafts: Sequence[LeadDraft], now: datetime, channel: str,
    imported: bool = False,
) -> list[CaptureResult | InvalidInput]:
    """capture_for_channel() for many leads at once (a batch of an imported file): each checked, scored
    and routed as it would be alone, in their order (the round robin goes on from one to the next). For
    each draft its result, or the InvalidInput the capture spec raised for it (nothing of it stored). The
    policy and the team's reps are read once, and each kind of row is written in one statement."""
    assert creator.id is not None and team.id is not None
    checked: list[Lead | InvalidInput] = []
    for draft in drafts:
        try:
            checked.append(_lead_from_draft(replace(draft, keep_myself=False), creator, now))
        except InvalidInput as error:
            checked.append(error)
    new = [lead for lead in checked if not isinstance(lead, InvalidInput)]
    if not new:
        return [error for error in checked if isinstance(error, InvalidInput)]
    policy = await get_policy(uow, team_id=team.id)
    kept = []
    for lead in new:
        lead.team_id = team.id
        kept.append((lead, _score(lead, policy, now)))  # before the INSERT, which then carries the score
    await uow.leads.add_many(new)
    await record_all(uow, [
        audit_event(
            now=now, action="lead.captured", entity="lead", entity_id=lead.id, actor_id=creator.id,
            team_id=team.id,
            after={**snapshot(lead, "company", "source", "phone", "email"), "via": "channel", "channel": channel},
        )
        for lead, _ in kept
    ], now=now)
    routed = iter(await _route_all(
        uow, actor=creator, team=team, policy=policy, now=now, leads=[(lead, scored, False) for lead, scored in kept],
        imported_by=creator.name if imported else None,
    ))
    return [lead if isinstance(lead, InvalidInput) else next(routed) for lead in checked]
