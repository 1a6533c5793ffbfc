"""Payment plans as rules: milestones given as an amount or a share of the contract, the templates
(30/60/10, 100% on signing, monthly), the signing deadline in working days, and how confirmed money
settles milestones in order.

Exactness: a share is `Money.percent` of the contract (half up to the fen), and the last milestone given
as a share takes whatever rounding left over, so the plan always adds up to the fen. A plan whose total is
not the contract's amount is refused (PlanMismatch), never adjusted silently."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from domain.errors import InvalidInput
from domain.money import Money
from domain.team.model import Team
from domain.worktime import is_working_day

FULL_BP: Final = 10_000  # 100% in basis points
SIGNING_WORKING_DAYS: Final = 5
MAX_MILESTONES: Final = 24
MAX_LABEL: Final = 60


class PlanMismatch(InvalidInput):
    """The milestones do not add up to the contract's amount."""

    code = "error-plan-sum"


@dataclass(frozen=True)
class Part:
    """One milestone as a person (or a template) gives it: an amount, or a share in basis points."""

    label: str
    due_on: date
    amount: Money | None = None
    percent_bp: int | None = None
    trigger: str | None = None  # what it waits for (Milestone.trigger)

    def __post_init__(self) -> None:
        if (self.amount is None) == (self.percent_bp is None):
            raise ValueError("a milestone is an amount or a share, exactly one of them")


@dataclass(frozen=True)
class Planned:
    position: int
    label: str
    due_on: date
    amount: Money
    percent_bp: int | None
    trigger: str | None = None


def build_plan(total: Money, parts: Sequence[Part]) -> list[Planned]:
    """The milestones of `parts`, exact to the fen; PlanMismatch unless they add up to `total`."""
    if not parts or len(parts) > MAX_MILESTONES:
        raise InvalidInput("error-plan-size", max=MAX_MILESTONES)
    if total.minor <= 0:
        raise InvalidInput("error-contract-amount")
    amounts: list[Money] = []
    last_share = None
    for index, part in enumerate(parts):
        if part.amount is not None:
            if part.amount.currency != total.currency or part.amount.minor <= 0:
                raise InvalidInput("error-plan-part")
            amounts.append(part.amount)
        else:
            assert part.percent_bp is not None
            if not 0 < part.percent_bp <= FULL_BP:
                raise InvalidInput("error-plan-part")
            amounts.append(total.percent(Decimal(part.percent_bp) / 100))
            last_share = index
    shares = sum(p.percent_bp or 0 for p in parts)
    fixed = sum((p.amount.minor for p in parts if p.amount is not None), 0)
    # Shares that cover what the fixed amounts leave exactly: the last share absorbs the rounding.
    count = sum(1 for p in parts if p.percent_bp is not None)
    if last_share is not None and _shares_cover_rest(total, fixed, shares, count):
        drift = total.minor - sum(a.minor for a in amounts)
        amounts[last_share] = Money(amounts[last_share].minor + drift, total.currency)
    if sum(a.minor for a in amounts) != total.minor or any(a.minor <= 0 for a in amounts):
        raise PlanMismatch(total=total.minor, planned=sum(a.minor for a in amounts))
    return [
        Planned(position=i, label=_label(p.label), due_on=p.due_on, amount=a, percent_bp=p.percent_bp,
                trigger=p.trigger)
        for i, (p, a) in enumerate(zip(parts, amounts, strict=True), start=1)
    ]


def _shares_cover_rest(total: Money, fixed_minor: int, shares_bp: int, count: int) -> bool:
    """The shares, taken of the whole contract, come to exactly what the fixed amounts leave, give or take
    the half fen each share's rounding may add (99% of the contract is not "the rest")."""
    rest = total.minor - fixed_minor
    return 2 * abs(rest * FULL_BP - total.minor * shares_bp) <= count * FULL_BP


def _label(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput("error-plan-part")
    return cleaned[:MAX_LABEL]


# --- templates ------------------------------------------------------------------------------------------


class Template(enum.StrEnum):
    SPLIT_30_60_10 = "30-60-10"  # 30% on signing, 60% on delivery, 10% after acceptance
    ON_SIGNING = "100"  # everything on signing
    MONTHLY = "monthly"  # equal monthly instalments


MONTHLY_INSTALMENTS: Final = 3
DELIVERY_DAYS: Final = 30  # the 60% falls due this long after signing, the 10% twice as long
ACCEPTANCE_DAYS: Final = 60


def add_months(day: date, months: int) -> date:
    """The same day `months` later, the month's last day when it has no such day (01-31 + 1 = 02-28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for dom in range(day.day, 27, -1):
        try:
            return date(year, month, dom)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


SIGNING, DELIVERY, ACCEPTANCE = "signing", "delivery", "acceptance"  # Milestone.trigger


def template_parts(template: Template, start: date, labels: dict[str, str]) -> list[Part]:
    """The template's milestones from `start` (the signing deadline): labels come in the team's words
    (`labels`: signing, delivery, acceptance, month)."""
    if template is Template.ON_SIGNING:
        return [Part(labels["signing"], start, percent_bp=FULL_BP, trigger=SIGNING)]
    if template is Template.SPLIT_30_60_10:
        return [
            Part(labels["signing"], start, percent_bp=3000, trigger=SIGNING),
            Part(labels["delivery"], start + timedelta(days=DELIVERY_DAYS), percent_bp=6000, trigger=DELIVERY),
            Part(labels["acceptance"], start + timedelta(days=ACCEPTANCE_DAYS), percent_bp=1000, trigger=ACCEPTANCE),
        ]
    share, rest = divmod(FULL_BP, MONTHLY_INSTALMENTS)
    return [
        Part(labels["month"].format(n=n), add_months(start, n - 1),
             percent_bp=share + (rest if n == MONTHLY_INSTALMENTS else 0))
        for n in range(1, MONTHLY_INSTALMENTS + 1)
    ]


# --- settlement -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settlement:
    paid: tuple[Money, ...]  # per milestone, in plan order, each at most its amount
    over: Money  # confirmed money beyond the whole plan: flagged to finance


def allocate(amounts: Sequence[Money], confirmed: Money) -> Settlement:
    """Confirmed money settles the milestones in order: each is filled before the next gets anything; a
    partial payment leaves the rest of its milestone open; what is left after the last is an overpayment."""
    left = confirmed.minor
    paid = []
    for amount in amounts:
        take = min(max(left, 0), amount.minor)
        paid.append(Money(take, amount.currency))
        left -= take
    return Settlement(tuple(paid), Money(max(left, 0), confirmed.currency))


# --- the signing deadline -------------------------------------------------------------------------------


def working_days_after(start: date, days: int, team: Team) -> date:
    """The `days`-th working day of the team after `start` (start itself not counted)."""
    day, counted = start, 0
    for _ in range(days * 7 + 14):
        day += timedelta(days=1)
        if is_working_day(day, team):
            counted += 1
            if counted == days:
                return day
    return start + timedelta(days=days)
