"""Ports of the deals feature."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from domain.deals.model import DealPage, DealQuery, HistoryEntry, Opportunity, Stage, StageChange


class OpportunityRepo(Protocol):
    async def add(self, opportunity: Opportunity) -> Opportunity: ...
    async def add_many(self, new: Sequence[Opportunity]) -> Sequence[Opportunity]:
        """New opportunities stored together (a batch of imported leads), each given its id, in order."""
        ...
    async def get(self, opportunity_id: int) -> Opportunity | None: ...
    async def for_leads(self, lead_ids: Collection[int]) -> Sequence[Opportunity]: ...
    async def page(self, query: DealQuery, offset: int, limit: int) -> DealPage: ...
    async def count(self, query: DealQuery) -> int: ...
    async def load(self, team_id: int) -> Mapping[int, int]:
        """Per user: open opportunities owned plus hand-offs waiting for them (least-loaded policy)."""
        ...
    async def pool_claims(self, user_id: int) -> int:
        """Open opportunities the user owns because they claimed them from the pool, counted under a lock
        on the user held until the transaction ends: one rep's claims are counted and made one at a time,
        also across instances."""
        ...
    async def claim(self, opportunity_id: int, user_id: int, now: datetime) -> bool:
        """Take a pool opportunity if it is still ownerless and in the pool; False if someone won."""
        ...
    async def idle(
        self, cutoffs: Mapping[int, Mapping[Stage, datetime]], limit: int, skip: Collection[int] = ()
    ) -> Sequence[Opportunity]:
        """Open, owned opportunities with no pending hand-off, idle since before their team's cutoff for
        their stage (domain/pool/recycling.py), oldest first (locked on PostgreSQL)."""
        ...
    async def release(self, opportunity: Opportunity, *, owner_id: int, cutoff: datetime, now: datetime) -> bool:
        """Owner -> pool if the owner is still `owner_id`, the stage still `opportunity.stage` and the deal
        still idle since before `cutoff`; False otherwise."""
        ...


class StageChangeRepo(Protocol):
    async def add(self, change: StageChange) -> StageChange: ...
    async def add_many(self, new: Sequence[StageChange]) -> Sequence[StageChange]: ...
    async def history(self, opportunity_id: int) -> Sequence[HistoryEntry]:
        """Newest first, with the actors' names."""
        ...
