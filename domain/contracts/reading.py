"""What a person types in the payment flow: the day the money came in, and an amount."""

from __future__ import annotations

import re
from datetime import date, timedelta

from domain.errors import InvalidInput
from domain.money import InexactAmount, Money, parse_money

_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SHORT = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_WORDS = {"今天": 0, "today": 0, "昨天": 1, "yesterday": 1, "前天": 2}


def parse_day(text: str, today: date) -> date:
    """2026-12-01 · 2026/12/1 · 2026年12月1日 · 12-01 · 12/1 · 12月1日 (this year, or last year when that
    would be in the future) · 今天 / 昨天 / 前天 · today / yesterday."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _WORDS:
        return today - timedelta(days=_WORDS[cleaned])
    try:
        if found := _FULL.match(cleaned):
            return date(int(found[1]), int(found[2]), int(found[3]))
        if found := _SHORT.match(cleaned):
            day = date(today.year, int(found[1]), int(found[2]))
            return day if day <= today else date(today.year - 1, day.month, day.day)
    except ValueError:
        pass
    raise InvalidInput("error-payment-date-unreadable")


def parse_amount(text: str, currency: str) -> Money:
    try:
        amount = parse_money(text, currency)
    except InexactAmount:
        raise InvalidInput("error-payment-amount") from None
    except ValueError:
        raise InvalidInput("error-payment-amount-unreadable") from None
    if amount.minor <= 0 or amount.currency != currency:
        raise InvalidInput("error-payment-amount")
    return amount
