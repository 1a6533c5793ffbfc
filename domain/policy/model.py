"""A team's pipeline policy: assignment, score weights and threshold, idle limits, lost reasons."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class AssignmentPolicy(enum.StrEnum):
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    RULES = "rules"  # region / industry / product skill first, then least-loaded
    MANUAL = "manual"


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
    # None: a silent deal is recycled to the pool once its manager alert has had a working day (per
    # stage; domain/pool/recycling.py). Set: not before this many days of silence either, in any stage.
    recycle_days: int | None = None
    pool_claim_limit: int = 5  # open pool claims per rep
    cooloff_days: int = 3  # a rep cannot re-claim what they just lost to recycling
    industries: list[str] = field(default_factory=lambda: list(DEFAULT_INDUSTRIES))
    lost_reasons: list[str] = field(default_factory=lambda: list(DEFAULT_LOST_REASONS))
    rr_cursor: int = 0  # the last user id that got a round-robin assignment
    # Maximum idle days per open stage (stage value -> days); stages not named use DEFAULT_IDLE_DAYS.
    idle_days: dict[str, int] = field(default_factory=dict)
    id: int | None = None


class SkillKind(enum.StrEnum):
    """What the RULES assignment policy matches a rep on."""

    REGION = "region"
    INDUSTRY = "industry"
    PRODUCT = "product"

