"""The XLSX export of a period: deals, activities and quotes, one sheet each, read page by page (keyset
on the row id) so a large export never holds more than a page in memory and can report its progress."""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from domain.reports.model import Scope, Sheet
from domain.reports.periods import Period, PeriodKind, period_of
from domain.reports.services import ReportsWork, scope_for
from domain.team.model import User

PAGE = 2_000


class Cell(enum.StrEnum):
    """How a column's values read: the renderer turns each into a typed, formatted spreadsheet cell."""

    ID = "id"
    TEXT = "text"
    MONEY = "money"  # fen → yuan, as a number
    MOMENT = "moment"  # UTC → the team's local time, as a date-time
    PERCENT = "percent"  # basis points → a fraction, as a percentage
    STAGE = "stage"
    SOURCE = "source"
    ACTIVITY = "activity"
    OUTCOME = "outcome"
    QUOTE_STATUS = "quote_status"


@dataclass(frozen=True)
class Column:
    key: str  # its header: report-col-<key>
    cell: Cell


COLUMNS: dict[Sheet, tuple[Column, ...]] = {
    Sheet.DEALS: (
        Column("id", Cell.ID), Column("company", Cell.TEXT), Column("title", Cell.TEXT), Column("owner", Cell.TEXT),
        Column("stage", Cell.STAGE), Column("amount", Cell.MONEY), Column("source", Cell.SOURCE),
        Column("created", Cell.MOMENT), Column("lost_reason", Cell.TEXT), Column("last_activity", Cell.MOMENT),
    ),
    Sheet.ACTIVITIES: (
        Column("id", Cell.ID), Column("at", Cell.MOMENT), Column("rep", Cell.TEXT), Column("kind", Cell.ACTIVITY),
        Column("outcome", Cell.OUTCOME), Column("company", Cell.TEXT), Column("note", Cell.TEXT),
        Column("next_step", Cell.TEXT), Column("next_due", Cell.MOMENT),
    ),
    Sheet.QUOTES: (
        Column("id", Cell.ID), Column("number", Cell.TEXT), Column("company", Cell.TEXT), Column("rep", Cell.TEXT),
        Column("status", Cell.QUOTE_STATUS), Column("total", Cell.MONEY), Column("discount", Cell.PERCENT),
        Column("created", Cell.MOMENT), Column("submitted", Cell.MOMENT), Column("decided", Cell.MOMENT),
    ),
}


class ExportRepo(Protocol):
    async def export_page(
        self, sheet: Sheet, scope: Scope, period: Period, after_id: int, limit: int
    ) -> Sequence[tuple[Any, ...]]: ...
    async def export_count(self, sheet: Sheet, scope: Scope, period: Period) -> int: ...


@dataclass(frozen=True)
class Export:
    scope: Scope
    period: Period
    counts: dict[Sheet, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def plan_export(
    uow: ReportsWork, viewer: User, kind: PeriodKind, now: datetime, repo: ExportRepo, *,
    first: date | None = None, last: date | None = None, whole_org: bool = False,
) -> Export:
    """What an export of this period holds (the row counts, for the progress), for this person's scope."""
    scope = scope_for(viewer, team_id=None, whole_org=whole_org)
    team = await uow.teams.get(scope.team_id if scope.team_id is not None else viewer.team_id)
    period = period_of(kind, now, team.timezone if team else "Asia/Shanghai", first, last)
    return Export(scope, period, {sheet: await repo.export_count(sheet, scope, period) for sheet in Sheet})


async def rows(
    repo: ExportRepo, export: Export, sheet: Sheet, page: int | None = None
) -> AsyncIterator[Sequence[tuple[Any, ...]]]:
    """The sheet's rows, a page at a time, in id order."""
    page = page or PAGE
    after = 0
    while True:
        batch = await repo.export_page(sheet, export.scope, export.period, after, page)
        if not batch:
            return
        yield batch
        after = int(batch[-1][0])
        if len(batch) < page:
            return


__all__ = ["COLUMNS", "Cell", "Column", "Export", "ExportRepo", "Sheet", "plan_export", "rows"]
