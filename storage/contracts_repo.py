"""Contracts, their milestones and payments in storage; the receivables read model."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.contracts.model import (
    COLLECTING,
    UNSIGNED,
    Contract,
    ContractStatus,
    Milestone,
    Payment,
    PaymentLine,
    PaymentMethod,
    PaymentPolicy,
    PaymentState,
    ReceivableLine,
    contract_number,
)
from domain.money import Money
from storage.sql import get_by_id, rowcount
from storage.tables import (
    contract_milestones,
    contracts,
    leads,
    opportunities,
    payment_policies,
    payments,
    teams,
    users,
)

c = contracts
m = contract_milestones
p = payments
COLLECTING_VALUES = [s.value for s in COLLECTING]


class SqlContracts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _dialect(self) -> str:
        return self.session.bind.dialect.name if self.session.bind else "sqlite"

    # --- contracts --------------------------------------------------------------------------------------

    async def add(self, contract: Contract) -> Contract:
        self.session.add(contract)
        await self.session.flush()
        return contract

    async def get(self, contract_id: int) -> Contract | None:
        return await get_by_id(self.session, Contract, contract_id)

    async def next_seq(self, team_id: int, year: int) -> int:
        if self._dialect == "postgresql":  # one team's numbers are drawn one at a time
            await self.session.execute(select(teams.c.id).where(teams.c.id == team_id).with_for_update())
        stmt = select(func.max(c.c.seq)).where(c.c.team_id == team_id, c.c.year == year)
        return int((await self.session.execute(stmt)).scalar_one() or 0) + 1

    async def for_deal(self, opportunity_id: int) -> Sequence[Contract]:
        stmt = select(Contract).where(c.c.opportunity_id == opportunity_id).order_by(c.c.id.desc())
        return (await self.session.execute(stmt)).scalars().all()

    async def lock(self, contract_id: int) -> None:
        if self._dialect == "postgresql":
            await self.session.execute(select(c.c.id).where(c.c.id == contract_id).with_for_update())

    async def move(self, contract: Contract, *, expect: Collection[ContractStatus], **changes: object) -> bool:
        stmt = (
            update(Contract)
            .where(c.c.id == contract.id, c.c.status.in_([s.value for s in expect]))
            .values(**changes)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def by_number(self, team_id: int, year: int, seq: int) -> Contract | None:
        stmt = select(Contract).where(c.c.team_id == team_id, c.c.year == year, c.c.seq == seq)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def signing_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Contract]:
        stmt = (
            select(Contract)
            .where(text("contracts.check_at IS NOT NULL"), c.c.check_at <= now,
                   c.c.status.in_([s.value for s in UNSIGNED]))
            .order_by(c.c.check_at, c.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if skip:
            stmt = stmt.where(c.c.id.not_in(list(skip)))
        return (await self.session.execute(stmt)).scalars().all()

    # --- the plan ---------------------------------------------------------------------------------------

    async def add_milestone(self, milestone: Milestone) -> Milestone:
        self.session.add(milestone)
        await self.session.flush()
        return milestone

    async def milestones(self, contract_id: int) -> Sequence[Milestone]:
        stmt = select(Milestone).where(m.c.contract_id == contract_id).order_by(m.c.position, m.c.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def clear_milestones(self, contract_id: int) -> None:
        for milestone in await self.milestones(contract_id):
            self.session.expunge(milestone)
        await self.session.execute(delete(m).where(m.c.contract_id == contract_id))

    async def get_milestone(self, milestone_id: int) -> Milestone | None:
        return await get_by_id(self.session, Milestone, milestone_id)

    async def open_milestones(self, team_id: int) -> Sequence[Milestone]:
        collecting = select(c.c.id).where(c.c.id == m.c.contract_id, c.c.status.in_(COLLECTING_VALUES)).exists()
        stmt = (
            select(Milestone)
            .where(m.c.team_id == team_id, m.c.paid_minor < m.c.amount_minor, collecting)
            .order_by(m.c.id)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def milestones_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Milestone]:
        collecting = select(c.c.id).where(c.c.id == m.c.contract_id, c.c.status.in_(COLLECTING_VALUES)).exists()
        stmt = (
            select(Milestone)
            .where(text("contract_milestones.check_at IS NOT NULL"), m.c.check_at <= now,
                   m.c.paid_minor < m.c.amount_minor, collecting)
            .order_by(m.c.check_at, m.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=m)
        )
        if skip:
            stmt = stmt.where(m.c.id.not_in(list(skip)))
        return (await self.session.execute(stmt)).scalars().all()

    # --- the team's payment policy -------------------------------------------------------------------------

    async def policy(self, team_id: int) -> PaymentPolicy:
        stmt = select(PaymentPolicy).where(payment_policies.c.team_id == team_id)
        found = (await self.session.execute(stmt)).scalar_one_or_none()
        return found if found is not None else PaymentPolicy(team_id=team_id)

    async def save_policy(self, policy: PaymentPolicy) -> PaymentPolicy:
        if policy.id is None:
            self.session.add(policy)
        await self.session.flush()
        return policy

    # --- payments ---------------------------------------------------------------------------------------

    async def add_payment(self, payment: Payment) -> Payment:
        self.session.add(payment)
        await self.session.flush()
        return payment

    async def get_payment(self, payment_id: int) -> Payment | None:
        return await get_by_id(self.session, Payment, payment_id)

    async def payments(self, contract_id: int) -> Sequence[Payment]:
        stmt = select(Payment).where(p.c.contract_id == contract_id).order_by(p.c.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def decide_payment(self, payment: Payment, *, expect: PaymentState, **changes: object) -> bool:
        stmt = (
            update(Payment)
            .where(p.c.id == payment.id, p.c.state == expect.value)
            .values(**changes)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def waiting_payments(self, team_id: int | None) -> Sequence[Payment]:
        stmt = select(Payment).where(p.c.state == PaymentState.REPORTED.value)
        if team_id is not None:
            stmt = stmt.where(p.c.team_id == team_id)
        return (await self.session.execute(stmt.order_by(p.c.reported_at, p.c.id).limit(200))).scalars().all()

    # --- receivables ------------------------------------------------------------------------------------

    async def receivables(self, team_id: int | None, owner_id: int | None) -> Sequence[ReceivableLine]:
        stmt = (
            select(
                c.c.id, c.c.year, c.c.seq, c.c.owner_id, users.c.name, leads.c.company, m.c.position, m.c.label,
                m.c.due_on, m.c.amount_minor, m.c.paid_minor, m.c.currency,
            )
            .join(c, c.c.id == m.c.contract_id)
            .join(opportunities, opportunities.c.id == c.c.opportunity_id)
            .join(leads, leads.c.id == opportunities.c.lead_id)
            .join(users, users.c.id == c.c.owner_id)
            .where(c.c.status.in_(COLLECTING_VALUES), m.c.paid_minor < m.c.amount_minor)
            .order_by(m.c.due_on, c.c.id, m.c.position)
        )
        if team_id is not None:
            stmt = stmt.where(c.c.team_id == team_id)
        if owner_id is not None:
            stmt = stmt.where(c.c.owner_id == owner_id)
        return [self._line(row) for row in (await self.session.execute(stmt)).all()]

    @staticmethod
    def _line(row: Any) -> ReceivableLine:
        return ReceivableLine(
            contract_id=row.id, number=contract_number(row.year, row.seq), company=row.company,
            owner_id=row.owner_id, owner_name=row.name, position=row.position, label=row.label, due_on=row.due_on,
            outstanding=Money(int(row.amount_minor) - int(row.paid_minor), row.currency),
        )

    async def payment_lines(self, team_id: int | None, owner_id: int | None, limit: int) -> Sequence[PaymentLine]:
        stmt = (
            select(
                c.c.year, c.c.seq, leads.c.company, p.c.amount_minor, p.c.currency, p.c.paid_on, p.c.method,
                p.c.state, users.c.name, p.c.confirmed_minor,
            )
            .join(c, c.c.id == p.c.contract_id)
            .join(opportunities, opportunities.c.id == c.c.opportunity_id)
            .join(leads, leads.c.id == opportunities.c.lead_id)
            .join(users, users.c.id == p.c.reported_by)
            .order_by(p.c.paid_on.desc(), p.c.id.desc())
            .limit(limit)
        )
        if team_id is not None:
            stmt = stmt.where(p.c.team_id == team_id)
        if owner_id is not None:
            stmt = stmt.where(c.c.owner_id == owner_id)
        return [
            PaymentLine(
                number=contract_number(row.year, row.seq), company=row.company,
                amount=Money(int(row.amount_minor), row.currency), paid_on=row.paid_on,
                method=PaymentMethod(row.method), state=PaymentState(row.state), reported_by=row.name,
                confirmed=Money(int(row.confirmed_minor), row.currency) if row.confirmed_minor is not None else None,
            )
            for row in (await self.session.execute(stmt)).all()
        ]
