"""The period's deals, activities and quotes as an XLSX (openpyxl in write-only mode: rows are streamed
to the file page by page, never held as a sheet in memory), with a header row, numbers as numbers (money
in yuan, percentages), local date-times, and the bot's labels for stages, sources and statuses."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Translate
from domain.reports.export import COLUMNS, Cell, Export, ExportRepo, Sheet, rows

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
WIDTHS = {Cell.ID: 8, Cell.MONEY: 14, Cell.MOMENT: 17, Cell.PERCENT: 9, Cell.TEXT: 22}
LABELS = {
    Cell.STAGE: "stage-{}", Cell.SOURCE: "source-{}", Cell.ACTIVITY: "activity-kind-{}",
    Cell.OUTCOME: "activity-outcome-{}", Cell.QUOTE_STATUS: "quote-status-{}",
}
Progress = Callable[[int], Awaitable[None]]


class _Cells:
    """Turns a page's raw values into the sheet's cells; labels are translated once each."""

    def __init__(self, t: Translate, tz: str) -> None:
        self.t = t
        self.zone = ZoneInfo(tz)
        self.labels: dict[tuple[Cell, str], str] = {}
        from openpyxl.cell import WriteOnlyCell  # imported when a report is exported, not at start

        self.cell_type = WriteOnlyCell

    def label(self, cell: Cell, value: Any) -> str:
        key = (cell, str(value))
        if key not in self.labels:
            self.labels[key] = str(self.t(LABELS[cell].format(value)))
        return self.labels[key]

    def make(self, sheet: Any, cell: Cell, value: Any) -> Any:
        if value is None:
            return None
        if cell is Cell.MONEY:
            out = self.cell_type(sheet, value=Decimal(int(value)) / 100)
            out.number_format = MONEY_FORMAT
            return out
        if cell is Cell.MOMENT:
            # A plain date-time: openpyxl writes it with its date-time format, no styled cell needed.
            at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
            return at.replace(tzinfo=at.tzinfo or UTC).astimezone(self.zone).replace(tzinfo=None)
        if cell is Cell.PERCENT:
            out = self.cell_type(sheet, value=Decimal(int(value)) / 10_000)
            out.number_format = PERCENT_FORMAT
            return out
        if cell in LABELS:
            return self.label(cell, getattr(value, "value", value))
        return value


async def build_xlsx(repo: ExportRepo, export: Export, t: Translate, progress: Progress | None = None) -> tuple[bytes, int]:
    """The workbook's bytes and how many rows it holds; `progress(rows so far)` after each page."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    cells = _Cells(t, export.period.tz)
    done = 0
    for sheet_kind in Sheet:
        columns = COLUMNS[sheet_kind]
        sheet = book.create_sheet(title=str(t(f"report-sheet-{sheet_kind.value}")))
        for index, column in enumerate(columns):
            sheet.column_dimensions[chr(ord("A") + index)].width = WIDTHS.get(column.cell, 12)
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            title = cells.cell_type(sheet, value=str(t(f"report-col-{column.key}")))
            title.font = Font(bold=True)
            header.append(title)
        sheet.append(header)
        async for page in rows(repo, export, sheet_kind):
            for row in page:
                sheet.append([cells.make(sheet, column.cell, value) for column, value in zip(columns, row, strict=True)])
            done += len(page)
            if progress is not None:
                await progress(done)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), done
