"""Leads (线索): what a rep captured, its dedupe hits, the capture's outcome."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.deals.model import Opportunity, Stage
from domain.handoffs.model import Handoff


class LeadSource(enum.StrEnum):
    WEBSITE = "website"
    EVENT = "event"
    REFERRAL = "referral"
    COLD_CALL = "cold_call"
    ADVERTISING = "advertising"
    PARTNER = "partner"
    EXISTING = "existing"  # an existing customer's next purchase (the second sale)
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
