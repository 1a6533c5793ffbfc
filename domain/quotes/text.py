"""Amounts and percentages as a quote shows them in any language: ¥12,345.00, 12.5%."""

from __future__ import annotations

from decimal import Decimal

from domain.money import Money
from domain.quotes.model import percent_of

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€"}


def money_text(amount: Money) -> str:
    """¥12,345.00; a currency without a symbol by its code: "JPY 1,200" (as bot/formatting.py shows money)."""
    sign = "-" if amount.minor < 0 else ""
    units, minor = divmod(abs(amount.minor), 10**amount.digits)
    symbol = SYMBOLS.get(amount.currency, amount.currency + " ")
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
