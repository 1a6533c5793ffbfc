"""Numbers, money and dates the way the reader expects them, in the team's timezone."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from domain.money import Money
from domain.team.model import Language

ZH_WEEKDAYS = "一二三四五六日"
EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when(at: datetime, tz: str, lang: Language, *, year: bool = False) -> str:
    here = at.astimezone(ZoneInfo(tz))
    if lang is Language.ZH:
        prefix = f"{here.year}年" if year else ""
        return f"{prefix}{here.month}月{here.day}日 周{ZH_WEEKDAYS[here.weekday()]} {here:%H:%M}"
    suffix = f" {here.year}" if year else ""
    return f"{EN_WEEKDAYS[here.weekday()]} {here.day} {EN_MONTHS[here.month - 1]}{suffix} {here:%H:%M}"


def date_only(at: datetime, tz: str, lang: Language) -> str:
    here = at.astimezone(ZoneInfo(tz))
    if lang is Language.ZH:
        return f"{here.year}年{here.month}月{here.day}日"
    return f"{here.day} {EN_MONTHS[here.month - 1]} {here.year}"


CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€"}


def money(amount: Money) -> str:
    """¥12,345.00 in both languages; a currency without a symbol by its code: "JPY 1,200"."""
    sign = "-" if amount.minor < 0 else ""
    units, minor = divmod(abs(amount.minor), 10**amount.digits)
    symbol = CURRENCY_SYMBOLS.get(amount.currency, amount.currency + " ")
    fraction = f".{minor:0{amount.digits}d}" if amount.digits else ""
    return f"{sign}{symbol}{units:,}{fraction}"


def h(text: object) -> str:
    """HTML-escape anything a person typed before it goes into a message."""
    return escape(str(text), quote=False)
