"""What the reports need from storage: aggregates, computed by the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from domain.reports.model import (
    ActivityCount,
    BreakpointRow,
    CycleTimes,
    Funnel,
    LostReport,
    Scope,
    Sheet,
    Timeliness,
    Waiting,
)
from domain.reports.periods import Period


class ReportRepo(Protocol):
    """The aggregates may be asked for at once (asyncio.gather): an implementation runs them side by side
    or in turn, as its database allows."""

    async def funnel(self, scope: Scope, period: Period) -> Funnel: ...
    async def cycle_times(self, scope: Scope, period: Period) -> CycleTimes: ...
    async def breakpoints(self, scope: Scope, period: Period, now: datetime) -> list[BreakpointRow]: ...
    async def lost_reasons(self, scope: Scope, period: Period) -> LostReport: ...
    async def activity(self, scope: Scope, period: Period) -> list[ActivityCount]: ...
    async def timeliness(self, scope: Scope, period: Period, now: datetime) -> list[Timeliness]: ...
    async def waiting(self, team_id: int, now: datetime) -> Waiting: ...
    # Digests a person switched off (domain/reports/digests.py), and switching one off or on again.
    async def muted(self, team_id: int, kind: str) -> set[int]: ...
    async def muted_kinds(self, user_id: int) -> set[str]: ...
    async def mute(self, user_id: int, kind: str, off: bool) -> None: ...
    # The XLSX export (domain/reports/export.py): a sheet's rows in id order, a page at a time.
    async def export_page(
        self, sheet: Sheet, scope: Scope, period: Period, after_id: int, limit: int
    ) -> Sequence[tuple[Any, ...]]: ...
    async def export_count(self, sheet: Sheet, scope: Scope, period: Period) -> int: ...
