"""Ports of the leads feature."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from domain.leads.model import Lead

# --- Leads (domain/leads/services.py) ---


class LeadRepo(Protocol):
    async def add(self, lead: Lead) -> Lead: ...
    async def add_many(self, new: Sequence[Lead]) -> Sequence[Lead]:
        """New leads stored together (a batch of an imported file), each given its id, in their order."""
        ...
    async def get(self, lead_id: int) -> Lead | None: ...
    async def matching(
        self, *, phone: str | None, email: str | None, company_key: str | None, limit: int
    ) -> Sequence[Lead]:
        """Leads of every team with the same phone, e-mail or company key (empty values match nothing)."""
        ...
    async def in_team_matching(
        self, team_id: int, *, phones: Collection[str], emails: Collection[str], company_keys: Collection[str]
    ) -> Sequence[Lead]:
        """The team's leads with any of these phones, e-mails or company keys: a whole file's rows checked
        for duplicates at once (domain/intake/imports.py)."""
        ...
    async def captured_since(self, user_id: int, since: datetime) -> int:
        """How many leads the user captured after `since` (the per-person capture cap)."""
        ...
