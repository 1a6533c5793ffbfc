"""Ports of the leads feature."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.leads.model import Lead

# --- Leads (domain/leads/services.py) ---


class LeadRepo(Protocol):
    async def add(self, lead: Lead) -> Lead: ...
    async def get(self, lead_id: int) -> Lead | None: ...
    async def matching(
        self, *, phone: str | None, email: str | None, company_key: str | None, limit: int
    ) -> Sequence[Lead]:
        """Leads of every team with the same phone, e-mail or company key (empty values match nothing)."""
        ...
    async def captured_since(self, user_id: int, since: datetime) -> int:
        """How many leads the user captured after `since` (the per-person capture cap)."""
        ...
