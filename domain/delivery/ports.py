"""Ports of the delivery checklists."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from domain.delivery.model import AgendaItem, DeliveryItem, TemplateRow


class ChecklistRepo(Protocol):
    async def add(self, item: DeliveryItem) -> DeliveryItem: ...
    async def get(self, item_id: int) -> DeliveryItem | None: ...
    async def for_deal(self, opportunity_id: int) -> Sequence[DeliveryItem]:
        """The deal's checklist in its order (empty before delivery)."""
        ...
    async def update(self, item: DeliveryItem, *, open_only: bool, stage: int | None = None,
                     **changes: object) -> bool:
        """Set `changes` if the item is still open (with `open_only`) and, given `stage`, still at that nudge
        stage: a stale or repeated press, or a second sweeper, changes nothing."""
        ...
    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[DeliveryItem]:
        """Open items whose check is due (locked on PostgreSQL)."""
        ...
    async def agenda(self, team_id: int, until: datetime) -> Sequence[AgendaItem]:
        """Open items of deals still in delivery, due before `until`, by owner and due time."""
        ...
    async def template(self, team_id: int) -> Sequence[TemplateRow]: ...
    async def set_template(self, team_id: int, rows: Sequence[TemplateRow]) -> None: ...
