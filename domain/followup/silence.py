"""The silence watch: deals nobody touched for their stage's idle limit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.audit import record
from domain.deals.access import lead_of, visible_opportunity
from domain.deals.model import Opportunity
from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.followup.rules import (
    ACTION_LOG,
    ACTION_OPEN,
    Flag,
    Level,
    idle_limit,
    period_key,
    restarted,
    silence_verdict,
    suggestion,
)
from domain.outbox.kinds import Kind
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, tell_managers, tell_owner
from domain.permissions import manages_team
from domain.policy.services import get_policy
from domain.ports import UnitOfWork
from domain.sweeps import Sweep
from domain.team.model import User
from domain.team.people import name_of
from domain.worktime import local

# --- the silence watch ----------------------------------------------------------------------------


def restart_silence_watch(opportunity: Opportunity) -> None:
    """A deal's clock, stage or owner just changed: its silence starts over (no alert earned yet) and
    the sweep looks at it again when it could next be due (never for a closed or ownerless deal).
    Every service that changes those facts calls this once it has changed them; log_activity schedules
    the next look itself, knowing whether a next step was set."""
    opportunity.silence_level = Level.NONE
    opportunity.silence_check_at = restarted(opportunity)


class SilentDeals:
    """The silence sweep's source: deals whose silence check has come (an index on the check time)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Opportunity]:
        return await self.uow.followups.silent(now, limit, skip)


async def check_silence(uow: UnitOfWork, opportunity: Opportunity, now: datetime) -> bool:
    """The sweep's act for one deal whose check came: alert what its silence has earned (the owner at
    the stage's limit, or sooner without a next step; the manager at twice the limit), once per silence
    period, and schedule the next check. True when it alerted someone."""
    assert opportunity.id is not None
    level, check = opportunity.silence_level, opportunity.silence_check_at
    owner_id = opportunity.owner_id
    if owner_id is None or not opportunity.is_open:
        await uow.followups.set_silence(opportunity, expect_level=level, expect_check=check, level=level, check_at=None)
        return False
    policy = await get_policy(uow, team_id=opportunity.team_id)
    limit = idle_limit(policy, opportunity.stage)
    verdict = silence_verdict(
        opportunity, limit=limit, has_next_step=await uow.followups.has_next_step(opportunity.id, owner_id), now=now
    )
    alert = verdict.alert(level)
    # Limits raised since an alert: the level comes down, and the same period may alert again later
    # (its dedupe keys make sure nobody hears the same thing twice).
    if not await uow.followups.set_silence(
        opportunity, expect_level=level, expect_check=check, level=verdict.deserved, check_at=verdict.check_at
    ):
        return False
    if alert is None:
        return False
    # The level was just raised by a compare-and-set on the deal read in this unit of work (open, this
    # owner): its alerts hold (fresh); each is checked again just before sending.
    lead = await lead_of(uow, opportunity)
    period = period_key(opportunity)
    idle_days = (now - opportunity.idle_since).days
    stage = Phrase(f"stage-{opportunity.stage.value}")
    await record(
        uow, now=now, action="opportunity.silence", entity="opportunity", entity_id=opportunity.id, actor_id=None,
        team_id=opportunity.team_id,
        after={"level": int(alert), "flag": verdict.flag.value if verdict.flag else None, "idle_days": idle_days},
    )
    if level < Level.OWNER:
        await tell_owner(uow, opportunity, Notice(
            Kind.SILENT_OWNER if verdict.flag is Flag.SILENT else Kind.NO_STEP_OWNER, about=opportunity.id,
            refs={"period": period},
            params={
                "company": lead.company, "days": idle_days, "limit": limit.days, "stage": stage,
                "try": Phrase(f"followup-try-{suggestion(opportunity.stage, opportunity.idle_since)}"),
            },
            actions=((Action(ACTION_LOG, opportunity.id), Action(ACTION_OPEN, opportunity.id)),), fresh=True,
        ), now=now)
    if alert is Level.MANAGER:
        owner = await name_of(uow, owner_id)
        await tell_managers(uow, opportunity.team_id, Notice(
            Kind.SILENT_MANAGER, about=opportunity.id, refs={"period": period},
            params={"rep": owner, "company": lead.company, "days": idle_days, "limit": limit.days, "stage": stage},
            actions=((Action(ACTION_OPEN, opportunity.id),),), fresh=True,
        ), now=now, exclude=(owner_id,))
    return True


SILENCE_SWEEP: Sweep[Opportunity] = Sweep(name="silence", source=SilentDeals, act=check_silence)


# --- a manager's nudge ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ping:
    """A manager's nudge, queued: to whom, about which customer, and when it goes (at once, or when
    the working hours begin)."""

    owner_name: str
    company: str
    goes_at: datetime


async def ping_owner(uow: UnitOfWork, *, actor: User, opportunity_id: int, now: datetime) -> Ping:
    """A manager asks the owner of a quiet deal to follow up (from /stale). Once per manager, deal and
    day: a second press the same day changes nothing. The nudge keeps to working hours like any nudge
    the rep did not ask for."""
    opportunity = await visible_opportunity(uow, actor, opportunity_id)
    if not manages_team(actor, opportunity.team_id):
        raise Forbidden("error-stale-role")
    if opportunity.owner_id is None or not opportunity.is_open:
        raise InvalidInput("error-ping-no-owner")
    assert opportunity.id is not None and actor.id is not None
    lead = await lead_of(uow, opportunity)
    team = await uow.teams.get(opportunity.team_id)
    day = local(now, team.timezone if team else "UTC").date().isoformat()
    queued = await tell_owner(uow, opportunity, Notice(
        Kind.PING_OWNER, about=opportunity.id, refs={"by": actor.id, "day": day},
        params={
            "manager": actor.name, "company": lead.company, "stage": Phrase(f"stage-{opportunity.stage.value}"),
            "days": max(0, (now - opportunity.idle_since).days),
        },
        actions=((Action(ACTION_LOG, opportunity.id), Action(ACTION_OPEN, opportunity.id)),),
    ), now=now)
    if queued is None:
        raise AlreadyDone("error-ping-already")
    await record(
        uow, now=now, action="opportunity.pinged", entity="opportunity", entity_id=opportunity.id,
        actor_id=actor.id, team_id=opportunity.team_id, after={"owner_id": opportunity.owner_id},
    )
    return Ping(owner_name=await name_of(uow, opportunity.owner_id), company=lead.company, goes_at=queued.not_before)
