"""The second sale (二次销售): a won deal carries a renewal or repurchase date (typed, or one year on with a
tap); its owner is nudged the team's N days before it (30 by default, /policy → 售后规则), and the nudge's
button opens a new opportunity for the same customer in one tap: a lead of source "existing customer"
(老客户) linked to the old one, owned by whoever tapped, the renewal linked to it (a second tap opens the
same one)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from typing import Final

from domain.audit import record
from domain.deals.access import visible_opportunity
from domain.deals.model import Opportunity, Stage, StageChange
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.followup.silence import restart_silence_watch
from domain.leads.model import Lead, LeadSource, LeadStatus
from domain.outbox.kinds import Kind
from domain.outbox.model import Action
from domain.outbox.notify import Notice, tell_user
from domain.permissions import manages_team
from domain.ports import UnitOfWork
from domain.renewals.model import Renewal
from domain.sweeps import Sweep
from domain.team.model import User
from domain.worktime import at_local, local

ACTION_REOPEN: Final = "renewal.reopen"
RENEWABLE: Final = frozenset({Stage.WON, Stage.AFTER_SALES})
MAX_YEARS_AHEAD: Final = 10
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def read_date(text: str) -> date:
    """2027-11-26, 2027/11/26 or 2027年11月26日."""
    found = _DATE.match(text or "")
    if not found:
        raise InvalidInput("error-renewal-date")
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError as exc:
        raise InvalidInput("error-renewal-date") from exc


def one_year_on(today: date) -> date:
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


async def _renewable(uow: UnitOfWork, actor: User, deal_id: int) -> Opportunity:
    deal = await visible_opportunity(uow, actor, deal_id)
    if not (actor.id == deal.owner_id or manages_team(actor, deal.team_id)):
        raise Forbidden("error-renewal-not-yours")
    if deal.stage not in RENEWABLE:
        raise InvalidInput("error-renewal-not-won")
    return deal


async def renewal_of(uow: UnitOfWork, *, viewer: User, deal_id: int) -> Renewal | None:
    await visible_opportunity(uow, viewer, deal_id)
    return await uow.renewals.for_deal(deal_id)


async def set_renewal(uow: UnitOfWork, *, actor: User, deal_id: int, on: date, now: datetime) -> Renewal:
    """The deal's renewal date; the owner's nudge is due the team's N days before it, at the start of the
    working day (at once when that is past already)."""
    deal = await _renewable(uow, actor, deal_id)
    team = await uow.teams.get(deal.team_id)
    if team is None:
        raise NotFound()
    today = local(now, team.timezone).date()
    if not today < on <= today.replace(year=today.year + MAX_YEARS_AHEAD):
        raise InvalidInput("error-renewal-date-range", years=MAX_YEARS_AHEAD)
    days = (await uow.tickets.policy(deal.team_id)).renewal_days
    nudge_at = max(at_local(on - timedelta(days=days), team.work_start, team.timezone), now)
    assert actor.id is not None and deal.id is not None
    renewal = await uow.renewals.for_deal(deal.id)
    if renewal is not None and renewal.new_opportunity_id is not None:
        raise AlreadyDone("error-renewal-opened")
    if renewal is None:
        renewal = await uow.renewals.add(Renewal(
            team_id=deal.team_id, opportunity_id=deal.id, renew_on=on, nudge_at=nudge_at, set_by=actor.id,
            created_at=now, updated_at=now,
        ))
    else:
        if renewal.renew_on == on:
            raise AlreadyDone("error-renewal-unchanged")
        renewal.renew_on, renewal.nudge_at, renewal.nudged_at, renewal.updated_at = on, nudge_at, None, now
    await record(uow, now=now, action="renewal.set", entity="opportunity", entity_id=deal.id, actor_id=actor.id,
                 team_id=deal.team_id, after={"renew_on": on.isoformat(), "nudge_days": days})
    return renewal


async def nudge(uow: UnitOfWork, renewal: Renewal, now: datetime) -> bool:
    """The sweep's act: the deal's owner (the person who set the date, without one) hears that the renewal
    is coming, with the button that opens the new opportunity."""
    if renewal.nudged_at is not None or renewal.new_opportunity_id is not None or renewal.nudge_at > now:
        return False
    if not await uow.renewals.claim_nudge(renewal, now):
        return False
    deal = await uow.opportunities.get(renewal.opportunity_id)
    lead = await uow.leads.get(deal.lead_id) if deal else None
    if deal is None or lead is None:
        return True
    assert renewal.id is not None
    days = (renewal.renew_on - local(now, "UTC").date()).days
    await tell_user(uow, deal.owner_id or renewal.set_by, Notice(
        Kind.RENEWAL_DUE, about=renewal.id,
        params={"company": lead.company, "on": renewal.renew_on.isoformat(), "days": max(days, 0)},
        actions=((Action(ACTION_REOPEN, renewal.id),),),
    ), team_id=renewal.team_id, now=now)
    return True


class _RenewalsDue:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Renewal]:
        return await self.uow.renewals.due(now, limit, skip)


RENEWAL_SWEEP: Sweep[Renewal] = Sweep(name="renewal", source=_RenewalsDue, act=nudge)


async def reopen(uow: UnitOfWork, *, actor: User, renewal_id: int, now: datetime) -> int:
    """One tap: a new opportunity for the same customer (source "existing customer", linked to the old
    deal), owned by whoever tapped; the id of the one already opened on a second tap."""
    renewal = await uow.renewals.get(renewal_id)
    if renewal is None:
        raise NotFound("error-renewal-none")
    old = await _renewable(uow, actor, renewal.opportunity_id)
    if renewal.new_opportunity_id is not None:
        return renewal.new_opportunity_id
    was = await uow.leads.get(old.lead_id)
    if was is None:
        raise NotFound("error-deal-not-found")
    assert actor.id is not None and old.id is not None
    lead = await uow.leads.add(Lead(
        team_id=old.team_id, created_by=actor.id, company=was.company, created_at=now, company_key=was.company_key,
        contact_name=was.contact_name, phone=was.phone, email=was.email, source=LeadSource.EXISTING,
        need=was.need, industry=was.industry, region=was.region, product=was.product,
        status=LeadStatus.CONVERTED, related_lead_id=was.id, updated_at=now,
    ))
    deal = await uow.opportunities.add(Opportunity(
        team_id=old.team_id, lead_id=lead.id or 0, title=was.company[:200], created_at=now, owner_id=actor.id,
        owner_since=now, last_activity_at=now, updated_at=now,
    ))
    assert deal.id is not None
    restart_silence_watch(deal)
    await uow.stage_changes.add(StageChange(
        opportunity_id=deal.id, from_stage=None, to_stage=Stage.QUALIFIED, actor_id=actor.id, at=now,
        note=f"renewal of #{old.id}",
    ))
    if not await uow.renewals.link(renewal, deal.id):
        raise AlreadyDone("error-renewal-opened")
    await record(uow, now=now, action="opportunity.created", entity="opportunity", entity_id=deal.id,
                 actor_id=actor.id, team_id=old.team_id,
                 after={"lead_id": lead.id, "stage": Stage.QUALIFIED.value, "renewal_of": old.id,
                        "source": LeadSource.EXISTING.value})
    return deal.id
