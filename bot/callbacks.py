"""What a button may carry, with bounds, in one place.

A button's callback data comes back from the person's phone, and anyone can send any string in its place.
Every number in every CallbackData (handlers/*.py) is one of the bounded types below, so a forged or
mangled press (a huge id, a negative page, an hour of 25) fails to unpack: the button's filter does not
match, and the catch-all (handlers/fallback.py) gives the usual "this button has expired" alert. Nothing
out of range ever reaches a handler, a date constructor or the database (whose ids are 32-bit integers).

A number that travels inside a free string field (a flow button's value, a page in a deal button's `arg`)
is read with `small_number`, with the same bounds.

    class ReminderCb(CallbackData, prefix="rmd"):
        action: ReminderAction
        id: Id = 0
        page: Page = 0
"""

from __future__ import annotations

import re
from typing import Annotated, Final

from pydantic import Field

from domain.deals.model import Stage

MAX_ID: Final = 2**31 - 1  # the database's ids are 32-bit integers (storage/tables.py)
MAX_PAGE: Final = 9_999  # far more pages than any list shows
MAX_INDEX: Final = 999  # a position in one of the bot's own short lists (stages, reasons)
MAX_COUNT: Final = 9_999  # a small counter that travels with a button (a reminder's snooze round)
LAST_STAGE: Final = len(Stage) - 1  # deal buttons carry a stage as its index in Stage's order

Id = Annotated[int, Field(ge=0, le=MAX_ID)]  # a row's id; 0 where the button names none
Page = Annotated[int, Field(ge=0, le=MAX_PAGE)]
Index = Annotated[int, Field(ge=-1, le=MAX_INDEX)]  # -1: none (e.g. "all stages")
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
StageIndex = Annotated[int, Field(ge=-1, le=LAST_STAGE)]  # -1: none (all stages, no target)
HourMinute = Annotated[str, Field(pattern=r"^(?:[01][0-9]|2[0-3])[0-5][0-9]$", examples=["0930"])]  # a time of day
Weekdays = Annotated[str, Field(pattern=r"^[0-6]{1,7}$", examples=["01234"])]  # Monday = 0

_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII digits only: "²".isdigit() is True, int("²") fails


def small_number(text: str, *, high: int = MAX_PAGE) -> int | None:
    """A whole number 0..high written in a button's free text field, or None for anything else."""
    if not _DIGITS.fullmatch(text or ""):
        return None
    value = int(text)
    return value if value <= high else None


__all__ = [
    "LAST_STAGE", "MAX_COUNT", "MAX_ID", "MAX_INDEX", "MAX_PAGE", "Count", "HourMinute", "Id", "Index", "Page",
    "StageIndex", "Weekdays",
    "small_number",
]
