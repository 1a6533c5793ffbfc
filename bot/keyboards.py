"""Inline keyboards: at most three buttons a row, and Back / Cancel where a flow can go back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.formatting import Html, plain
from bot.i18n import Translate

MAX_PER_ROW = 3


class Nav(CallbackData, prefix="nav"):
    """Flow-independent navigation: `cancel` ends whatever flow is open."""

    action: str


def button(text: str, data: CallbackData | str) -> InlineKeyboardButton:
    """A label is plain text: a translated label (HTML, its parameters escaped) is shown as it reads."""
    label = plain(text) if isinstance(text, Html) else text
    return InlineKeyboardButton(text=label, callback_data=data.pack() if isinstance(data, CallbackData) else data)


def rows_of(buttons: Sequence[InlineKeyboardButton], per_row: int = MAX_PER_ROW) -> list[list[InlineKeyboardButton]]:
    per_row = max(1, min(per_row, MAX_PER_ROW))
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def keyboard(
    *rows: Iterable[InlineKeyboardButton],
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(r) for r in rows if r])


def grid(
    buttons: Sequence[InlineKeyboardButton],
    t: Translate | None = None,
    *,
    back: CallbackData | None = None,
    cancel: bool = True,
    per_row: int = MAX_PER_ROW,
    extra_rows: Sequence[Sequence[InlineKeyboardButton]] = (),
) -> InlineKeyboardMarkup:
    rows = rows_of(buttons, per_row)
    rows.extend(list(r) for r in extra_rows)
    nav: list[InlineKeyboardButton] = []
    if t is not None and back is not None:
        nav.append(button(t("btn-back"), back))
    if t is not None and cancel:
        nav.append(button(t("btn-cancel"), Nav(action="cancel")))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(inline_keyboard=rows)
