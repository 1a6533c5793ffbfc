"""Numbers, money and dates the way the reader expects them, in the team's timezone; and what is HTML.

Every message the bot sends is HTML (parse_mode HTML). The rule is one: text a person typed (or any
value from the database) is escaped once, when it becomes part of a message. The translator does it for
every parameter (bot/i18n.py); `h` does it where a handler builds a piece of a message itself. Both give
an `Html`, text that is HTML already, which the translator takes as it is, so nothing is escaped twice.
A piece built with an f-string or a plain `str.join` is plain text again: wrap it in `Html(...)` once its
parts are escaped, or join with an Html separator (`t("list-separator").join(...)` escapes the parts that
are not Html yet). Where the text is shown as plain text (a button's label, a pop-up alert) `plain` turns
it back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from html import escape, unescape
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


class Html(str):
    """Text that is HTML already: an escaped value, a translated message. The translator keeps it as is."""

    __slots__ = ()

    def join(self, parts: Iterable[str]) -> Html:
        """Joined with this separator; a part that is not Html yet is escaped first."""
        return Html(str.join(self, (part if isinstance(part, Html) else h(part) for part in parts)))


def h(text: object) -> Html:
    """HTML-escape anything a person typed before it goes into a message (once: Html stays as it is)."""
    return text if isinstance(text, Html) else Html(escape(str(text), quote=False))


def escape_params(params: dict[str, object]) -> dict[str, object]:
    """Every text parameter of a message escaped, unless it is Html already; numbers and dates as they are."""
    return {key: h(value) if isinstance(value, str) else value for key, value in params.items()}


_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?>")


def plain(text: str) -> str:
    """HTML as plain text shows it: tags dropped, entities unescaped."""
    return unescape(_TAG.sub("", text))
