"""Amounts and percentages as a quote shows them to its reader: ¥12,345.00 (CNY 12,345.00 in English), 12.5%;
and a line's name in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from domain.money import Money
from domain.quotes.model import percent_of
from domain.team.model import Language

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€"}


def money_text(amount: Money, language: Language | None = None) -> str:
    """¥12,345.00 for a Chinese reader (and when the reader is not known); for an English one, who may read ¥
    as yen, the code: "CNY 12,345.00". A currency without a symbol is shown by its code: "JPY 1,200"."""
    sign = "-" if amount.minor < 0 else ""
    units, minor = divmod(abs(amount.minor), 10**amount.digits)
    symbol = amount.currency + " " if language is Language.EN else SYMBOLS.get(amount.currency, amount.currency + " ")
    fraction = f".{minor:0{amount.digits}d}" if amount.digits else ""
    return f"{sign}{symbol}{units:,}{fraction}"


def percent_text(value: Decimal | int | None, *, bp: bool = False) -> str:
    """12.5% (from a percentage, or from basis points with bp=True); "—" for None."""
    if value is None:
        return "—"
    number = percent_of(int(value)) if bp else Decimal(value)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"
