"""Money (金额): an exact number of minor units (fen for CNY) in one ISO 4217 currency; never a float.

Arithmetic stays exact where it can: adding, subtracting and multiplying by a whole quantity. A
percentage (a discount, a margin, a deposit share) rarely comes out in whole fen, so `percent` rounds
to the currency's minor unit **half up** (四舍五入: a tie goes away from zero, -0.5 fen to -1 fen),
the rounding Chinese invoices and finance staff expect; banker's rounding would surprise them.
Amounts in two currencies are never mixed: adding or ordering them raises CurrencyMismatch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

DEFAULT_CURRENCY: Final = "CNY"
# Digits after the decimal point of each currency's minor unit; every other currency has two.
MINOR_DIGITS: Final[dict[str, int]] = {"JPY": 0, "KRW": 0, "VND": 0}
ROUNDING: Final = ROUND_HALF_UP
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were added, subtracted or compared."""


class InexactAmount(ValueError):
    """An amount has more decimals than its currency's minor unit (12.345 yuan): it is refused, not rounded."""


def minor_digits(currency: str) -> int:
    return MINOR_DIGITS.get(currency, 2)


@dataclass(frozen=True, slots=True)
class Money:
    minor: int  # in the currency's minor unit: fen for CNY, cents for USD
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if type(self.minor) is not int:  # bool, float and Decimal are refused: they hide a unit mistake
            raise TypeError(f"Money takes an int of minor units, not {type(self.minor).__name__}")
        if not _CURRENCY.match(self.currency):
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    # --- making ------------------------------------------------------------------------------------

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str = DEFAULT_CURRENCY) -> Money:
        """From major units ("12345.67" yuan), exactly; more decimals than the currency has are refused."""
        try:
            value = Decimal(amount) if not isinstance(amount, Decimal) else amount
        except InvalidOperation:
            raise ValueError(f"not an amount: {amount!r}") from None
        if not value.is_finite():
            raise ValueError(f"not an amount: {amount!r}")
        minor = value.scaleb(minor_digits(currency))
        if minor != minor.to_integral_value():
            raise InexactAmount(f"{amount} has more decimals than {currency} allows")
        return cls(int(minor), currency)

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(0, currency)

    # --- reading -----------------------------------------------------------------------------------

    @property
    def digits(self) -> int:
        return minor_digits(self.currency)

    @property
    def amount(self) -> Decimal:
        """In major units (yuan), exact: Money(1234567).amount == Decimal("12345.67")."""
        return Decimal(self.minor).scaleb(-self.digits)

    # --- arithmetic --------------------------------------------------------------------------------

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} do not mix")

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __mul__(self, quantity: object) -> Money:
        """Times a whole quantity (3 licences); for a share of the amount use `percent`."""
        if type(quantity) is not int:
            return NotImplemented
        return Money(self.minor * quantity, self.currency)

    __rmul__ = __mul__

    def percent(self, rate: Decimal | int | str) -> Money:
        """`rate` percent of this amount, rounded half up to the minor unit: ¥100.00 × 12.5% = ¥12.50,
        ¥0.05 × 50% = ¥0.03."""
        share = Decimal(self.minor) * Decimal(rate) / 100
        return Money(int(share.to_integral_value(rounding=ROUNDING)), self.currency)

    # --- ordering, only within one currency ----------------------------------------------------------

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor >= other.minor


# --- reading an amount a person typed -----------------------------------------------------------------

_SYMBOLS: Final[dict[str, str]] = {
    "¥": "CNY", "￥": "CNY", "RMB": "CNY", "CNY": "CNY", "$": "USD", "USD": "USD", "€": "EUR", "EUR": "EUR",
}
_UNITS: Final[dict[str, int]] = {"": 1, "千": 1_000, "K": 1_000, "万": 10_000, "W": 10_000, "亿": 100_000_000}
_TYPED = re.compile(
    r"""^(?P<sign>-)?\s*(?P<symbol>¥|￥|\$|€|RMB|CNY|USD|EUR)?\s*
        (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*
        (?P<unit>千|K|万|W|亿)?\s*(?:元|块)?$""",
    re.VERBOSE,
)


def parse_money(text: str, currency: str = DEFAULT_CURRENCY) -> Money:
    """An amount as people type it: "12,345.67", "¥12,345.67", "1.2万", "50万", "50w", "8千", "3.5亿元",
    "USD 1,200". `currency` is used when the text names none. The result is exact (1.2万 = ¥12,000.00);
    an amount finer than the minor unit (0.001) raises InexactAmount, anything else unreadable ValueError."""
    found = _TYPED.match(text.strip().upper())
    if found is None:
        raise ValueError(f"not an amount: {text!r}")
    symbol = found.group("symbol")
    named = _SYMBOLS[symbol] if symbol else currency
    value = Decimal(found.group("number").replace(",", "")) * _UNITS[found.group("unit") or ""]
    return Money.of(-value if found.group("sign") else value, named)
