"""Pricing a quote: exact money, rounding half up to the fen at each step, in this order per line:

    gross      = unit list price × quantity                       (exact)
    line disc. = gross × the line's discount %                     (rounded half up)
    quote disc.= (gross − line disc.) × the quote's discount %     (rounded half up)  — discounts stack
    net        = gross − line disc. − quote disc.
    tax        = net × the line's tax rate                         (rounded half up)
    cost       = unit cost × quantity                              (exact)

The quote's subtotal, discount, net, tax, total and cost are the sums of its lines; the gross margin is
net − cost (tax is not revenue), as an amount and as a share of net. A line whose net is under its floor
price × quantity breaches the floor. Prices exclude tax; the total includes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.money import CurrencyMismatch, Money
from domain.quotes.model import percent_of


@dataclass(frozen=True)
class LineInput:
    """What pricing needs of a line."""

    unit_price: Money
    quantity: int
    discount_bp: int = 0
    tax_bp: int = 0
    unit_cost: Money | None = None
    floor: Money | None = None  # per unit; None or zero: no floor


@dataclass(frozen=True)
class PricedLine:
    gross: Money
    line_discount: Money
    quote_discount: Money
    net: Money
    tax: Money
    cost: Money
    below_floor: bool

    @property
    def discount(self) -> Money:
        return self.line_discount + self.quote_discount

    @property
    def total(self) -> Money:
        return self.net + self.tax

    @property
    def margin(self) -> Money:
        return self.net - self.cost


@dataclass(frozen=True)
class Totals:
    lines: tuple[PricedLine, ...]
    subtotal: Money  # at list prices
    discount: Money  # both discounts, every line
    net: Money
    tax: Money
    total: Money
    cost: Money

    @property
    def margin(self) -> Money:
        return self.net - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        """Gross margin as a share of net, to 0.1%; None when there is no revenue."""
        if self.net.minor == 0:
            return None
        return share(self.margin.minor, self.net.minor)

    @property
    def discount_percent(self) -> Decimal:
        """The total discount as a share of the list-price subtotal, to 0.1%."""
        if self.subtotal.minor == 0:
            return Decimal(0)
        return share(self.discount.minor, self.subtotal.minor)

    @property
    def floor_breaches(self) -> tuple[int, ...]:
        """The indexes of the lines under their floor price."""
        return tuple(index for index, line in enumerate(self.lines) if line.below_floor)


def share(part: int, whole: int) -> Decimal:
    """part / whole as a percentage rounded half up to 0.1."""
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def price_line(line: LineInput, quote_discount_bp: int = 0) -> PricedLine:
    if line.quantity < 0:
        raise ValueError("a quantity is never negative")
    for bp in (line.discount_bp, quote_discount_bp):
        if not 0 <= bp <= 10_000:
            raise ValueError("a discount is between 0% and 100%")
    currency = line.unit_price.currency
    gross = line.unit_price * line.quantity
    line_discount = gross.percent(percent_of(line.discount_bp))
    after_line = gross - line_discount
    quote_discount = after_line.percent(percent_of(quote_discount_bp))
    net = after_line - quote_discount
    tax = net.percent(percent_of(line.tax_bp))
    cost = (line.unit_cost or Money.zero(currency)) * line.quantity
    floor = line.floor
    below = floor is not None and floor.minor > 0 and net < floor * line.quantity
    return PricedLine(gross, line_discount, quote_discount, net, tax, cost, below)


def price(lines: Sequence[LineInput], quote_discount_bp: int = 0, currency: str = "CNY") -> Totals:
    """The quote's lines priced and summed; lines in another currency than `currency` are refused."""
    priced = []
    for line in lines:
        if line.unit_price.currency != currency:
            raise CurrencyMismatch(f"a {line.unit_price.currency} line in a {currency} quote")
        priced.append(price_line(line, quote_discount_bp))
    zero = Money.zero(currency)

    def total(part: str) -> Money:
        return sum((getattr(p, part) for p in priced), zero)

    net, tax = total("net"), total("tax")
    return Totals(
        lines=tuple(priced), subtotal=total("gross"), discount=total("discount"), net=net, tax=tax,
        total=net + tax, cost=total("cost"),
    )


def discount_for(total_bp: int) -> int:
    """The quote-level discount that makes a quote without line discounts `total_bp` off (a counter-offer)."""
    return max(0, min(10_000, total_bp))
