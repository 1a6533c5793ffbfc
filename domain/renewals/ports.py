"""Ports of the second sale."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from domain.renewals.model import Renewal


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
