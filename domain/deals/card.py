"""The deal card: one deal as a person sees it, with what they may do with it."""

from __future__ import annotations

from dataclasses import dataclass

from domain.deals.model import HistoryEntry, Opportunity, Stage
from domain.handoffs.model import Handoff
from domain.leads.model import Lead


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
