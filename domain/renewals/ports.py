"""Ports of the second sale."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from domain.renewals.model import CustomerContract, CustomerDeal, CustomerQuote, Renewal


class RenewalRepo(Protocol):
    async def add(self, renewal: Renewal) -> Renewal: ...
    async def get(self, renewal_id: int) -> Renewal | None: ...
    async def for_deal(self, opportunity_id: int) -> Renewal | None: ...
    async def claim_nudge(self, renewal: Renewal, now: datetime) -> bool:
        """Mark it nudged if nobody did yet and no opportunity was opened from it."""
        ...
    async def link(self, renewal: Renewal, opportunity_id: int) -> bool:
        """Link the new opportunity if none is linked yet."""
        ...
    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Renewal]: ...


class CustomerFacts(Protocol):
    """What the customer card reads about one company (by its key) in one team."""

    async def deals_of(self, team_id: int, company_key: str) -> Sequence[CustomerDeal]: ...
    async def quotes_of(self, team_id: int, opportunity_ids: Collection[int]) -> Sequence[CustomerQuote]:
        """The current quotes of these deals, newest first."""
        ...
    async def contracts_of(self, team_id: int, opportunity_ids: Collection[int]) -> Sequence[CustomerContract]:
        """The contracts of these deals, newest first, each with its first milestone not paid in full."""
        ...
