"""Ports of the hand-off feature."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from domain.handoffs.model import Handoff, HandoffState


class HandoffRepo(Protocol):
    async def add(self, handoff: Handoff) -> Handoff: ...
    async def add_many(self, new: Sequence[Handoff]) -> Sequence[Handoff]:
        """New hand-offs stored together (offering.offer_new), each given its id, in their order."""
        ...
    async def get(self, handoff_id: int) -> Handoff | None: ...
    async def pending_for(self, opportunity_id: int) -> Handoff | None: ...
    async def for_opportunity(self, opportunity_id: int) -> Sequence[Handoff]: ...
    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Handoff]:
        """Pending hand-offs past their deadline, oldest deadline first (locked on PostgreSQL)."""
        ...
    async def transition(self, handoff: Handoff, *, expect: Collection[HandoffState], **changes: object) -> bool:
        """Applies `changes` only if the row is still in one of the `expect` states; False if it is not."""
        ...
