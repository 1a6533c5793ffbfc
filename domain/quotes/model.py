"""Quotes (报价单): products of a team's catalog, quotes with their lines and versions, the approval steps
of a discount, templates, and the team's quote policy. Percentages are kept as basis points (12.5% =
1250) so that storage holds exact integers; the domain reads them as Decimal."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from domain.money import DEFAULT_CURRENCY, Money

BP: Final = 100  # basis points in one percent


def percent_of(bp: int) -> Decimal:
    """Basis points as a percentage: 1250 -> Decimal("12.5")."""
    return (Decimal(bp) / BP).normalize() if bp else Decimal(0)


def bp_of(percent: Decimal) -> int:
    """A percentage as whole basis points (12.5 -> 1250); finer shares are refused by the parsers."""
    return int(percent * BP)


# --- the catalog ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class Product:
    """One line of a team's price list (产品与价目). Prices are per unit and exclude tax."""

    team_id: int
    code: str  # unique in the team; imports match on it
    name_zh: str
    unit: str
    list_price_minor: int
    cost_minor: int
    tax_bp: int = 1300  # 13% VAT
    floor_price_minor: int = 0  # 0: no floor
    name_en: str | None = None
    currency: str = DEFAULT_CURRENCY
    active: bool = True
    category: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: int | None = None

    @property
    def list_price(self) -> Money:
        return Money(self.list_price_minor, self.currency)

    @property
    def floor_price(self) -> Money:
        return Money(self.floor_price_minor, self.currency)

    @property
    def cost(self) -> Money:
        return Money(self.cost_minor, self.currency)

    @property
    def tax_rate(self) -> Decimal:
        return percent_of(self.tax_bp)

    def name(self, language: str | None) -> str:
        """In the reader's language, else the other one."""
        return self.name_en if language == "en" and self.name_en else self.name_zh


# The fields of a product a person (or an import) sets; the rest is the system's.
PRODUCT_FIELDS: Final = (
    "code", "name_zh", "name_en", "unit", "list_price_minor", "floor_price_minor", "cost_minor", "tax_bp",
    "currency", "active", "category",
)


@dataclass(frozen=True)
class ProductPage:
    items: list[Product]
    total: int


# --- quotes ---------------------------------------------------------------------------------------------


class QuoteStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # pending approval (待审批)
    APPROVED = "approved"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # by the customer
    EXPIRED = "expired"


S = QuoteStatus
# Which status may follow which: every status change of a quote is checked against this table.
TRANSITIONS: Final[dict[QuoteStatus, frozenset[QuoteStatus]]] = {
    S.DRAFT: frozenset({S.PENDING, S.APPROVED}),  # submitted: approval needed, or none
    S.PENDING: frozenset({S.DRAFT, S.APPROVED}),  # withdrawn, rejected or countered; approved at the last level
    S.APPROVED: frozenset({S.SENT, S.ACCEPTED, S.REJECTED, S.EXPIRED}),
    S.SENT: frozenset({S.ACCEPTED, S.REJECTED, S.EXPIRED}),
    S.ACCEPTED: frozenset(),
    S.REJECTED: frozenset(),
    S.EXPIRED: frozenset(),
}
# A deal may enter the contract stage with a quote in one of these (domain/deals/stages.py).
AGREED: Final = frozenset({S.APPROVED, S.SENT, S.ACCEPTED})
# Valid quotes the customer holds: the expiry sweep watches them.
LIVE: Final = frozenset({S.APPROVED, S.SENT})
# Editing a quote in one of these makes a new version; a draft is edited in place.
REVISABLE: Final = frozenset({S.APPROVED, S.SENT, S.REJECTED, S.EXPIRED})


def may_move(frm: QuoteStatus, to: QuoteStatus) -> bool:
    return to in TRANSITIONS[frm]


@dataclass(eq=False)
class Quote:
    """One version of a quote. Versions of one quote share team, year and seq: Q-2026-0001-v2."""

    team_id: int
    opportunity_id: int
    owner_id: int
    year: int
    seq: int
    created_at: datetime
    valid_until: date
    version: int = 1
    status: QuoteStatus = QuoteStatus.DRAFT
    currency: str = DEFAULT_CURRENCY
    discount_bp: int = 0  # a discount on the whole quote, after each line's own
    reason: str | None = None  # the rep's reason for the discount (shown to approvers)
    customer_reason: str | None = None  # why the customer rejected it
    needs: list[str] = field(default_factory=list)  # the deal's needs when the quote was drafted
    covered: list[int] = field(default_factory=list)  # indexes into `needs` the rep ticked as covered
    counter_bp: int | None = None  # an approver's counter-offer (total discount) waiting for the rep
    counter_level: str | None = None  # the level that countered
    total_minor: int = 0  # kept with every change, for lists and history
    parent_id: int | None = None  # the version this one revises
    superseded_at: datetime | None = None  # a later version replaced it: read-only
    submitted_at: datetime | None = None
    decided_at: datetime | None = None  # approved, or answered by the customer
    sent_at: datetime | None = None
    updated_at: datetime | None = None
    check_at: datetime | None = None  # the expiry sweep looks at it then (nudge, then expire)
    expiry_nudged: bool = False
    id: int | None = None

    @property
    def number(self) -> str:
        return quote_number(self.year, self.seq, self.version)

    @property
    def discount(self) -> Decimal:
        return percent_of(self.discount_bp)

    @property
    def total(self) -> Money:
        return Money(self.total_minor, self.currency)

    @property
    def current(self) -> bool:
        return self.superseded_at is None

    @property
    def uncovered(self) -> list[str]:
        return [need for index, need in enumerate(self.needs) if index not in self.covered]


def quote_number(year: int, seq: int, version: int) -> str:
    return f"Q-{year}-{seq:04d}-v{version}"


@dataclass(eq=False)
class QuoteLine:
    """A line of a quote: a catalog product (prices copied when added, so later price changes do not
    touch it) or a free line for a service (no product, no floor)."""

    quote_id: int
    position: int
    name: str
    unit: str
    quantity: int
    unit_price_minor: int
    cost_minor: int = 0
    floor_minor: int = 0
    tax_bp: int = 600
    discount_bp: int = 0
    product_id: int | None = None
    code: str | None = None
    net_minor: int = 0  # after both discounts, without tax: price history reads it
    id: int | None = None

    @property
    def free(self) -> bool:
        return self.product_id is None


# --- approvals -----------------------------------------------------------------------------------------


class Level(enum.StrEnum):
    MANAGER = "manager"
    ADMIN = "admin"


class StepState(enum.StrEnum):
    WAITING = "waiting"  # a later level: not asked yet
    PENDING = "pending"  # asked; the SLA runs
    APPROVED = "approved"
    REJECTED = "rejected"
    COUNTERED = "countered"
    CANCELLED = "cancelled"  # the quote was withdrawn or decided at another step


OPEN_STEPS: Final = frozenset({StepState.WAITING, StepState.PENDING})


@dataclass(eq=False)
class ApprovalStep:
    """One level of a quote's discount approval, in order (1: the manager, 2: an admin)."""

    quote_id: int
    team_id: int
    step: int
    level: Level
    requested_at: datetime
    state: StepState = StepState.WAITING
    due_at: datetime | None = None
    check_at: datetime | None = None  # the SLA sweep looks at it then
    sla_stage: int = 0  # 0 on time, 1 the approver was reminded, 2 escalated
    decided_by: int | None = None
    decided_at: datetime | None = None
    note: str | None = None  # a rejection's reason
    counter_bp: int | None = None
    id: int | None = None


@dataclass(eq=False)
class QuoteTemplate:
    """A manager's named quote (方案模板): lines a rep starts a quote from."""

    team_id: int
    name: str
    created_by: int
    created_at: datetime
    lines: list[dict[str, Any]] = field(default_factory=list)
    discount_bp: int = 0
    active: bool = True
    id: int | None = None


@dataclass(eq=False)
class QuotePolicy:
    """A team's quote rules: approval tiers by total discount, the margin floor, the approval SLA in working
    minutes, and how long a quote is valid."""

    team_id: int
    manager_from_bp: int = 1000  # 10%: from here the manager approves
    admin_from_bp: int = 2000  # 20%: from here the manager, then an admin
    margin_floor_bp: int = 1500  # a gross margin under 15% needs both levels
    sla_minutes: int = 240  # 4 working hours per level
    validity_days: int = 15
    id: int | None = None


# --- read models ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceHistory:
    """What a product went for: the customer's last prices (newest first) and the team's 90-day median,
    per unit after discounts, without tax."""

    last: tuple[Money, ...] = ()
    median: Money | None = None
    samples: int = 0


@dataclass(frozen=True)
class QuoteSummary:
    """One line of a list of quotes (a deal's, a customer's, /approvals)."""

    id: int
    number: str
    status: QuoteStatus
    total: Money
    company: str
    owner_name: str
    created_at: datetime
    opportunity_id: int
