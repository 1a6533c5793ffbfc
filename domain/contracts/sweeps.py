"""The contract watches as sweeps (domain/sweeps.py): the signing deadline and the payment reminder
cadence. Each act claims its row by moving its next check on, so a sweep that runs twice, or on two
instances, says each thing once (and the dedupe keys hold anyway)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from domain.contracts import watch
from domain.contracts.model import COLLECTING, UNSIGNED, Contract, Milestone
from domain.contracts.policy import cadence_of
from domain.contracts.services import ACTION_OPEN, ACTION_REPORT, finance_of
from domain.deals.access import deal_context
from domain.outbox.kinds import Kind
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, tell_managers, tell_user
from domain.ports import UnitOfWork
from domain.quotes.text import money_text
from domain.sweeps import Sweep
from domain.team.people import name_of

HALF_TOLD = 1
DEADLINE_PASSED = 2


async def signing_check(uow: UnitOfWork, contract: Contract, now: datetime) -> bool:
    """At half the signing time the owner is nudged; once the deadline has passed the owner and the
    managers hear of it, then again each day (once a day) until it is signed or cancelled."""
    if contract.status not in UNSIGNED or contract.check_at is None or contract.check_at > now:
        return False
    opportunity = await uow.opportunities.get(contract.opportunity_id)
    if opportunity is None:
        return False
    lead, team, _policy = await deal_context(uow, opportunity)
    assert contract.id is not None
    deadline = watch.sign_deadline(contract.sign_by, team)
    until = contract.sign_by.isoformat()
    actions = ((Action(ACTION_OPEN, contract.id),),)
    if now < deadline:
        if contract.sign_stage >= HALF_TOLD:
            contract.check_at = deadline
            return True
        if not await uow.contracts.move(contract, expect=UNSIGNED, sign_stage=HALF_TOLD, check_at=deadline):
            return False
        await tell_user(uow, contract.owner_id, Notice(
            Kind.CONTRACT_SIGN_HALF, about=contract.id,
            params={"number": contract.number, "company": lead.company, "until": until}, actions=actions,
        ), team_id=contract.team_id, now=now)
        return True
    if not await uow.contracts.move(contract, expect=UNSIGNED, sign_stage=DEADLINE_PASSED,
                                   check_at=watch.next_morning(now, team)):
        return False
    notice = Notice(
        Kind.CONTRACT_SIGN_OVERDUE, about=contract.id, refs={"day": watch.local_day(now, team)},
        params={"number": contract.number, "company": lead.company, "until": until,
                "rep": await name_of(uow, contract.owner_id)},
        actions=actions,
    )
    await tell_user(uow, contract.owner_id, notice, team_id=contract.team_id, now=now)
    await tell_managers(uow, contract.team_id, notice, now=now, exclude=(contract.owner_id,))
    return True


def when_phrase(days_overdue: int) -> Phrase:
    if days_overdue < 0:
        return Phrase("payment-when-before", {"days": -days_overdue})
    if days_overdue == 0:
        return Phrase("payment-when-today")
    return Phrase("payment-when-overdue", {"days": days_overdue})


async def payment_check(uow: UnitOfWork, milestone: Milestone, now: datetime) -> bool:
    """The team's cadence (domain/contracts/policy.py): the owner at each step; from 7 days overdue the
    managers and finance too. After a pause only the latest step due is said."""
    if milestone.settled or milestone.check_at is None or milestone.check_at > now:
        return False
    contract = await uow.contracts.get(milestone.contract_id)
    if contract is None or contract.status not in COLLECTING:
        milestone.check_at = None
        return False
    opportunity = await uow.opportunities.get(contract.opportunity_id)
    if opportunity is None:
        return False
    lead, team, _policy = await deal_context(uow, opportunity)
    cadence = await cadence_of(uow, contract.team_id)
    step = watch.due_step(milestone.due_on, now, team, cadence)
    if step is None or step < milestone.remind_step:
        milestone.check_at = watch.reminder_at(milestone.due_on, milestone.remind_step, team, cadence)
        return False
    milestone.remind_step = step + 1
    milestone.check_at = watch.reminder_at(milestone.due_on, step + 1, team, cadence)
    assert contract.id is not None and milestone.id is not None
    days = watch.days_overdue(milestone.due_on, now, team)
    params = {"number": contract.number, "company": lead.company,
              "milestone": f"{milestone.position}. {milestone.label}",
              "outstanding": money_text(milestone.outstanding), "due": milestone.due_on.isoformat(),
              "when": when_phrase(days)}
    refs = {"step": f"d{cadence[step]}"}
    await tell_user(uow, contract.owner_id, Notice(
        Kind.PAYMENT_DUE, about=milestone.id, params=params, refs=refs,
        actions=((Action(ACTION_REPORT, contract.id), Action(ACTION_OPEN, contract.id)),),
    ), team_id=contract.team_id, now=now)
    if watch.escalates(days):
        notice = Notice(
            Kind.PAYMENT_OVERDUE, about=milestone.id, refs=refs,
            params={**params, "rep": await name_of(uow, contract.owner_id)},
            actions=((Action(ACTION_OPEN, contract.id),),),
        )
        told = await tell_managers(uow, contract.team_id, notice, now=now, exclude=(contract.owner_id,))
        already = {row.recipient_id for row in told}
        for person in await finance_of(uow, contract.team_id):
            if person.id is not None and person.id not in already and person.id != contract.owner_id:
                await tell_user(uow, person.id, notice, team_id=contract.team_id, now=now)
    return True


class _Signing:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Contract]:
        return await self.uow.contracts.signing_due(now, limit, skip)


class _Milestones:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Milestone]:
        return await self.uow.contracts.milestones_due(now, limit, skip)


SIGNING_SWEEP: Sweep[Contract] = Sweep(name="contract-signing", source=_Signing, act=signing_check)
PAYMENT_SWEEP: Sweep[Milestone] = Sweep(name="payment-reminders", source=_Milestones, act=payment_check)
