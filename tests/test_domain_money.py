"""Money: exact minor units in one currency; sums and quantities exact, percentages rounded half up,
currencies never mixed; amounts read as people type them ("12,345.67", "1.2万"); shown as ¥12,345.00."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.formatting import money
from domain.money import CurrencyMismatch, InexactAmount, Money, parse_money

amounts = st.integers(min_value=-(10**15), max_value=10**15)
currencies = st.sampled_from(["CNY", "USD", "EUR", "JPY"])


@given(amounts, amounts, amounts)
def test_adding_and_subtracting_are_exact_and_undo_each_other(a: int, b: int, c: int) -> None:
    x, y, z = Money(a), Money(b), Money(c)
    assert (x + y).minor == a + b
    assert x + y == y + x
    assert (x + y) + z == x + (y + z)
    assert x + y - y == x
    assert x - x == Money.zero()
    assert -x + x == Money.zero()


@given(amounts, st.integers(min_value=-1000, max_value=1000))
def test_a_quantity_multiplies_exactly_either_way_round(a: int, quantity: int) -> None:
    assert Money(a) * quantity == quantity * Money(a) == Money(a * quantity)


@given(amounts, st.integers(min_value=0, max_value=1000))
def test_times_a_quantity_is_repeated_addition(a: int, quantity: int) -> None:
    total = Money.zero()
    for _ in range(min(quantity, 50)):
        total += Money(a)
    assert total == Money(a) * min(quantity, 50)


@given(amounts, st.decimals(min_value=-200, max_value=200, places=2))
def test_a_percentage_is_within_half_a_fen_of_the_exact_share(a: int, rate: Decimal) -> None:
    share = Money(a).percent(rate)
    exact = Decimal(a) * rate / 100
    assert abs(Decimal(share.minor) - exact) <= Decimal("0.5")
    assert share.currency == "CNY"


@given(amounts, st.decimals(min_value=0, max_value=100, places=3))
def test_a_percentage_of_minus_an_amount_is_minus_the_percentage(a: int, rate: Decimal) -> None:
    # half up is symmetric: a tie goes away from zero on both sides
    assert Money(-a).percent(rate) == -Money(a).percent(rate)


def test_percentages_round_half_up_to_the_fen() -> None:
    assert Money(10_000).percent(Decimal("12.5")) == Money(1_250)  # ¥100.00 × 12.5% = ¥12.50
    assert Money(5).percent(50) == Money(3)  # ¥0.05 × 50% = 2.5 fen → 3 fen (banker's would give 2)
    assert Money(15).percent(50) == Money(8)
    assert Money(-5).percent(50) == Money(-3)
    assert Money(12_345).percent("33.3333") == Money(4_115)  # 4114.99...
    assert Money(100, "JPY").percent(Decimal("0.5")) == Money(1, "JPY")  # ¥0.5 → ¥1 in whole yen


@given(amounts, amounts, currencies)
def test_order_within_a_currency_follows_the_minor_units(a: int, b: int, currency: str) -> None:
    x, y = Money(a, currency), Money(b, currency)
    assert (x < y) == (a < b) and (x <= y) == (a <= b) and (x > y) == (a > b) and (x >= y) == (a >= b)


def test_currencies_never_mix() -> None:
    yuan, dollars = Money(100, "CNY"), Money(100, "USD")
    assert yuan != dollars
    for mix in (lambda: yuan + dollars, lambda: yuan - dollars, lambda: yuan < dollars, lambda: yuan >= dollars):
        with pytest.raises(CurrencyMismatch):
            mix()


def test_only_whole_minor_units_and_real_currency_codes() -> None:
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True)
    with pytest.raises(ValueError):
        Money(100, "yuan")
    with pytest.raises(TypeError):
        Money(100) * Decimal("1.5")  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(100) + 1  # type: ignore[operator]


def test_major_units_in_and_out_exactly() -> None:
    assert Money.of("12345.67") == Money(1_234_567)
    assert Money.of(Decimal("0.1")) == Money(10)
    assert Money.of(1200, "JPY") == Money(1200, "JPY")
    assert Money(1_234_567).amount == Decimal("12345.67")
    with pytest.raises(InexactAmount):
        Money.of("12.345")
    with pytest.raises(InexactAmount):
        Money.of("0.5", "JPY")
    with pytest.raises(ValueError):
        Money.of("twelve")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12,345.67", Money(1_234_567)),
        ("¥12,345.67", Money(1_234_567)),
        ("￥ 800", Money(80_000)),
        ("1.2万", Money(1_200_000)),
        ("50万", Money(50_000_000)),
        ("50w", Money(50_000_000)),
        ("50万元", Money(50_000_000)),
        ("8千", Money(800_000)),
        ("5k", Money(500_000)),
        ("3.5亿", Money(35_000_000_000)),
        ("1.234567万", Money(1_234_567)),
        ("300元", Money(30_000)),
        ("-20", Money(-2_000)),
        ("$1,200", Money(120_000, "USD")),
        ("USD 99.90", Money(9_990, "USD")),
        ("€5", Money(500, "EUR")),
        (" 42 ", Money(4_200)),
    ],
)
def test_amounts_as_people_type_them(typed: str, expected: Money) -> None:
    assert parse_money(typed) == expected


def test_the_default_currency_applies_when_the_text_names_none() -> None:
    assert parse_money("1,200", "USD") == Money(120_000, "USD")
    assert parse_money("¥1,200", "USD") == Money(120_000, "CNY")


@pytest.mark.parametrize("typed", ["", "万", "12,34", "1,2345", "12.3.4", "abc", "¥", "1.2.万", "十万"])
def test_unreadable_amounts_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_money(typed)


def test_finer_than_a_fen_is_refused_not_rounded() -> None:
    with pytest.raises(InexactAmount):
        parse_money("1.2345678万")


@given(amounts)
def test_what_is_shown_reads_back_as_the_same_amount(a: int) -> None:
    assert parse_money(money(Money(a))) == Money(a)


def test_shown_the_same_way_in_both_languages() -> None:
    assert money(Money(1_234_500)) == "¥12,345.00"
    assert money(Money(50_000_000)) == "¥500,000.00"
    assert money(Money(-5)) == "-¥0.05"
    assert money(Money(120_000, "USD")) == "$1,200.00"
    assert money(Money(1200, "JPY")) == "JPY 1,200"
    assert money(Money(1200, "GBP")) == "GBP 12.00"
