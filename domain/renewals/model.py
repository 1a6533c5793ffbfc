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
