"""Opportunities (商机): the pipeline's stages, the deal, its stage history and the list read models."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from domain.money import Money


class Stage(enum.StrEnum):
    QUALIFIED = "qualified"
    FOLLOWING_UP = "following_up"
    PROPOSAL = "proposal"
    CONTRACT = "contract"
    PAYMENT = "payment"
    DELIVERY = "delivery"
    AFTER_SALES = "after_sales"
    WON = "won"
    LOST = "lost"


# The open stages in pipeline order; won/lost are closed.
PIPELINE: tuple[Stage, ...] = (
    Stage.QUALIFIED,
    Stage.FOLLOWING_UP,
    Stage.PROPOSAL,
    Stage.CONTRACT,
    Stage.PAYMENT,
    Stage.DELIVERY,
    Stage.AFTER_SALES,
)
CLOSED: frozenset[Stage] = frozenset({Stage.WON, Stage.LOST})
# Quote statuses (domain/quotes/model.py) that let a deal into the contract stage.
QUOTE_AGREED: frozenset[str] = frozenset({"approved", "sent", "accepted"})


@dataclass(eq=False)
class Opportunity:
    team_id: int
    lead_id: int
    title: str
    created_at: datetime
    owner_id: int | None = None  # None while in the team's public pool (公海)
    stage: Stage = Stage.QUALIFIED
    amount_minor: int | None = None  # expected amount in fen
    currency: str = "CNY"
    expected_close: date | None = None
    lost_reason: str | None = None
    lost_note: str | None = None
    last_activity_at: datetime | None = None
    owner_since: datetime | None = None
    recycled_from_id: int | None = None  # who lost it to the pool last
    recycled_at: datetime | None = None
    # Set while it waits in the public pool (no owner and nobody asked to accept it).
    pooled_at: datetime | None = None
    # The owner took it from the pool with one tap: it counts against their pool-claim limit.
    claimed_from_pool: bool = False
    updated_at: datetime | None = None
    # The silence watch (domain/followup/): alerts sent in the current silence period (0 none, 1 the
    # owner was nudged, 2 the manager was alerted too) and when the silence sweep should look next.
    silence_level: int = 0
    silence_check_at: datetime | None = None
    # The status of the deal's latest quote (domain/quotes/), kept by the quote services: the contract
    # stage needs one agreed (QUOTE_AGREED).
    quote_status: str | None = None
    id: int | None = None

    @property
    def idle_since(self) -> datetime:
        """Since when nothing happened that the owner did: the last activity, or when they got the deal."""
        moments = [m for m in (self.last_activity_at, self.owner_since) if m is not None]
        return max([*moments, self.created_at])

    @property
    def amount(self) -> Money | None:
        """The expected amount (its two columns, amount_minor and currency, as one value)."""
        return None if self.amount_minor is None else Money(self.amount_minor, self.currency)

    @amount.setter
    def amount(self, value: Money | None) -> None:
        self.amount_minor = None if value is None else value.minor
        if value is not None:
            self.currency = value.currency

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED

    @property
    def in_pool(self) -> bool:
        return self.owner_id is None and self.pooled_at is not None


@dataclass(eq=False)
class StageChange:
    opportunity_id: int
    from_stage: Stage | None
    to_stage: Stage
    actor_id: int | None
    at: datetime
    override: bool = False  # a manager skipped stages
    note: str | None = None
    team_id: int | None = None  # the deal's team: storage copies it from the deal when the move is written
    id: int | None = None


# --- Read models for the chat flows ------------------------------------------------------------


@dataclass(frozen=True)
class DealSummary:
    """One line of /deals or /pool."""

    id: int
    title: str
    company: str
    stage: Stage
    owner_name: str | None
    amount_minor: int | None
    last_activity_at: datetime | None
    waiting_handoff: bool = False
    score: int | None = None
    pooled_at: datetime | None = None
    recycled: bool = False  # in the pool because its owner let it go idle
    currency: str = "CNY"
    waiting_for: str | None = None  # the name of the rep a pending hand-off waits for

    @property
    def amount(self) -> Money | None:
        return None if self.amount_minor is None else Money(self.amount_minor, self.currency)


@dataclass(frozen=True)
class DealPage:
    items: list[DealSummary]
    total: int


PoolPage = DealPage


@dataclass(frozen=True)
class HistoryEntry:
    """One stage change as a deal card shows it."""

    from_stage: Stage | None
    to_stage: Stage
    at: datetime
    actor_id: int | None
    actor_name: str | None
    override: bool = False
    note: str | None = None


@dataclass(frozen=True)
class DealQuery:
    """What /deals or /pool asks storage for; services fill it in from who is asking."""

    team_id: int | None = None  # None: every team (an admin)
    mine: int | None = None  # a user id: deals they own or that wait for their acceptance
    # A user id: deals from leads they captured that someone else owns or is asked to accept (or that
    # wait in the pool): what a capturer follows, read-only.
    captured_by: int | None = None
    stage: Stage | None = None  # None: every open stage
    waiting: bool = False  # only deals with a pending hand-off
    # Only deals past their recycle time: idle since before their team's cutoff for their stage
    # (team id -> stage -> moment; domain/pool/recycling.py, the rule recycling uses).
    stale_cutoffs: dict[int, dict[Stage, datetime]] | None = None
    pool: bool = False  # only deals waiting in the public pool
