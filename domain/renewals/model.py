"""The second sale (二次销售): a won deal's renewal or repurchase date, and the nudge N days before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

DEFAULT_NUDGE_DAYS: Final = 30


@dataclass(eq=False)
class Renewal:
    team_id: int
    opportunity_id: int  # the won deal
    renew_on: date
    nudge_at: datetime  # the owner's re-engagement nudge
    set_by: int
    created_at: datetime
    nudged_at: datetime | None = None
    new_opportunity_id: int | None = None  # the opportunity opened from the nudge (once)
    updated_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class CustomerDeal:
    id: int
    title: str
    stage: str
    owner_id: int | None
    amount_minor: int | None
    currency: str


@dataclass(frozen=True)
class CustomerQuote:
    opportunity_id: int
    number: str
    status: str
    total_minor: int
    currency: str


@dataclass(frozen=True)
class CustomerContract:
    """One of the customer's contracts on their card: where the money stands, and what is due next."""

    id: int
    opportunity_id: int
    number: str
    status: str
    amount_minor: int
    paid_minor: int  # confirmed payments
    currency: str
    next_label: str | None = None  # the first milestone not paid in full ...
    next_position: int | None = None
    next_due: date | None = None  # ... when it falls due
    next_outstanding_minor: int | None = None  # ... and what is left of it

    @property
    def outstanding_minor(self) -> int:
        return max(self.amount_minor - self.paid_minor, 0)
