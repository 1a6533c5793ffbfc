"""Delivery meets the money path (issues 12 and 13): the customer's acceptance sign-off (验收签字) releases the
contract's milestone "10% after acceptance" at once: it falls due that day, the owner's payment reminder goes
out, /receivables and finance see it due. The rest of the plan keeps its dates. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.factory import App
from bot.sandbox import Sandbox
from bot.sweeps import run_sweeps
from domain.contracts import services as contracts
from domain.contracts.plan import Template
from domain.contracts.sweeps import PAYMENT_SWEEP
from domain.deals import services as deal_service
from domain.deals.model import Stage
from domain.delivery.model import ItemKey
from domain.delivery.signoff import sign_acceptance
from domain.errors import DomainError
from domain.outbox.kinds import Kind
from tests.fakes import FakeClock
from tests.test_payment_reminders import contract_on, notices, people, sign

LABELS = {"signing": "签约后", "delivery": "交付后", "acceptance": "验收后", "month": "第{n}期"}


async def test_the_acceptance_sign_off_makes_the_acceptance_milestone_due_that_day(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # Tuesday 10:00 in Shanghai
    crew = await people(app, sandbox)
    manager, rep = crew["经理"][1], crew["销售"][1]
    contract_id = await contract_on(app, manager, rep)
    async with app.uow() as uow:
        await contracts.apply_template(uow, actor=manager, contract_id=contract_id, template=Template.SPLIT_30_60_10,
                                       labels=LABELS, now=clock.now())
        await uow.commit()
    await sign(app, manager, contract_id)
    async with app.uow() as uow:
        contract = await uow.contracts.get(contract_id)
        assert contract is not None
        deal_id = contract.opportunity_id
        planned = [(m.trigger, m.due_on) for m in await uow.contracts.milestones(contract_id)]
    assert [trigger for trigger, _ in planned] == ["signing", "delivery", "acceptance"]
    acceptance_due = planned[2][1]
    assert (acceptance_due - clock.now().date()).days > 30  # planned two months out

    clock.advance(days=1)  # Wednesday: delivery starts, and the customer signs the acceptance the same day
    async with app.uow() as uow:
        await deal_service.change_stage(uow, actor=manager, opportunity_id=deal_id, to=Stage.DELIVERY, override=True,
                                        now=clock.now())
        await uow.commit()
    async with app.uow() as uow:
        acceptance = next(item for item in await uow.checklists.for_deal(deal_id) if item.key is ItemKey.ACCEPTANCE)
        await sign_acceptance(uow, actor=manager, item_id=acceptance.id or 0, document=None, now=clock.now())
        await uow.commit()

    async with app.uow() as uow:
        after = [(m.trigger, m.due_on) for m in await uow.contracts.milestones(contract_id)]
        owed = await uow.contracts.receivables(rep.team_id, None)
    today = clock.now().date()  # 10:00 in Shanghai: the same local day
    assert after == [planned[0], planned[1], ("acceptance", today)]  # only the acceptance moved
    assert [(line.position, line.due_on) for line in owed if line.position == 3] == [(3, today)]

    clock.advance(minutes=1)
    await run_sweeps(app, [PAYMENT_SWEEP])
    due = [row for row in await notices(app, Kind.PAYMENT_DUE, rep) if "验收后" in (row["text"] or "")]
    assert len(due) == 1, due  # the owner hears of it today, not in two months

    # A second sign-off (an old button) releases nothing twice.
    clock.advance(hours=1)
    async with app.uow() as uow:
        with pytest.raises(DomainError):
            await sign_acceptance(uow, actor=manager, item_id=acceptance.id or 0, document=None, now=clock.now())
    async with app.uow() as uow:
        assert [(m.trigger, m.due_on) for m in await uow.contracts.milestones(contract_id)][2] == ("acceptance", today)
        released = [e for e in await uow.audit.for_entity("contract", contract_id) if e.action == "milestone.released"]
    assert len(released) == 1
