"""Intake from outside the chat: a team's API keys (one per channel, e.g. 官网表单) and the receipts
that make a repeated request with the same Idempotency-Key act once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.leads.model import Lead, LeadSource


@dataclass
class ApiKey:
    """A key a team's manager made for one channel. Only its hash is kept; the key itself is shown once."""

    team_id: int
    channel: str  # the channel's name as the team calls it: 官网表单, 展会扫码 …
    source: LeadSource  # the lead source the channel's leads get
    key_hash: str
    prefix: str  # the key's first characters, so a manager can tell keys apart in /apikeys
    created_by: int  # the manager who made it: the leads it brings are recorded as theirs
    created_at: datetime
    # The public web form's address part (/f/<form_slug>): not the key, and useless once the key is revoked.
    form_slug: str = ""
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass
class IntakeReceipt:
    """What one request with an Idempotency-Key produced, so that its repeat answers the same."""

    api_key_id: int
    idempotency_key: str
    lead_id: int
    outcome: str
    created_at: datetime
    id: int | None = None


@dataclass(frozen=True)
class IntakeResult:
    lead: Lead
    outcome: str  # a CaptureOutcome value, or "duplicate" (added as a note to the known lead)
    opportunity_id: int | None = None
    replayed: bool = False  # the same Idempotency-Key was seen before: nothing new was done
