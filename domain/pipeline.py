"""Leads, opportunities, hand-offs and the team's pipeline policy (issue: leads to owned opportunities).

Entities only; rules live beside them in domain/scoring.py, domain/stages.py, domain/assignment.py and
the use cases in domain/services/leads.py, domain/services/deals.py.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


class LeadSource(enum.StrEnum):
    WEBSITE = "website"
    EVENT = "event"
    REFERRAL = "referral"
    COLD_CALL = "cold_call"
    ADVERTISING = "advertising"
    PARTNER = "partner"
    OTHER = "other"


class Budget(enum.StrEnum):
    KNOWN = "known"
    ROUGH = "rough"
    UNKNOWN = "unknown"


class Authority(enum.StrEnum):
    DECISION_MAKER = "yes"
    INFLUENCER = "influencer"
    NONE = "no"


class Timeline(enum.StrEnum):
    THIS_MONTH = "this_month"
    THIS_QUARTER = "this_quarter"
    LATER = "later"
    UNKNOWN = "unknown"


class LeadStatus(enum.StrEnum):
    NEW = "new"  # captured, not yet scored
    NURTURE = "nurture"  # scored below the threshold: kept, never deleted, can be re-scored
    QUALIFIED = "qualified"  # at or above the threshold, waiting for an owner
    CONVERTED = "converted"  # became an opportunity


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


class AssignmentPolicy(enum.StrEnum):
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    RULES = "rules"  # region / industry / product skill first, then least-loaded
    MANUAL = "manual"


class HandoffState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # deadline passed; escalated and moved on
    CANCELLED = "cancelled"  # superseded (e.g. a manager reassigned)


DEFAULT_WEIGHTS: dict[str, int] = {
    # points for each factor; the total is capped at 10
    "need": 1,  # a clear, stated need
    "authority": 2,  # talking to the decision maker (influencer: half)
    "budget": 2,  # budget known (rough: half)
    "timeline": 2,  # this month / quarter (quarter: half)
    "industry": 2,  # an industry the team serves
    "engagement": 1,  # came in warm (referral, website, event, partner)
}

DEFAULT_INDUSTRIES: tuple[str, ...] = ("制造", "零售", "金融", "教育", "医疗", "互联网", "政府", "其他")
DEFAULT_LOST_REASONS: tuple[str, ...] = ("price", "competitor", "no_budget", "no_decision", "timing", "other")

# How long an open deal may go without activity in each stage before it counts as stale (沉默).
DEFAULT_IDLE_DAYS: dict[str, int] = {
    "qualified": 2,
    "following_up": 7,
    "proposal": 5,
    "contract": 7,
    "payment": 7,
    "delivery": 14,
    "after_sales": 30,
}


@dataclass(eq=False)
class TeamPolicy:
    """A team's pipeline settings, changeable by its manager."""

    team_id: int
    assignment: AssignmentPolicy = AssignmentPolicy.ROUND_ROBIN
    allow_self_assign: bool = True
    threshold: int = 6
    weights: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    handoff_minutes: int = 30  # working minutes to accept a hand-off
    recycle_days: int = 7  # an owner who does not follow up for this long loses the deal to the pool
    pool_claim_limit: int = 5  # open pool claims per rep
    cooloff_days: int = 3  # a rep cannot re-claim what they just lost to recycling
    industries: list[str] = field(default_factory=lambda: list(DEFAULT_INDUSTRIES))
    lost_reasons: list[str] = field(default_factory=lambda: list(DEFAULT_LOST_REASONS))
    rr_cursor: int = 0  # the last user id that got a round-robin assignment
    # Maximum idle days per open stage (stage value -> days); stages not named use DEFAULT_IDLE_DAYS.
    idle_days: dict[str, int] = field(default_factory=dict)
    id: int | None = None


@dataclass(eq=False)
class Lead:
    team_id: int
    created_by: int
    company: str
    created_at: datetime
    company_key: str = ""  # normalised company name, for dedupe
    contact_name: str | None = None
    phone: str | None = None  # E.164
    email: str | None = None  # lower-cased
    source: LeadSource = LeadSource.OTHER
    need: str | None = None
    need_voice_file_id: str | None = None
    budget: Budget = Budget.UNKNOWN
    budget_note: str | None = None  # e.g. "50万" from quick capture
    authority: Authority = Authority.NONE
    timeline: Timeline = Timeline.UNKNOWN
    industry: str | None = None
    region: str | None = None
    product: str | None = None
    score: int | None = None
    score_reasons: dict[str, int] = field(default_factory=dict)
    status: LeadStatus = LeadStatus.NEW
    related_lead_id: int | None = None  # a new lead at a company already known
    updated_at: datetime | None = None
    id: int | None = None


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
    # The silence watch (domain/followup.py): alerts sent in the current silence period (0 none, 1 the
    # owner was nudged, 2 the manager was alerted too) and when the silence sweep should look next.
    silence_level: int = 0
    silence_check_at: datetime | None = None
    id: int | None = None

    @property
    def idle_since(self) -> datetime:
        """Since when nothing happened that the owner did: the last activity, or when they got the deal."""
        moments = [m for m in (self.last_activity_at, self.owner_since) if m is not None]
        return max([*moments, self.created_at])

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
    id: int | None = None


@dataclass(eq=False)
class Handoff:
    """An assignment waiting for its assignee to accept: the key hand-off of the loop."""

    team_id: int
    opportunity_id: int
    to_user_id: int
    requested_at: datetime
    deadline_at: datetime
    from_user_id: int | None = None  # the previous owner, if any
    requested_by: int | None = None  # None: the policy assigned it
    reason: str | None = None
    state: HandoffState = HandoffState.PENDING
    decided_at: datetime | None = None
    decline_reason: str | None = None
    attempt: int = 1  # 1 for the first assignee, 2 for the next, ...
    id: int | None = None


@dataclass(frozen=True)
class DuplicateHit:
    """What a rep may see of an existing record that matches a new lead."""

    kind: str  # "lead" | "opportunity"
    id: int
    team_id: int
    team_name: str
    same_team: bool
    matched_on: str  # "phone" | "email" | "company"
    company: str | None = None  # None when it is another team's record
    owner_name: str | None = None
    stage: Stage | None = None
    last_activity_at: datetime | None = None
    owned_by_viewer: bool = False
    lead_id: int | None = None  # the lead behind the hit (its own id for kind "lead"); None for another team
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class LeadDraft:
    """What a rep has told us so far about a new lead (the capture flow's data, before saving)."""

    company: str = ""
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    source: LeadSource = LeadSource.OTHER
    need: str | None = None
    need_voice_file_id: str | None = None
    budget: Budget = Budget.UNKNOWN
    budget_note: str | None = None
    authority: Authority = Authority.NONE
    timeline: Timeline = Timeline.UNKNOWN
    industry: str | None = None
    region: str | None = None
    product: str | None = None
    keep_myself: bool = False  # the capturing rep asks to own it (if the team allows self-assignment)


class CaptureOutcome(enum.StrEnum):
    NURTURE = "nurture"  # below the threshold: kept in nurture, no owner yet
    HANDOFF = "handoff"  # assigned by policy; waiting for the assignee to accept
    OWNED = "owned"  # the capturing rep kept it (self-assignment)
    POOL = "pool"  # manual policy or nobody available: in the public pool, manager told


@dataclass(frozen=True)
class CaptureResult:
    lead: Lead
    outcome: CaptureOutcome
    opportunity: Opportunity | None = None
    handoff: Handoff | None = None


class ActivityKind(enum.StrEnum):
    CALL = "call"
    VISIT = "visit"
    MESSAGE = "message"  # WeChat or another messenger
    EMAIL = "email"
    MEETING = "meeting"
    NOTE = "note"  # a note with no contact behind it


class ActivityOutcome(enum.StrEnum):
    """How a contact with the customer went (a note has none)."""

    REACHED = "reached"
    NO_ANSWER = "no_answer"
    INTERESTED = "interested"
    NEEDS_PROPOSAL = "needs_proposal"
    NOT_INTERESTED = "not_interested"
    CALL_BACK = "call_back"  # asked to be called back


@dataclass(eq=False)
class Activity:
    """Something that happened with a lead or an opportunity, logged by a person."""

    team_id: int
    actor_id: int
    kind: ActivityKind
    at: datetime
    note: str | None = None
    opportunity_id: int | None = None
    lead_id: int | None = None
    outcome: ActivityOutcome | None = None
    voice_file_id: str | None = None  # a voice note, kept by its Telegram file id
    needs: str | None = None  # needs or pain points the customer told us about
    next_step: str | None = None  # what the rep plans to do next ...
    next_due: datetime | None = None  # ... and when (it became a reminder)
    id: int | None = None


class SkillKind(enum.StrEnum):
    """What the RULES assignment policy matches a rep on."""

    REGION = "region"
    INDUSTRY = "industry"
    PRODUCT = "product"


# Reasons a rep can give with one tap when declining a hand-off (anything else is typed as text).
DECLINE_REASONS: tuple[str, ...] = ("busy", "territory", "conflict", "unfamiliar")


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
class DealCard:
    opportunity: Opportunity
    lead: Lead
    owner_name: str | None
    history: list[HistoryEntry]  # newest first
    pending_handoff: Handoff | None
    can_advance: bool
    can_lose: bool
    can_reassign: bool
    next_stage: Stage | None
    assignee_name: str | None = None  # who the pending hand-off waits for
    can_accept: bool = False  # the viewer is the one the pending hand-off waits for
    can_claim: bool = False  # in the pool and the viewer is a rep of the team


@dataclass(frozen=True)
class DealQuery:
    """What /deals or /pool asks storage for; services fill it in from who is asking."""

    team_id: int | None = None  # None: every team (an admin)
    mine: int | None = None  # a user id: deals they own or that wait for their acceptance
    stage: Stage | None = None  # None: every open stage
    waiting: bool = False  # only deals with a pending hand-off
    # Only deals idle since before their team's cutoff (team id -> moment); `stale_default` for teams
    # without a policy row.
    stale_cutoffs: dict[int, datetime] | None = None
    stale_default: datetime | None = None
    pool: bool = False  # only deals waiting in the public pool


# Button kinds of a hand-off card; handlers/handoff.py registers how each becomes a button.
ACTION_ACCEPT = "handoff.accept"
ACTION_DECLINE = "handoff.decline"
