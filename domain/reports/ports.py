"""What the reports need from storage: aggregates, computed by the database."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.reports.model import (
    ActivityCount,
    BreakpointRow,
    CycleTimes,
    Funnel,
    LostReport,
    Scope,
    Timeliness,
)
from domain.reports.periods import Period


class ReportRepo(Protocol):
    async def funnel(self, scope: Scope, period: Period) -> Funnel: ...
    async def cycle_times(self, scope: Scope, period: Period) -> CycleTimes: ...
    async def breakpoints(self, scope: Scope, period: Period, now: datetime) -> list[BreakpointRow]: ...
    async def lost_reasons(self, scope: Scope, period: Period) -> LostReport: ...
    async def activity(self, scope: Scope, period: Period) -> list[ActivityCount]: ...
    async def timeliness(self, scope: Scope, period: Period, now: datetime) -> list[Timeliness]: ...
