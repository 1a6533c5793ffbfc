"""The acceptance sign-off (验收签字): it closes a deal's delivery and moves the deal on to after-sales.

`on_acceptance_signed` is the hook for what acceptance releases: today it records `delivery.accepted`;
the contracts feature connects its payment milestone "after acceptance" there.
(Apart from domain/delivery/services.py, which the deal services import to open a checklist.)
"""

from __future__ import annotations

from datetime import datetime

from domain.audit import record
from domain.contracts.services import release_on_acceptance
from domain.deals.model import Opportunity, Stage
from domain.deals.services import change_stage
from domain.delivery.services import ACTION_CHECKLIST, ACTION_SURVEY, item_in_reach, may_run
from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Action
from domain.outbox.notify import Notice, moved_on, tell_user
from domain.ports import UnitOfWork
from domain.team.model import User


async def on_acceptance_signed(uow: UnitOfWork, deal: Opportunity, now: datetime, *, actor_id: int | None = None,
                               document: str | None = None) -> None:
    """The customer signed the acceptance (验收): recorded as `delivery.accepted`, and what waited for it is
    released: the contract's milestone "after acceptance" falls due today (its reminder goes out, finance
    sees it due in /receivables and the agenda)."""
    assert deal.id is not None
    await record(uow, now=now, action="delivery.accepted", entity="opportunity", entity_id=deal.id,
                 actor_id=actor_id, team_id=deal.team_id, after={"document": bool(document)})
    await release_on_acceptance(uow, opportunity=deal, now=now, actor_id=actor_id)


async def sign_acceptance(
    uow: UnitOfWork, *, actor: User, item_id: int, document: str | None, now: datetime
) -> Opportunity:
    """验收签字 by the deal's owner or a manager, with the signed document if there is one: delivery is
    closed, the deal moves on to after-sales, and the owner gets the survey link (in chat when they
    signed; else a notice with the button)."""
    item, deal, company, _ = await item_in_reach(uow, actor, item_id)
    if not item.is_acceptance:
        raise InvalidInput("error-delivery-not-acceptance")
    if not may_run(actor, deal):
        raise Forbidden("error-delivery-sign-role")
    if item.done or not await uow.checklists.update(item, open_only=True, done_at=now, done_by=actor.id,
                                                    document=document, check_at=None):
        raise AlreadyDone("error-delivery-signed-already")
    assert item.id is not None and deal.id is not None
    await moved_on(uow, Subject.DELIVERY_ITEM, item.id, why="delivery.signed", now=now)
    await on_acceptance_signed(uow, deal, now, actor_id=actor.id, document=document)
    if deal.stage is Stage.DELIVERY:
        await change_stage(uow, actor=actor, opportunity_id=deal.id, to=Stage.AFTER_SALES, now=now)
    if deal.owner_id is not None and deal.owner_id != actor.id:
        await tell_user(uow, deal.owner_id, Notice(
            Kind.DELIVERY_ACCEPTED, about=deal.id, params={"company": company, "by": actor.name},
            actions=((Action(ACTION_SURVEY, deal.id), Action(ACTION_CHECKLIST, deal.id)),),
        ), team_id=deal.team_id, now=now)
    return deal
