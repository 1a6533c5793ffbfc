"""Delivery checklists (交付清单): opened when a deal reaches delivery, worked item by item, watched by
the delivery sweep, closed by the acceptance sign-off.

Each item's due day is counted in the team's working days from the start; its owner is nudged when the
due day's working hours begin (and sees it in the morning agenda), the managers are told once the day
has ended with the item still open, like every other breakpoint. Every change is a conditional update,
so a stale or repeated press acts once; a nudge still queued when its item was done is dropped
(Valid.DELIVERY_ITEM_OWNED / DELIVERY_ITEM_OPEN).

The sign-off moves the deal on to after-sales and calls `on_acceptance_signed`, the one place a later
feature (the contracts' payment milestone "after acceptance") hooks into.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Final

from domain.audit import record
from domain.deals.access import visible_opportunity
from domain.deals.model import Opportunity, Stage
from domain.delivery.model import (
    DEFAULT_TEMPLATE,
    MAX_DAYS,
    MAX_ITEMS,
    MAX_NAME,
    AgendaItem,
    DeliveryItem,
    ItemKey,
    TemplateItem,
    TemplateRow,
)
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.leads.contact import company_key
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, moved_on, tell_managers, tell_user
from domain.permissions import in_team, manages_team, sees_whole_team
from domain.ports import UnitOfWork
from domain.sweeps import Sweep
from domain.team.model import Team, User
from domain.team.people import name_of
from domain.text import one_line
from domain.tickets.model import Survey
from domain.tickets.surveys import LINK_PREFIX, TOKEN_BYTES, hash_token
from domain.worktime import day_bounds, is_working_day, local, working_window

ACTION_CHECKLIST: Final = "delivery.open"  # a notice's button: the deal's checklist (id: the deal)
ACTION_SURVEY: Final = "delivery.survey"  # the owner's button for the survey link after sign-off (id: the deal)


def item_label(item: DeliveryItem | TemplateItem | AgendaItem) -> Phrase | str:
    """What to call an item in a notice: a default item's catalogue name, or the team's own."""
    if item.key is ItemKey.CUSTOM and item.name:
        return item.name
    return Phrase(f"delivery-item-{item.key.value}")


# --- due days in working time -----------------------------------------------------------------------------


def due_day(start: datetime, days: int, team: Team) -> date:
    """The local day `days` working days after `start` (0: the start's day, or the next working day)."""
    day = local(start, team.timezone).date()
    while not is_working_day(day, team) and team.weekdays:
        day += timedelta(days=1)
    for _ in range(days):
        day += timedelta(days=1)
        while not is_working_day(day, team) and team.weekdays:
            day += timedelta(days=1)
    return day


def _window(day: date, team: Team) -> tuple[datetime, datetime]:
    window = working_window(day, team)
    if window is None:  # no usable working hours configured: the whole day
        return day_bounds(day, team.timezone)
    return window


def next_check(item: DeliveryItem, team: Team) -> datetime | None:
    """The owner's nudge when the due day begins; the managers' alert when it has ended; then nothing."""
    if item.done or item.nudge_stage >= 2:
        return None
    if item.nudge_stage == 0:
        return _window(local(item.due_at, team.timezone).date(), team)[0]
    return item.due_at


# --- opening a checklist --------------------------------------------------------------------------------


async def template_of(uow: UnitOfWork, team_id: int) -> list[TemplateItem]:
    rows = await uow.checklists.template(team_id)
    if not rows:
        return list(DEFAULT_TEMPLATE)
    return [TemplateItem(row.key, row.days, row.name, row.owner_id) for row in rows]


async def set_template(
    uow: UnitOfWork, *, actor: User, team_id: int, items: Sequence[TemplateItem], now: datetime
) -> list[TemplateItem]:
    """A manager sets the team's checklist template: 1-12 items, each due within MAX_DAYS working days,
    owned by the deal's owner or an active colleague of the team, the acceptance sign-off exactly once."""
    if not manages_team(actor, team_id):
        raise Forbidden("error-delivery-template-role")
    if not 1 <= len(items) <= MAX_ITEMS or sum(1 for i in items if i.key is ItemKey.ACCEPTANCE) != 1:
        raise InvalidInput("error-delivery-template", max=MAX_ITEMS)
    rows = []
    for position, item in enumerate(items, start=1):
        name = one_line(item.name) if item.name else None
        if item.key is ItemKey.CUSTOM and (not name or len(name) > MAX_NAME):
            raise InvalidInput("error-delivery-item-name", max=MAX_NAME)
        if not 0 <= item.days <= MAX_DAYS:
            raise InvalidInput("error-delivery-days", max=MAX_DAYS)
        if item.owner_id is not None:
            person = await uow.users.get(item.owner_id)
            if person is None or not person.active or person.team_id != team_id:
                raise InvalidInput("error-delivery-owner")
        rows.append(TemplateRow(team_id, position, item.key, item.days, name, item.owner_id))
    await uow.checklists.set_template(team_id, rows)
    await record(uow, now=now, action="delivery.template", entity="team", entity_id=team_id, actor_id=actor.id,
                 team_id=team_id, after={"items": [f"{r.key.value}:{r.days}" for r in rows]})
    return await template_of(uow, team_id)


async def open_checklist(uow: UnitOfWork, deal: Opportunity, *, actor: User, company: str, now: datetime) -> list[DeliveryItem]:
    """The deal reached delivery: its checklist from the team's template (once: a deal that comes back to
    delivery finds its checklist as it was). A colleague named in the template hears of their item."""
    assert deal.id is not None
    existing = await uow.checklists.for_deal(deal.id)
    if existing:
        return list(existing)
    team = await uow.teams.get(deal.team_id)
    if team is None:
        raise NotFound()
    deal_owner = deal.owner_id or actor.id
    assert deal_owner is not None
    items = []
    for position, line in enumerate(await template_of(uow, deal.team_id), start=1):
        owner = deal_owner
        if line.owner_id is not None:
            person = await uow.users.get(line.owner_id)
            if person is not None and person.active and person.team_id == deal.team_id:
                owner = line.owner_id
        day = due_day(now, line.days, team)
        item = DeliveryItem(
            team_id=deal.team_id, opportunity_id=deal.id, position=position, key=line.key, owner_id=owner,
            created_at=now, due_at=_window(day, team)[1], name=line.name,
        )
        item.check_at = next_check(item, team)
        items.append(await uow.checklists.add(item))
    await record(uow, now=now, action="delivery.started", entity="opportunity", entity_id=deal.id, actor_id=actor.id,
                 team_id=deal.team_id, after={"items": len(items)})
    for item in items:
        if item.owner_id != deal_owner:
            await _tell_assigned(uow, item, company, actor, now)
    return items


async def _tell_assigned(uow: UnitOfWork, item: DeliveryItem, company: str, by: User, now: datetime) -> None:
    assert item.id is not None
    await tell_user(uow, item.owner_id, Notice(
        Kind.DELIVERY_ITEM_ASSIGNED, about=item.id,
        params={"company": company, "item": item_label(item), "due": item.due_at, "by": by.name},
        actions=((Action(ACTION_CHECKLIST, item.opportunity_id),),),
    ), team_id=item.team_id, now=now)


# --- the checklist as a person sees it ------------------------------------------------------------------


@dataclass(frozen=True)
class Checklist:
    deal: Opportunity
    company: str
    team: Team
    items: list[DeliveryItem]
    owners: dict[int, str]
    may_run: bool  # the deal's owner or a manager: reassign items, sign off

    @property
    def signed(self) -> bool:
        return any(i.is_acceptance and i.done for i in self.items)


def may_run(viewer: User, deal: Opportunity) -> bool:
    return viewer.active and (viewer.id == deal.owner_id or manages_team(viewer, deal.team_id))


def may_tick(viewer: User, deal: Opportunity, item: DeliveryItem) -> bool:
    return viewer.active and (viewer.id == item.owner_id or may_run(viewer, deal))


async def _deal_of(uow: UnitOfWork, viewer: User, deal_id: int) -> tuple[Opportunity, str, Team]:
    deal = await visible_opportunity(uow, viewer, deal_id)
    lead = await uow.leads.get(deal.lead_id)
    team = await uow.teams.get(deal.team_id)
    if lead is None or team is None:
        raise NotFound("error-deal-not-found")
    return deal, lead.company, team


async def checklist(uow: UnitOfWork, *, viewer: User, deal_id: int) -> Checklist:
    deal, company, team = await _deal_of(uow, viewer, deal_id)
    items = list(await uow.checklists.for_deal(deal_id))
    mine = any(i.owner_id == viewer.id for i in items)
    if not (may_run(viewer, deal) or mine or sees_whole_team(viewer)):
        raise Forbidden("error-delivery-not-yours")
    if not items:
        raise NotFound("error-delivery-none")
    owners = {i.owner_id: await name_of(uow, i.owner_id) for i in items}
    return Checklist(deal, company, team, items, owners, may_run(viewer, deal))


async def item_in_reach(uow: UnitOfWork, viewer: User, item_id: int) -> tuple[DeliveryItem, Opportunity, str, Team]:
    item = await uow.checklists.get(item_id)
    if item is None:
        raise NotFound("error-delivery-none")
    if not in_team(viewer, item.team_id):
        raise Forbidden("error-other-team")
    deal, company, team = await _deal_of(uow, viewer, item.opportunity_id)
    return item, deal, company, team


# --- working the items -------------------------------------------------------------------------------------


async def complete_item(uow: UnitOfWork, *, actor: User, item_id: int, now: datetime) -> DeliveryItem:
    """完成: its owner, the deal's owner or a manager ticks an item off (the sign-off has its own step)."""
    item, deal, _, _ = await item_in_reach(uow, actor, item_id)
    if not may_tick(actor, deal, item):
        raise Forbidden("error-delivery-not-yours")
    if item.is_acceptance:
        raise InvalidInput("error-delivery-sign-instead")
    if item.done or not await uow.checklists.update(item, open_only=True, done_at=now, done_by=actor.id,
                                                    check_at=None):
        raise AlreadyDone("error-delivery-done-already")
    assert item.id is not None
    await record(uow, now=now, action="delivery.item_done", entity="opportunity", entity_id=deal.id, actor_id=actor.id,
                 team_id=deal.team_id, after={"item": item.key.value, "name": item.name, "item_id": item.id})
    await moved_on(uow, Subject.DELIVERY_ITEM, item.id, why="delivery.item_done", now=now)
    return item


async def reassign_item(uow: UnitOfWork, *, actor: User, item_id: int, to_user_id: int, now: datetime) -> DeliveryItem:
    """The deal's owner or a manager hands an item to a colleague (an implementation engineer, a product
    specialist): the colleague hears of it, the old owner's queued nudge is dropped."""
    item, deal, company, _ = await item_in_reach(uow, actor, item_id)
    if not may_run(actor, deal):
        raise Forbidden("error-delivery-not-yours")
    person = await uow.users.get(to_user_id)
    if person is None or not person.active or person.team_id != item.team_id:
        raise InvalidInput("error-delivery-owner")
    if item.owner_id == to_user_id:
        raise AlreadyDone("error-delivery-owner-same")
    if not await uow.checklists.update(item, open_only=True, owner_id=to_user_id):
        raise AlreadyDone("error-delivery-done-already")
    assert item.id is not None
    await record(uow, now=now, action="delivery.item_owner", entity="opportunity", entity_id=deal.id,
                 actor_id=actor.id, team_id=deal.team_id, after={"item_id": item.id, "owner_id": to_user_id})
    if to_user_id != actor.id:
        await _tell_assigned(uow, item, company, actor, now)
    return item


async def issue_survey_link(uow: UnitOfWork, *, actor: User, deal_id: int, now: datetime) -> str:
    """A fresh survey payload (`s_<token>`) about a signed-off delivery, for the deal's owner (or a
    manager) to forward to the customer; the same rules as a ticket's link."""
    deal, company, _ = await _deal_of(uow, actor, deal_id)
    if not may_run(actor, deal):
        raise Forbidden("error-delivery-sign-role")
    items = await uow.checklists.for_deal(deal_id)
    if not any(i.is_acceptance and i.done for i in items):
        raise InvalidInput("error-delivery-not-signed")
    policy = await uow.tickets.policy(deal.team_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    assert actor.id is not None
    survey = await uow.tickets.add_survey(Survey(
        team_id=deal.team_id, company=company, company_key=company_key(company), created_by=actor.id,
        created_at=now, opportunity_id=deal.id, token_hash=hash_token(token),
        expires_at=now + timedelta(days=policy.survey_days),
    ))
    await record(uow, now=now, action="survey.issued", entity="survey", entity_id=survey.id, actor_id=actor.id,
                 team_id=deal.team_id, after={"opportunity_id": deal.id})
    return LINK_PREFIX + token


# --- the watch ---------------------------------------------------------------------------------------------


async def item_check(uow: UnitOfWork, item: DeliveryItem, now: datetime) -> bool:
    """The sweep's act for one open item past its check: the owner's nudge on the due day, the managers'
    alert once it has passed; an item whose deal left delivery is let go quietly."""
    if item.done or item.check_at is None or item.check_at > now:
        return False
    deal = await uow.opportunities.get(item.opportunity_id)
    team = await uow.teams.get(item.team_id)
    if deal is None or team is None or deal.stage is not Stage.DELIVERY:
        return await uow.checklists.update(item, open_only=True, stage=item.nudge_stage, check_at=None)
    stage = 2 if now >= item.due_at else 1
    after = replace(item, nudge_stage=stage)  # a detached copy with the new stage
    if not await uow.checklists.update(item, open_only=True, stage=item.nudge_stage, nudge_stage=stage,
                                       check_at=next_check(after, team)):
        return False
    assert item.id is not None
    lead = await uow.leads.get(deal.lead_id)
    company = lead.company if lead else deal.title
    params: dict[str, Any] = {"company": company, "item": item_label(item), "due": item.due_at}
    actions = ((Action(ACTION_CHECKLIST, deal.id or 0),),)
    if stage == 1:
        await tell_user(uow, item.owner_id, Notice(Kind.DELIVERY_ITEM_DUE, about=item.id, params=params,
                                                   actions=actions), team_id=item.team_id, now=now)
    else:
        params["owner"] = await name_of(uow, item.owner_id)
        await tell_managers(uow, item.team_id, Notice(Kind.DELIVERY_ITEM_OVERDUE, about=item.id, params=params,
                                                      actions=actions), now=now)
        await record(uow, now=now, action="delivery.item_overdue", entity="opportunity", entity_id=deal.id,
                     actor_id=None, team_id=item.team_id, after={"item_id": item.id, "item": item.key.value})
    return True


class _ItemsDue:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[DeliveryItem]:
        return await self.uow.checklists.due(now, limit, skip)


DELIVERY_SWEEP: Sweep[DeliveryItem] = Sweep(name="delivery", source=_ItemsDue, act=item_check)


async def agenda_of(uow: UnitOfWork, team_id: int, until: datetime) -> Sequence[AgendaItem]:
    return await uow.checklists.agenda(team_id, until)
