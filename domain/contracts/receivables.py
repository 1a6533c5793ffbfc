"""Receivables (应收): what is still owed on signed contracts, by customer, by rep and by age, to the fen;
and what a person's morning agenda says about payments."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from domain.contracts.model import Payment, PaymentLine, ReceivableLine
from domain.errors import Forbidden
from domain.money import DEFAULT_CURRENCY, Money
from domain.permissions import sees_whole_team, team_scope
from domain.ports import UnitOfWork
from domain.team.model import User
from domain.worktime import local


class Age(enum.StrEnum):
    NOT_DUE = "not_due"
    D1_30 = "1_30"
    D31_60 = "31_60"
    D61_90 = "61_90"
    D90_PLUS = "90_plus"


def age_of(due_on: date, today: date) -> Age:
    late = (today - due_on).days
    if late <= 0:
        return Age.NOT_DUE
    if late <= 30:
        return Age.D1_30
    if late <= 60:
        return Age.D31_60
    if late <= 90:
        return Age.D61_90
    return Age.D90_PLUS


@dataclass(frozen=True)
class Receivables:
    today: date
    lines: tuple[ReceivableLine, ...]  # by due date
    total: Money
    by_customer: tuple[tuple[str, Money], ...]  # largest first
    by_rep: tuple[tuple[str, Money], ...]
    by_age: tuple[tuple[Age, Money], ...]  # in Age order, every bucket
    mine_only: bool = False
    currencies: tuple[str, ...] = field(default=())  # others than CNY, left out of the totals

    def overdue(self) -> list[ReceivableLine]:
        return [line for line in self.lines if line.due_on < self.today]


def _ranked(pairs: dict[str, int], currency: str) -> tuple[tuple[str, Money], ...]:
    return tuple((name, Money(minor, currency)) for name, minor in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])))


def summarise(lines: Sequence[ReceivableLine], today: date, currency: str = DEFAULT_CURRENCY,
              mine_only: bool = False) -> Receivables:
    counted = [line for line in lines if line.outstanding.currency == currency]
    customers: dict[str, int] = {}
    reps: dict[str, int] = {}
    ages = {age: 0 for age in Age}
    for line in counted:
        customers[line.company] = customers.get(line.company, 0) + line.outstanding.minor
        reps[line.owner_name] = reps.get(line.owner_name, 0) + line.outstanding.minor
        ages[age_of(line.due_on, today)] += line.outstanding.minor
    return Receivables(
        today=today, lines=tuple(counted), total=Money(sum(line.outstanding.minor for line in counted), currency),
        by_customer=_ranked(customers, currency), by_rep=_ranked(reps, currency),
        by_age=tuple((age, Money(minor, currency)) for age, minor in ages.items()), mine_only=mine_only,
        currencies=tuple(sorted({line.outstanding.currency for line in lines} - {currency})),
    )


def _scope(viewer: User) -> tuple[int | None, int | None]:
    """(team, owner) a person's receivables are limited to: finance and managers their team's, admins every
    team's, a rep their own contracts."""
    if not viewer.active:
        raise Forbidden()
    if sees_whole_team(viewer):
        return team_scope(viewer), None
    return viewer.team_id, viewer.id


async def receivables(uow: UnitOfWork, *, viewer: User, now: datetime) -> Receivables:
    team_id, owner_id = _scope(viewer)
    team = await uow.teams.get(viewer.team_id)
    today = local(now, team.timezone if team else "Asia/Shanghai").date()
    return summarise(await uow.contracts.receivables(team_id, owner_id), today, mine_only=owner_id is not None)


async def payment_lines(uow: UnitOfWork, *, viewer: User, limit: int = 5000) -> Sequence[PaymentLine]:
    team_id, owner_id = _scope(viewer)
    return await uow.contracts.payment_lines(team_id, owner_id, limit)


async def waiting_for(uow: UnitOfWork, viewer: User) -> Sequence[Payment]:
    """Reported payments waiting for this person's confirmation (finance, admins of the team)."""
    if viewer.role.value not in ("finance", "admin"):
        return []
    return [p for p in await uow.contracts.waiting_payments(viewer.team_id)]


# --- the morning agenda ---------------------------------------------------------------------------------


@dataclass
class PaymentAgenda:
    """What a person's morning agenda says about money: their milestones due today and overdue, and the
    reported payments waiting for their confirmation (finance)."""

    due_today: list[ReceivableLine] = field(default_factory=list)
    overdue: list[ReceivableLine] = field(default_factory=list)
    waiting: int = 0


async def payment_agenda(uow: UnitOfWork, team_id: int, day: date) -> dict[int, PaymentAgenda]:
    from domain.contracts.services import finance_of

    agenda: dict[int, PaymentAgenda] = {}
    for line in await uow.contracts.receivables(team_id, None):
        if line.due_on == day:
            agenda.setdefault(line.owner_id, PaymentAgenda()).due_today.append(line)
        elif line.due_on < day:
            agenda.setdefault(line.owner_id, PaymentAgenda()).overdue.append(line)
    waiting = len(await uow.contracts.waiting_payments(team_id))
    if waiting:
        for person in await finance_of(uow, team_id):
            if person.id is not None:
                agenda.setdefault(person.id, PaymentAgenda()).waiting = waiting
    return agenda
