"""Stage changes of a deal."""

from __future__ import annotations

from datetime import datetime

from domain.audit import record, snapshot
from domain.deals.access import deal_context, visible_opportunity
from domain.deals.model import CLOSED, Opportunity, Stage
from domain.deals.stages import check_transition
from domain.delivery.services import open_checklist
from domain.errors import InvalidInput
from domain.followup.silence import restart_silence_watch
from domain.handoffs.services import cancel_pending
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Phrase
from domain.outbox.notify import Notice, moved_on, tell_group, tell_owner
from domain.ports import UnitOfWork
from domain.team.model import User
from domain.team.people import name_of

MAX_LOST_NOTE = 500


async def change_stage(
    uow: UnitOfWork, *, actor: User, opportunity_id: int, to: Stage, override: bool = False,
    lost_reason: str | None = None, lost_note: str | None = None, now: datetime,
) -> Opportunity:
    """Move a deal along the pipeline by the stage rules; recorded with actor and time. A win is
    announced in the team's group; a deal moved by someone else than its owner is reported to them."""
    opportunity = await visible_opportunity(uow, actor, opportunity_id)
    assert opportunity.id is not None
    lead, team, policy = await deal_context(uow, opportunity)
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
    restart_silence_watch(opportunity)
    if to in CLOSED:
        opportunity.pooled_at = None
        await cancel_pending(uow, opportunity, actor=actor, now=now)
    change = await uow.stage_changes.add(transition.record(opportunity_id=opportunity.id, at=now, note=note))
    await record(
        uow, now=now, action="opportunity.stage", entity="opportunity", entity_id=opportunity.id, actor_id=actor.id,
        team_id=opportunity.team_id, before=before,
        after={**snapshot(opportunity, "stage", "lost_reason"), "override": transition.override},
    )
    assert change.id is not None
    # An earlier move's news, a win reopened, a closed deal's nudges and alerts: no longer true.
    await moved_on(uow, Subject.OPPORTUNITY, opportunity.id, why=f"opportunity.{to.value}", now=now)
    if to is Stage.DELIVERY:  # the team's checklist opens (domain/delivery)
        await open_checklist(uow, opportunity, actor=actor, company=lead.company, now=now)
    if to is Stage.WON:
        owner = await name_of(uow, opportunity.owner_id or actor.id)
        await tell_group(uow, team, Notice(
            Kind.WON_GROUP, about=change.id, params={"owner": owner, "company": lead.company},
        ), now=now)
    await tell_owner(uow, opportunity, Notice(
        Kind.STAGE_CHANGED, about=change.id,
        params={
            "actor": actor.name, "company": lead.company, "stage": Phrase(f"stage-{to.value}"),
            "from_stage": Phrase(f"stage-{transition.from_stage.value}"),
        },
    ), now=now, unless=actor.id)
    return opportunity
